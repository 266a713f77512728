import type { StorageUnavailableError } from '../errors.js';
import { storageFailure } from './storage-failure.js';

/**
 * Whether the image store can write right now, for `/readyz`: a small real write (the
 * backend's `write`), run at most once per `intervalMs` however often readiness is
 * asked, so a load balancer polling every second costs one write every few seconds.
 * A failed request write marks the store unhealthy at once (`reportFailure`); the next
 * probe after the interval clears it when the disk is writable again, so readiness
 * recovers by itself.
 */
export interface StorageHealth {
  ok: boolean;
  /** The OS (or object store) code of the last failure. */
  osCode?: string;
  path?: string | undefined;
  /** When it was last checked (ms since the epoch). */
  checkedAt: number;
}

interface StorageProbeOptions {
  write: () => Promise<void>;
  intervalMs?: number;
  now?: () => number;
}

export class StorageProbe {
  private readonly write: () => Promise<void>;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private last: StorageHealth | undefined;
  private running: Promise<StorageHealth> | undefined;

  constructor(options: StorageProbeOptions) {
    this.write = options.write;
    this.intervalMs = options.intervalMs ?? 5000;
    this.now = options.now ?? Date.now;
  }

  /** The store's health, probing when the last answer is older than the interval. */
  async check(): Promise<StorageHealth> {
    if (this.last && this.now() - this.last.checkedAt < this.intervalMs) return this.last;
    this.running ??= this.probe().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** A real write failed: unhealthy until the next probe says otherwise. */
  reportFailure(error: StorageUnavailableError): void {
    this.last = { ok: false, osCode: error.osCode, path: error.path, checkedAt: this.now() };
  }

  private async probe(): Promise<StorageHealth> {
    try {
      await this.write();
      this.last = { ok: true, checkedAt: this.now() };
    } catch (error) {
      const failure = storageFailure(error, 'probe', undefined);
      this.last = { ok: false, osCode: failure.osCode, path: failure.path, checkedAt: this.now() };
    }
    return this.last;
  }
}
