import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { JobRecord } from './job-record.js';
import { processAlive } from '../storage/process-alive.js';

/**
 * Job records under `<dataDir>/jobs/<id>/` for the embedded queue. Several processes
 * may share one data folder (a desktop with two MCP clients), so nothing here relies on
 * one process being the only writer:
 * - `record.json` is replaced whole (temporary file, then rename): a reader sees the
 *   old record or the new one, never half of one;
 * - who runs a job is decided by exclusive creation (`O_EXCL`) of `claim-<n>`: one
 *   process wins generation n. The winner touches its claim every few seconds; a claim
 *   whose process is gone (same host) or that went stale is taken over by creating
 *   `claim-<n+1>`, which again only one process can do. A worker that finds a newer
 *   claim than its own has been replaced and stops writing;
 * - a cancel from another process is a `cancel` file the running worker watches;
 * - `active/<id>` lists unfinished jobs, so recovery does not read every record.
 */
export interface ClaimOwner {
  /** This process's queue instance (unique per process start). */
  instance: string;
}

export interface Claim {
  generation: number;
  path: string;
}

interface ClaimFile {
  instance: string;
  pid: number;
  host: string;
}

const host = hostname();

export class FileJobStore {
  readonly root: string;
  private readonly activeDir: string;

  constructor(
    dataDir: string,
    private readonly leaseMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.root = join(dataDir, 'jobs');
    this.activeDir = join(this.root, 'active');
  }

  async init(): Promise<void> {
    await mkdir(this.activeDir, { recursive: true });
  }

  private dir(id: string): string {
    return join(this.root, id);
  }

  async write(record: JobRecord): Promise<void> {
    const dir = this.dir(record.id);
    await mkdir(dir, { recursive: true });
    const temporary = join(dir, `.record-${randomBytes(6).toString('hex')}.tmp`);
    await writeFile(temporary, JSON.stringify(record));
    await rename(temporary, join(dir, 'record.json'));
  }

  async create(record: JobRecord): Promise<void> {
    await this.write(record);
    await mkdir(this.activeDir, { recursive: true });
    await writeFile(join(this.activeDir, record.id), '');
  }

  async read(id: string): Promise<JobRecord | undefined> {
    if (!/^job_[A-Za-z0-9]+$/.test(id)) return undefined;
    try {
      return JSON.parse(await readFile(join(this.dir(id), 'record.json'), 'utf8')) as JobRecord;
    } catch {
      return undefined;
    }
  }

  async finished(id: string): Promise<void> {
    await unlink(join(this.activeDir, id)).catch(() => undefined);
  }

  /** Unfinished jobs (queued, running, or left running by a dead process). */
  async active(): Promise<string[]> {
    return (await readdir(this.activeDir).catch(() => [])).filter((name) => name.startsWith('job_'));
  }

  async all(): Promise<JobRecord[]> {
    const names = (await readdir(this.root).catch(() => [])).filter((name) => name.startsWith('job_'));
    const records = await Promise.all(names.map((name) => this.read(name)));
    return records.filter((record): record is JobRecord => record !== undefined);
  }

  async remove(id: string): Promise<void> {
    await rm(this.dir(id), { recursive: true, force: true });
    await this.finished(id);
  }

  private async generations(id: string): Promise<number[]> {
    const names = await readdir(this.dir(id)).catch(() => []);
    return names
      .map((name) => /^claim-(\d+)$/.exec(name)?.[1])
      .filter((value): value is string => value !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  /** Is the newest claim held by a live worker other than `owner`? */
  private async heldElsewhere(id: string, generation: number, owner: ClaimOwner): Promise<boolean> {
    const path = join(this.dir(id), `claim-${generation}`);
    const touched = await stat(path).then(
      (stats) => stats.mtimeMs,
      () => this.now(),
    );
    const stale = this.now() - touched > this.leaseMs;
    let file: ClaimFile;
    try {
      file = JSON.parse(await readFile(path, 'utf8')) as ClaimFile;
    } catch {
      // Empty: being written this instant, or its writer died in between.
      return !stale;
    }
    if (file.instance === owner.instance) return true;
    if (stale) return false;
    return file.host !== host || processAlive(file.pid);
  }

  /** Takes the job if nobody alive holds it; undefined when another worker does. */
  async claim(id: string, owner: ClaimOwner): Promise<Claim | undefined> {
    const generations = await this.generations(id);
    const newest = generations.at(-1) ?? 0;
    if (newest > 0 && (await this.heldElsewhere(id, newest, owner))) return undefined;
    const path = join(this.dir(id), `claim-${newest + 1}`);
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch {
      return undefined;
    }
    try {
      writeSync(fd, JSON.stringify({ instance: owner.instance, pid: process.pid, host } satisfies ClaimFile));
    } finally {
      closeSync(fd);
    }
    return { generation: newest + 1, path };
  }

  /** Keeps a claim fresh; false when a newer claim replaced it (this worker must stop). */
  async renew(id: string, claim: Claim): Promise<boolean> {
    const newest = (await this.generations(id)).at(-1) ?? 0;
    if (newest !== claim.generation) return false;
    const time = new Date(this.now());
    await utimes(claim.path, time, time).catch(() => undefined);
    return true;
  }

  async requestCancel(id: string): Promise<void> {
    await writeFile(join(this.dir(id), 'cancel'), '').catch(() => undefined);
  }

  async cancelRequested(id: string): Promise<boolean> {
    return stat(join(this.dir(id), 'cancel')).then(
      () => true,
      () => false,
    );
  }
}
