/** Paths into ../shared/testdata, the real telemetry shared beside the repository. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const testdataRoot = resolve(repoRoot, '../shared/testdata');

export function testdata(...parts: string[]): string {
  const path = join(testdataRoot, ...parts);
  if (!existsSync(path)) throw new Error(`test data missing: ${path} (is ../shared beside the repository?)`);
  return path;
}
