import t from 'tap';
import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';
import {
  CredentialPool,
  QuotaExhaustedError,
  UpstreamAuthenticationError,
  isUigError,
  type Credential,
} from '@uig/core';
import { startRedis } from './redis-server.js';

const keys = (count: number, limits?: { rpm?: number; concurrency?: number }) =>
  Array.from({ length: count }, (_, index) => ({
    id: `p#${index + 1}`,
    apiKey: `k${index + 1}`,
    ...(limits ? { limits } : {}),
  }));

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits (up to 5 s) for a condition: a busy machine may start the first calls late. */
async function until(condition: () => boolean): Promise<void> {
  for (const end = Date.now() + 5000; !condition() && Date.now() < end; ) await tick(5);
}

/** A call that stays running until the test lets it go; records who ran when. */
function gate() {
  const running = new Map<string, number>();
  let peak = new Map<string, number>();
  const releases: Array<() => void> = [];
  const started: string[] = [];
  const call = (credential: Credential) =>
    new Promise<string>((resolve) => {
      started.push(credential.id);
      running.set(credential.id, (running.get(credential.id) ?? 0) + 1);
      peak.set(credential.id, Math.max(peak.get(credential.id) ?? 0, running.get(credential.id)!));
      releases.push(() => {
        running.set(credential.id, running.get(credential.id)! - 1);
        resolve(credential.id);
      });
    });
  return { call, started, releases, peak: () => peak, reset: () => (peak = new Map()) };
}

t.test(
  'per-key concurrency queues calls instead of sending them, and load spreads over the pool',
  async (t) => {
    const pool = new CredentialPool({ provider: 'p', credentials: keys(2), limits: { concurrency: 1 } });
    t.teardown(() => pool.close());
    const { call, started, releases, peak } = gate();
    const results = Array.from({ length: 4 }, () => pool.run(call));
    await until(() => started.length >= 2);
    await tick(20);
    t.same(started.sort(), ['p#1', 'p#2'], 'one call running per key, two waiting');
    t.equal(pool.queued, 2, 'the queue depth is visible');
    for (let released = 0; released < 4; released++) {
      await until(() => releases.length > 0);
      releases.shift()?.();
    }
    t.same((await Promise.all(results)).sort(), ['p#1', 'p#1', 'p#2', 'p#2'], 'two calls per key');
    t.same([...peak().values()], [1, 1], 'never two at once on one key');
    t.equal(pool.queued, 0);
  },
);

t.test(
  'a key of its own limits wins over the provider default; unlimited keys take the overflow',
  async (t) => {
    const pool = new CredentialPool({
      provider: 'p',
      credentials: [
        { id: 'p#1', apiKey: 'a', limits: { concurrency: 1 } },
        { id: 'p#2', apiKey: 'b' },
      ],
    });
    t.teardown(() => pool.close());
    const { call, started, releases } = gate();
    const results = Array.from({ length: 3 }, () => pool.run(call));
    await until(() => started.length >= 3);
    t.same(started.sort(), ['p#1', 'p#2', 'p#2'], 'the least busy key gets each call');
    releases.forEach((release) => release());
    await Promise.all(results);
  },
);

t.test('rpm spaces calls by 60/rpm seconds on each key', async (t) => {
  const pool = new CredentialPool({ provider: 'p', credentials: keys(1), limits: { rpm: 600 } });
  t.teardown(() => pool.close());
  const starts: number[] = [];
  await Promise.all(Array.from({ length: 3 }, () => pool.run(async () => void starts.push(Date.now()))));
  t.ok(
    starts[1]! - starts[0]! >= 90 && starts[2]! - starts[1]! >= 90,
    `starts ${starts.map((s) => s - starts[0]!).join(', ')} ms apart by >= 100 ms`,
  );
});

t.test('a call that waits too long in the queue is a 429, and never reaches the vendor', async (t) => {
  const pool = new CredentialPool({
    provider: 'p',
    credentials: keys(1),
    limits: { concurrency: 1 },
    queueTimeoutMs: 50,
  });
  t.teardown(() => pool.close());
  const { call, started, releases } = gate();
  const first = pool.run(call);
  const error = await pool.run(call).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  t.ok(isUigError(error));
  t.match(error, { status: 429, code: 'RATE_LIMIT_EXCEEDED', retryable: false, provider: 'p' });
  releases[0]!();
  await first;
  await tick(20);
  t.equal(started.length, 1, 'the timed-out call was dropped when its turn came');
});

t.test('a key the vendor rejects leaves rotation and is reported once', async (t) => {
  const disabled: Array<[string, string]> = [];
  let now = 0;
  const pool = new CredentialPool({
    provider: 'p',
    credentials: keys(3),
    now: () => now,
    cooldownMs: 1000,
    onDisabled: (id, reason) => void disabled.push([id, reason]),
  });
  const fail = (id: string, error: Error) => (credential: Credential) =>
    credential.id === id ? Promise.reject(error) : Promise.resolve(credential.id);
  await pool
    .run(fail('p#1', new UpstreamAuthenticationError('bad key', { provider: 'p' })))
    .catch(() => undefined);
  await pool
    .run(fail('p#2', new QuotaExhaustedError('no balance', { provider: 'p' })))
    .catch(() => undefined);
  t.same(disabled, [
    ['p#1', 'UPSTREAM_AUTHENTICATION'],
    ['p#2', 'INSUFFICIENT_QUOTA'],
  ]);
  t.equal(pool.available, 1);
  const used = await Promise.all(
    Array.from({ length: 3 }, () => pool.run(async (credential) => credential.id)),
  );
  t.same(used, ['p#3', 'p#3', 'p#3'], 'only the good key is used');
  now = 1001;
  t.equal(pool.available, 3, 'back after the cool-down');
});

t.test("with Redis, instances share each key's limiter", async (t) => {
  const redis = await startRedis(t);
  const connections = [0, 1].map(() => new Bottleneck.IORedisConnection({ client: redis.client(), Redis }));
  // Bottleneck unsubscribes a closed limiter without waiting: let that finish before quitting.
  t.teardown(async () => {
    await tick(20);
    await Promise.all(connections.map((connection) => connection.disconnect(false)));
  });
  const pools = connections.map(
    (connection) =>
      new CredentialPool({ provider: 'p', credentials: keys(1), limits: { concurrency: 1 }, connection }),
  );
  t.teardown(() => Promise.all(pools.map((pool) => pool.close())));
  let running = 0;
  let peak = 0;
  const call = async () => {
    running++;
    peak = Math.max(peak, running);
    await tick(30);
    running--;
  };
  await Promise.all([pools[0]!.run(call), pools[1]!.run(call), pools[0]!.run(call), pools[1]!.run(call)]);
  t.equal(peak, 1, 'concurrency 1 holds across both instances');
});
