import { readFile } from 'node:fs/promises';
import { CliError } from './cli-error.js';

/** Reads a file named on the command line; a missing or unreadable one is a CliError in plain words. */
export async function readInputFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError('not_found', `no such file: ${path}`);
    if (code === 'EISDIR') throw new CliError('is_a_directory', `${path} is a directory`);
    throw new CliError('unreadable', `cannot read ${path}: ${(error as Error).message}`);
  }
}
