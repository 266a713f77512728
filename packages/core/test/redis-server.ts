import { spawn, spawnSync } from 'node:child_process';
import { connect, createServer } from 'node:net';
import type { Test } from 'tap';
import { Redis } from 'ioredis';

/** A private redis-server on a free loopback port, killed in teardown. Fails loudly when the binary is missing. */
export async function startRedis(t: Test): Promise<{ url: string; client: () => Redis }> {
  const binary = process.env.REDIS_SERVER ?? 'redis-server';
  if (spawnSync(binary, ['--version']).error) {
    throw new Error(
      `${binary} is not installed: these tests need a local redis-server (apt-get install redis-server).`,
    );
  }
  const port = await freePort();
  const server = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  t.teardown(() => {
    server.kill('SIGKILL');
  });
  const url = `redis://127.0.0.1:${port}`;
  const clients: Redis[] = [];
  t.teardown(async () => {
    await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
  });
  const client = () => {
    const redis = new Redis(url, { maxRetriesPerRequest: 1 });
    clients.push(redis);
    return redis;
  };
  // Wait until it accepts connections (it starts in a few milliseconds).
  for (let attempt = 0; ; attempt++) {
    if (await canConnect(port)) break;
    if (attempt > 200 || server.exitCode !== null)
      throw new Error(`redis-server did not start on port ${port}.`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { url, client };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
