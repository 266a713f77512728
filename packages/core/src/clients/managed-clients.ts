import { sha256Hex } from '../config/config.js';
import type { ClientAuthenticator } from './client-authenticator.js';
import {
  managedClientConfig,
  newClientKey,
  type ManagedClient,
  type ManagedClientChanges,
  type ManagedClientInput,
} from './managed-client.js';
import type { ManagedClientStore } from './managed-client-store.js';

export interface ManagedClientsOptions {
  store: ManagedClientStore;
  authenticator: ClientAuthenticator;
  /** How often the database is asked for changes other instances made (config: admin.refreshIntervalMs). */
  refreshIntervalMs: number;
  /** Told when a refresh fails; the keys known so far stay in force meanwhile. */
  onError?: (error: Error) => void;
}

/**
 * The admin API's keys on this instance: writes go to the database and are applied here
 * at once; changes made by other instances are picked up by asking the database for
 * everything newer than the last revision seen, every `refreshIntervalMs` (2 s by default,
 * at most 10 s). One indexed query per interval, whatever the number of keys; the keys
 * themselves live in the authenticator's hash map, so a request never waits for SQL.
 * Polling works the same on PGlite, which has no LISTEN/NOTIFY across processes, and
 * on PostgreSQL.
 */
export class ManagedClients {
  private readonly store: ManagedClientStore;
  private readonly authenticator: ClientAuthenticator;
  private readonly intervalMs: number;
  private readonly onError: ((error: Error) => void) | undefined;
  private revision = 0;
  private queue: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: ManagedClientsOptions) {
    this.store = options.store;
    this.authenticator = options.authenticator;
    this.intervalMs = options.refreshIntervalMs;
    this.onError = options.onError;
  }

  /** Loads every managed key, then keeps refreshing until close(). */
  async start(): Promise<void> {
    await this.refresh();
    if (this.closed) return;
    this.timer = setInterval(() => {
      this.refresh().catch((error: Error) => this.onError?.(error));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Applies every change newer than the last one seen. Calls run one after the other. */
  refresh(): Promise<void> {
    const next = this.queue.then(() => this.load());
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Creates a client; the key is in the answer and nowhere else. */
  async create(input: ManagedClientInput): Promise<{ client: ManagedClient; key: string }> {
    const key = newClientKey();
    const client = await this.store.create(input, sha256Hex(key));
    await this.refresh();
    return { client, key };
  }

  list(): Promise<ManagedClient[]> {
    return this.store.list();
  }

  get(id: string): Promise<ManagedClient | undefined> {
    return this.store.get(id);
  }

  async update(id: string, changes: ManagedClientChanges): Promise<ManagedClient | undefined> {
    const client = await this.store.update(id, changes);
    if (client) await this.refresh();
    return client;
  }

  async revoke(id: string): Promise<ManagedClient | undefined> {
    const client = await this.store.revoke(id);
    if (client) await this.refresh();
    return client;
  }

  /** Stops refreshing and waits for a refresh under way (the database closes after this). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.queue;
  }

  private async load(): Promise<void> {
    for (const client of await this.store.changesSince(this.revision)) {
      if (client.revokedAt) this.authenticator.removeManaged(client.id);
      else this.authenticator.setManaged(managedClientConfig(client));
      this.revision = Math.max(this.revision, client.revision);
    }
  }
}
