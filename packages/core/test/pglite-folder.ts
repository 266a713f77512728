import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Test } from 'tap';

/**
 * PGlite's first start runs initdb in WASM: seconds on an idle machine, tens of seconds on a
 * busy one. Tests copy one freshly initialised (empty, unmigrated) database instead, made
 * once per machine and PGlite version.
 */
async function template(): Promise<string> {
  // The resolved path names the installed version (pnpm's store folder).
  const installed = createHash('sha256')
    .update(createRequire(import.meta.url).resolve('@electric-sql/pglite'))
    .digest('hex')
    .slice(0, 12);
  const folder = join(tmpdir(), `uig-test-pglite-${installed}`);
  if (existsSync(folder)) return folder;
  const building = mkdtempSync(join(tmpdir(), 'uig-test-pglite-building-'));
  const db = await PGlite.create(join(building, 'usage-db'));
  await db.close();
  try {
    renameSync(building, folder);
  } catch {
    // Another test file made it first.
    rmSync(building, { recursive: true, force: true });
  }
  return folder;
}

/** A fresh data folder (removed in teardown) holding an initialised, empty PGlite database. */
export async function pgliteDataFolder(t: Test): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'uig-data-'));
  t.teardown(() => rmSync(folder, { recursive: true, force: true }));
  cpSync(join(await template(), 'usage-db'), join(folder, 'usage-db'), { recursive: true });
  return folder;
}
