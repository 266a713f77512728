import type { Test } from 'tap';
import { dataFolder } from './backends.js';

/**
 * A fresh data folder for the embedded PGlite store, removed in teardown. (PGlite itself
 * loads a new folder from the user's template tarball, so no initdb runs per test.)
 */
export async function pgliteDataFolder(t: Test): Promise<string> {
  return dataFolder(t);
}
