import { Socket } from 'node:net';
import pg from 'pg';
import { DatabaseUnavailableError } from '../errors.js';
import { migrate } from './migrate.js';
import { hostPglite, type PgliteHost, pgliteLocation } from './pglite-host.js';

/** Something SQL runs on: the database, or one transaction of it. */
export interface Queryable {
  query<Row extends object = Record<string, unknown>>(text: string, values?: unknown[]): Promise<Row[]>;
}

/**
 * The SQL store of usage, budgets and managed keys (docs/accounting.md): PostgreSQL at
 * `UIG_DATABASE_URL`, else PGlite in the data folder. Every process speaks to it with the
 * same driver (`pg`) and the same SQL; with PGlite, one process of the data folder owns the
 * database and serves it on a local socket, and the others are its clients.
 */
export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Connected and migrated; rejects with DatabaseUnavailableError naming the setting. */
  ready(): Promise<void>;
  /** BEGIN … COMMIT on one connection (ROLLBACK when `work` throws). Runs `work` again when the connection is lost before COMMIT. */
  transaction<T>(work: (transaction: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; absent means PGlite under `dataDir`. */
  url?: string;
  dataDir: string;
  /** How long a PGlite client keeps trying to reach (or become) the owner before failing. */
  connectTimeoutMs?: number;
  /** Told when this process starts or stops owning the data folder's PGlite database. */
  onOwnerChange?: (owner: boolean, reason?: string) => void;
}

/** Socket-level failures: the owner went away (or is starting); another process may take over. */
const connectionCodes = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'ENOTSOCK']);

function connectionLost(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined && connectionCodes.has(code)) return true;
  return /Connection terminated|terminated unexpectedly|Client has encountered a connection error/.test(
    error.message,
  );
}

/** A socket that connects to the owner's socket path, whatever host and port pg asks for. */
function socketTo(path: string): () => Socket {
  return () => {
    const socket = new Socket();
    const connect = socket.connect.bind(socket) as (path: string) => Socket;
    (socket as unknown as { connect: () => Socket }).connect = () => connect(path);
    return socket;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createDatabase(options: DatabaseOptions): Database {
  return options.url ? new SqlDatabase('postgres', options) : new SqlDatabase('pglite', options);
}

class SqlDatabase implements Database {
  private readonly pool: pg.Pool;
  private readonly location: ReturnType<typeof pgliteLocation>;
  private host: PgliteHost | undefined;
  private hosting: Promise<void> | undefined;
  private migrated: Promise<void> | undefined;
  private closed = false;
  private readonly listened = new WeakSet<pg.PoolClient>();

  constructor(
    readonly kind: 'pglite' | 'postgres',
    private readonly options: DatabaseOptions,
  ) {
    this.location = pgliteLocation(options.dataDir);
    this.pool =
      kind === 'postgres'
        ? new pg.Pool({ connectionString: options.url, max: 10, connectionTimeoutMillis: 10_000 })
        : new pg.Pool({
            stream: socketTo(this.location.socketPath),
            user: 'postgres',
            database: 'postgres',
            max: 4,
            idleTimeoutMillis: 30_000,
          });
    // An idle connection whose server went away: the next query reconnects (or takes over).
    this.pool.on('error', () => undefined);
  }

  ready(): Promise<void> {
    // A failed attempt (the database was down) is tried again by the next caller.
    this.migrated ??= this.withConnection(async (client) => {
      await migrate(client);
    }).catch((error: unknown) => {
      this.migrated = undefined;
      throw error;
    });
    return this.migrated;
  }

  async query<Row extends object>(text: string, values?: unknown[]): Promise<Row[]> {
    await this.ready();
    return this.withConnection(async (client) => (await client.query<Row>(text, values)).rows);
  }

  async transaction<T>(work: (transaction: Queryable) => Promise<T>): Promise<T> {
    await this.ready();
    return this.withConnection(async (client) => {
      await client.query('BEGIN');
      try {
        const result = await work({
          query: async <Row extends object>(text: string, values?: unknown[]) =>
            (await client.query<Row>(text, values)).rows,
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        if (!connectionLost(error)) await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /**
   * Runs `work` on a pooled connection. With PGlite a lost or refused connection means the
   * owner is gone or starting: this process tries to become the owner, else waits for the
   * new one, and runs `work` again (its statements are idempotent or were rolled back).
   */
  private async withConnection<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const deadline = Date.now() + (this.options.connectTimeoutMs ?? 30_000);
    for (;;) {
      let client: pg.PoolClient | undefined;
      try {
        client = await this.pool.connect();
        if (!this.listened.has(client)) {
          // A checked-out connection whose server goes away also emits 'error'; the query rejects with it.
          client.on('error', () => undefined);
          this.listened.add(client);
        }
        const result = await work(client);
        client.release();
        return result;
      } catch (error) {
        const lost = connectionLost(error);
        client?.release(lost ? true : undefined);
        if (!lost || this.closed || Date.now() > deadline) throw this.unavailable(error);
        if (this.kind === 'pglite') await this.takeOver();
        else await sleep(250);
      }
    }
  }

  /** Network trouble becomes a 503 naming the setting; SQL errors stay what they are. */
  private unavailable(error: unknown): unknown {
    const code = (error as NodeJS.ErrnoException).code;
    const network =
      connectionLost(error) ||
      (typeof code === 'string' && /^E[A-Z]+$/.test(code)) ||
      /timeout exceeded when trying to connect/.test((error as Error).message);
    if (!network) return error;
    const where =
      this.kind === 'postgres'
        ? 'the PostgreSQL server at UIG_DATABASE_URL'
        : 'the usage database in UIG_DATA_DIR';
    return new DatabaseUnavailableError(`Cannot reach ${where} (${code ?? (error as Error).message}).`, {
      cause: error,
    });
  }

  /** One attempt per process at a time to become the owner; waits a little when another process is. */
  private takeOver(): Promise<void> {
    this.hosting ??= (async () => {
      try {
        if (!this.host) {
          this.host = await hostPglite(this.location, (error) => {
            this.host = undefined;
            this.options.onOwnerChange?.(false, error.message);
          });
          if (this.host) this.options.onOwnerChange?.(true);
        }
        if (!this.host) await sleep(100 + Math.random() * 150);
      } finally {
        this.hosting = undefined;
      }
    })();
    return this.hosting;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.hosting?.catch(() => undefined);
    await this.pool.end();
    const host = this.host;
    this.host = undefined;
    await host?.close();
  }
}
