import { FetchError } from '../fetch-error.js';

/** Awaits a fetch expected to fail and returns its FetchError; anything else fails the test. */
export async function failure(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FetchError) return error;
    throw error;
  }
  throw new Error('expected a FetchError');
}
