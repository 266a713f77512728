import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, rmSync } from 'node:fs';
import { cp, lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { lock } from 'proper-lockfile';
import { PgliteWireServer } from './pglite-wire-server.js';

/** Where the embedded database of a data folder lives, and where its owner serves it. */
export interface PgliteLocation {
  /** PGlite's data directory. */
  directory: string;
  /** The lock whose holder owns the database. */
  lockPath: string;
  /** The owner's socket (a named pipe on Windows). */
  socketPath: string;
}

/** Unix socket paths are limited to about 104 bytes; a deeper data folder gets one under the temp folder. */
const maxSocketPath = 100;

export function pgliteLocation(dataDir: string): PgliteLocation {
  const directory = join(dataDir, 'usage-db');
  const hash = createHash('sha256').update(directory).digest('hex').slice(0, 16);
  let socketPath = join(dataDir, 'usage-db.sock');
  if (process.platform === 'win32') socketPath = `\\\\.\\pipe\\uig-usage-${hash}`;
  else if (Buffer.byteLength(socketPath) > maxSocketPath)
    socketPath = join(tmpdir(), `uig-usage-${hash}.sock`);
  return { directory, lockPath: `${directory}.lock`, socketPath };
}

let pgliteVersion: string | undefined;

/**
 * PGlite's first start in a data folder runs initdb inside WASM (seconds; tens of seconds on
 * a busy machine). The first fresh database this user creates is kept, empty, as a folder
 * in the temp folder, and later new data folders start as a copy of it instead. (A copy, not
 * PGlite's `loadDataDir` tarball: loading a tarball leaves about 140 MiB more resident for
 * the life of the process than opening a folder on disk.)
 */
function templatePath(): string | undefined {
  const uid = process.getuid?.();
  if (uid === undefined) return undefined;
  // The resolved module path names the installed PGlite version (hashed once per process).
  pgliteVersion ??= createHash('sha256')
    .update(createRequire(import.meta.url).resolve('@electric-sql/pglite'))
    .digest('hex')
    .slice(0, 12);
  return join(tmpdir(), `uig-pglite-${uid}-${pgliteVersion}`);
}

/** The template, when it is a folder this user made and nobody else may enter (the temp folder is shared). */
function trustedTemplate(): string | undefined {
  const path = templatePath();
  const stat = path ? lstatSync(path, { throwIfNoEntry: false }) : undefined;
  if (!stat?.isDirectory() || stat.uid !== process.getuid?.() || (stat.mode & 0o077) !== 0) return undefined;
  return path;
}

/** Removes this user's template (one that cannot be copied or opened), so the next initdb writes a new one. */
async function removeTemplate(): Promise<void> {
  const path = trustedTemplate();
  if (path) await rm(path, { recursive: true, force: true });
}

/**
 * Copies the template into `directory`; false when there is none this user may trust, or
 * when it cannot be copied (a file `cp` refuses, the template removed under it): then the
 * template is removed, and the caller's initdb writes a new one.
 * Asynchronous: the copy (about a thousand files) takes most of a second, and the first
 * request that needs the database must not hold every other one meanwhile.
 */
async function copyTemplate(directory: string): Promise<boolean> {
  const path = trustedTemplate();
  if (!path) return false;
  // Copied beside it and renamed into place, so a copy cut short is never taken for a database.
  const partial = `${directory}.partial`;
  await rm(partial, { recursive: true, force: true });
  try {
    await cp(path, partial, { recursive: true });
  } catch {
    await rm(partial, { recursive: true, force: true });
    await removeTemplate();
    return false;
  }
  await rm(directory, { recursive: true, force: true });
  await rename(partial, directory);
  return true;
}

async function writeTemplate(directory: string): Promise<void> {
  const path = templatePath();
  if (!path || existsSync(path)) return;
  const partial = `${path}.${process.pid}`;
  try {
    await mkdir(partial, { mode: 0o700 });
    await cp(directory, partial, { recursive: true });
    await rename(partial, path);
  } catch {
    await rm(partial, { recursive: true, force: true });
    return;
  }
  await pruneTemplates(path).catch(() => undefined);
}

/** Another version's template this old is removed when a new one is written. */
const staleTemplateMs = 30 * 24 * 3_600_000;

/**
 * Removes what other versions left in the temp folder: the tarballs of older uig versions
 * (`uig-pglite-<uid>-<hash>.tar.gz`, never read now) and other versions' template folders not
 * written for 30 days. Only this user's. A version still in use that loses its template runs
 * initdb once more and writes it again.
 */
async function pruneTemplates(current: string): Promise<void> {
  const uid = process.getuid?.();
  const pattern = new RegExp(`^uig-pglite-${uid}-[0-9a-f]{12}(\\.tar\\.gz)?$`);
  const folder = dirname(current);
  for (const name of await readdir(folder)) {
    const path = join(folder, name);
    if (path === current || !pattern.test(name)) continue;
    const stat = await lstat(path).catch(() => undefined);
    if (!stat || stat.uid !== uid) continue;
    const tarball = name.endsWith('.tar.gz');
    if (tarball ? !stat.isFile() : !stat.isDirectory()) continue;
    if (!tarball && Date.now() - stat.mtimeMs < staleTemplateMs) continue;
    await rm(path, { recursive: true, force: true });
  }
}

/** The embedded database's buffer cache (PostgreSQL's `shared_buffers`). */
const sharedBuffers = '16MB';

/** How long a lock whose holder stopped renewing it (killed, frozen) stays before another process takes over. */
const lockStaleMs = 10_000;

export interface PgliteHost {
  close(): Promise<void>;
}

/**
 * Becomes the owner of the data folder's PGlite database when nobody is: takes the lock
 * (`proper-lockfile`: a lock directory renewed every 2 s, taken over 10 s after its holder
 * stopped renewing it), opens PGlite and serves it on the socket. Resolves to undefined
 * when another live process holds the lock (then it is the owner, and this process is its client).
 */
export async function hostPglite(
  location: PgliteLocation,
  onLost: (error: Error) => void,
): Promise<PgliteHost | undefined> {
  mkdirSync(location.directory, { recursive: true });
  let server: PgliteWireServer | undefined;
  let closeDatabase: (() => Promise<void>) | undefined;
  let lost = false;
  let release: () => Promise<void>;
  try {
    release = await lock(location.directory, {
      lockfilePath: location.lockPath,
      realpath: false,
      stale: lockStaleMs,
      update: lockStaleMs / 5,
      // The lock was taken over (this process froze past lockStaleMs): stop serving at once,
      // so two owners never write the same files.
      onCompromised: (error) => {
        lost = true;
        void server?.close().then(() => closeDatabase?.());
        onLost(error);
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') return undefined;
    throw error;
  }
  try {
    // Loaded only by the owner: a client process never starts the WASM database.
    const { PGlite } = await import('@electric-sql/pglite');
    const options = {
      // PostgreSQL's default 128 MB of shared buffers is all touched at start inside WASM
      // memory; 16 MB holds the usage tables' hot pages and keeps the process ~110 MiB smaller
      // (docs/accounting.md).
      startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`],
    };
    const initdb = async () => {
      // initdb, then closed so the new folder is complete on disk for the template.
      await (await PGlite.create(location.directory, options)).close();
      await writeTemplate(location.directory);
    };
    const fresh = !existsSync(join(location.directory, 'PG_VERSION'));
    const copied = fresh && (await copyTemplate(location.directory));
    if (fresh && !copied) await initdb();
    let db: Awaited<ReturnType<typeof PGlite.create>>;
    try {
      db = await PGlite.create(location.directory, options);
    } catch (error) {
      if (!copied) throw error;
      // The template was broken: the temp folder's cleaner (systemd-tmpfiles, tmpreaper)
      // removes files it has not seen used for days. Drop it, and start this folder afresh.
      await removeTemplate();
      await rm(location.directory, { recursive: true, force: true });
      await initdb();
      db = await PGlite.create(location.directory, options);
    }
    closeDatabase = () => db.close();
    server = new PgliteWireServer(db);
    // A socket left by an owner that was killed; the lock says nobody serves it now.
    if (process.platform !== 'win32') rmSync(location.socketPath, { force: true });
    await server.listen(location.socketPath);
  } catch (error) {
    await server?.close().catch(() => undefined);
    await closeDatabase?.().catch(() => undefined);
    await release().catch(() => undefined);
    throw error;
  }
  const running = server;
  const database = closeDatabase;
  return {
    close: async () => {
      if (lost) return;
      await running.close();
      await database();
      if (process.platform !== 'win32') rmSync(location.socketPath, { force: true });
      await release().catch(() => undefined);
    },
  };
}
