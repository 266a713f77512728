import { chmod } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

/** The 8-byte request a client sends to ask for TLS (answered `N`: no TLS on a local socket). */
const sslRequestCode = 80877103;
const cancelRequestCode = 80877102;
const protocolVersion3 = 196608;
/** Messages after which the backend answers ReadyForQuery: a batch ends there. */
const batchEnds = new Set(['S'.charCodeAt(0), 'Q'.charCodeAt(0)]);
const terminate = 'X'.charCodeAt(0);

function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

/** Sync, then ROLLBACK: what a connection that died mid-batch or mid-transaction leaves is undone. */
const resetBatch = Buffer.concat([message('S', Buffer.alloc(0)), message('Q', Buffer.from('ROLLBACK\0'))]);

interface Connection {
  socket: Socket;
  buffer: Buffer;
  started: boolean;
  /** Complete messages waiting for the end of their batch (a Sync or a simple Query). */
  pending: Buffer[];
  /** This connection's batches run in order. */
  chain: Promise<void>;
}

/**
 * Serves one PGlite database over the PostgreSQL wire protocol on a local socket, so other
 * processes on the same data folder use it as PostgreSQL clients (docs/accounting.md).
 *
 * PGlite is one backend: statements of different connections must not interleave. A
 * connection's messages are gathered until its batch ends (Sync for the extended protocol,
 * Query for the simple one) and the whole batch runs at once; a connection that leaves a
 * transaction open keeps the database until its transaction ends or it disconnects (then
 * it is rolled back). `@electric-sql/pglite-socket` was measured and not used: it queues
 * each message separately, so two connections' Parse/Bind pairs interleave ("bind message
 * supplies 1 parameters, but prepared statement requires 2") under concurrent clients.
 */
export class PgliteWireServer {
  private readonly server: Server;
  private readonly connections = new Set<Connection>();
  /** The connection inside an open transaction, if any; others wait for it. */
  private holder: Connection | undefined;
  private readonly waiting: Array<{ connection: Connection; grant: () => void }> = [];

  constructor(private readonly db: PGlite) {
    this.server = createServer((socket) => this.accept(socket));
  }

  async listen(path: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(path, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    // The database holds prompts: only this user may connect (a named pipe has no mode).
    if (process.platform !== 'win32') await chmod(path, 0o600);
  }

  /** Stops accepting, drops every connection (clients reconnect to the next owner), and waits for the batch running now. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of this.connections) connection.socket.destroy();
    await closed;
    await this.acquire(undefined);
  }

  private accept(socket: Socket): void {
    const connection: Connection = {
      socket,
      buffer: Buffer.alloc(0),
      started: false,
      pending: [],
      chain: Promise.resolve(),
    };
    this.connections.add(connection);
    socket.on('data', (data) => this.receive(connection, data));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.connections.delete(connection);
      connection.pending = [];
      connection.chain = connection.chain.then(() => this.disconnected(connection));
    });
  }

  private receive(connection: Connection, data: Buffer): void {
    connection.buffer = Buffer.concat([connection.buffer, data]);
    for (;;) {
      const buffer = connection.buffer;
      if (!connection.started) {
        if (buffer.length < 8) return;
        const length = buffer.readInt32BE(0);
        if (buffer.length < length) return;
        const code = buffer.readInt32BE(4);
        connection.buffer = buffer.subarray(length);
        if (code === sslRequestCode) {
          connection.socket.write('N');
          continue;
        }
        if (code === cancelRequestCode || code !== protocolVersion3) {
          connection.socket.destroy();
          return;
        }
        connection.started = true;
        this.submit(connection, [buffer.subarray(0, length)]);
        continue;
      }
      if (buffer.length < 5) return;
      const length = 1 + buffer.readInt32BE(1);
      if (buffer.length < length) return;
      const type = buffer[0]!;
      connection.buffer = buffer.subarray(length);
      if (type === terminate) {
        connection.socket.end();
        return;
      }
      connection.pending.push(buffer.subarray(0, length));
      if (batchEnds.has(type)) {
        const batch = connection.pending;
        connection.pending = [];
        this.submit(connection, batch);
      }
    }
  }

  private submit(connection: Connection, batch: Buffer[]): void {
    connection.chain = connection.chain.then(() => this.run(connection, Buffer.concat(batch)));
  }

  private async run(connection: Connection, batch: Buffer): Promise<void> {
    if (connection.socket.destroyed) return;
    await this.acquire(connection);
    let answer: Uint8Array;
    try {
      answer = await this.db.runExclusive(() => this.db.execProtocolRaw(batch));
    } catch {
      this.release(connection);
      connection.socket.destroy();
      return;
    }
    if (!connection.socket.destroyed && answer.length) connection.socket.write(answer);
    if (!this.db.isInTransaction()) this.release(connection);
  }

  private async disconnected(connection: Connection): Promise<void> {
    if (this.holder !== connection) return;
    try {
      await this.db.runExclusive(() => this.db.execProtocolRaw(resetBatch));
    } finally {
      this.release(connection);
    }
  }

  /** Waits until no other connection holds the database (undefined: until nobody does). */
  private acquire(connection: Connection | undefined): Promise<void> {
    if (this.holder === undefined || this.holder === connection) {
      if (connection) this.holder = connection;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiting.push({
        connection: connection as Connection,
        grant: () => {
          if (connection) this.holder = connection;
          resolve();
        },
      });
    });
  }

  private release(connection: Connection): void {
    if (this.holder !== connection) return;
    this.holder = undefined;
    // Grant to waiters in order until one takes the database.
    while (this.holder === undefined && this.waiting.length) this.waiting.shift()!.grant();
  }
}
