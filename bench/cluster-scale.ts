/** Placeholder replaced by the scale benchmark. */
export async function clusterScale(_args: string[]): Promise<void> {
  throw new Error('not written yet');
}
