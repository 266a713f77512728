import { sha256Hex, type ClientConfig } from '../config/config.js';
import { isUigError } from '../errors.js';
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
  private firstLoad: Promise<void> | undefined;

  constructor(options: ManagedClientsOptions) {
    this.store = options.store;
    this.authenticator = options.authenticator;
    this.intervalMs = options.refreshIntervalMs;
    this.onError = options.onError;
  }

  /**
   * Loads every managed key, then keeps refreshing until close(). Idempotent; resolves once
   * the first load was attempted (a failure goes to onError, and the timer tries again).
   */
  start(): Promise<void> {
    if (this.firstLoad) return this.firstLoad;
    this.timer = setInterval(() => {
      this.refresh().catch((error: Error) => this.onError?.(error));
    }, this.intervalMs);
    this.timer.unref();
    this.firstLoad = this.refresh().catch((error: Error) => this.onError?.(error));
    return this.firstLoad;
  }

  /**
   * The client behind an Authorization header, as ClientAuthenticator.authenticate, for
   * every route and transport. A key this process does not know, before the database was
   * first read, waits for that read: the database is opened only when a key it might hold
   * is presented (a process serving fixed keys or no keys never opens it for this), and a
   * managed key works from the first request of a freshly started instance.
   */
  async authenticate(authorization: string | undefined): Promise<ClientConfig | undefined> {
    try {
      return this.authenticator.authenticate(authorization);
    } catch (error) {
      if (this.firstLoad || !isUigError(error) || error.code !== 'INVALID_API_KEY') throw error;
      await this.start();
      return this.authenticator.authenticate(authorization);
    }
  }

  /** Applies every change newer than the last one seen. Calls run one after the other. */
  refresh(): Promise<void> {
    const next = this.queue.then(() => this.load());
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The client called `name`; a managed one may need the database's first read (a job resumed by another process). */
  async clientNamed(name: string): Promise<ClientConfig | undefined> {
    const known = this.authenticator.clientNamed(name);
    if (known || this.firstLoad || !this.authenticator.enabled) return known;
    await this.start();
    return this.authenticator.clientNamed(name);
  }

  /** Creates a client; the key is in the answer and nowhere else. */
  async create(input: ManagedClientInput): Promise<{ client: ManagedClient; key: string }> {
    void this.start();
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
    void this.start();
    const client = await this.store.update(id, changes);
    if (client) await this.refresh();
    return client;
  }

  async revoke(id: string): Promise<ManagedClient | undefined> {
    void this.start();
    const client = await this.store.revoke(id);
    if (client) await this.refresh();
    return client;
  }

  /** Stops refreshing and waits for a refresh under way (the database closes after this). */
  async close(): Promise<void> {
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
