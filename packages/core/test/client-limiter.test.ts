import t, { type Test } from 'tap';
import { Redis } from 'ioredis';
import {
  ClientLimiter,
  isUigError,
  RateLimitedError,
  type ClientConfig,
  type ClientLimiterOptions,
} from '@uig/core';
import { startRedis } from './redis-server.js';

const client = (name: string, limits: ClientConfig['limits']): ClientConfig => ({
  name,
  keyHash: '0'.repeat(64),
  ...(limits ? { limits } : {}),
});
const start = Date.UTC(2026, 0, 10, 12, 0, 0);

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isUigError(error)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

type Factory = (t: Test, options: ClientLimiterOptions) => Promise<ClientLimiter>;

const backends: Array<[string, Factory]> = [
  ['in-process', async (_t, options) => new ClientLimiter(options)],
  [
    'redis',
    async (t, options) => {
      const redis = await startRedis(t);
      return new ClientLimiter({ ...options, redis: redis.client() });
    },
  ],
];

for (const [backend, make] of backends) {
  t.test(`${backend}: rpm is a bucket of rpm requests refilled at rpm per minute`, async (t) => {
    let now = start;
    const limiter = await make(t, { now: () => now });
    const design = client('design', { rpm: 3 });
    const remaining = [];
    for (let index = 0; index < 3; index++) {
      const admission = await limiter.admit(design, 1);
      t.equal(admission.limit, 3);
      remaining.push(admission.remaining);
      admission.release(1);
    }
    t.same(remaining, [2, 1, 0]);
    const error = await refusal(limiter.admit(design, 1));
    t.ok(error instanceof RateLimitedError);
    t.equal(error.code, 'RATE_LIMIT_EXCEEDED');
    t.equal(error.status, 429);
    t.equal(error.retryable, false, 'our own limit: core must not retry it');
    t.equal(error.retryAfterMs, 20_000, 'one request drips back every 60/rpm seconds');
    t.same(await limiter.peek(design), { limit: 3, remaining: 0 });
    now += 20_000;
    t.same(await limiter.peek(design), { limit: 3, remaining: 1 });
    const again = await limiter.admit(design, 1);
    t.equal(again.remaining, 0);
    t.ok(await limiter.admit(client('other', { rpm: 3 }), 1), 'keys do not share a bucket');
  });

  t.test(`${backend}: concurrency counts admitted requests until release`, async (t) => {
    const limiter = await make(t, { now: () => start });
    const design = client('design', { concurrency: 2 });
    const first = await limiter.admit(design, 1);
    await limiter.admit(design, 1);
    const error = await refusal(limiter.admit(design, 1));
    t.equal(error.code, 'RATE_LIMIT_EXCEEDED');
    t.equal(error.retryAfterMs, 1000);
    t.equal(first.limit, undefined, 'no rpm limit: nothing for the rpm headers');
    first.release(1);
    first.release(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await limiter.admit(design, 1);
    await refusal(limiter.admit(design, 1));
    t.pass('a double release frees one slot, not two');
  });

  t.test(
    `${backend}: images per day reserve n, refund what was not delivered, reset at UTC midnight`,
    async (t) => {
      let now = start;
      const limiter = await make(t, { now: () => now });
      const design = client('design', { imagesPerDay: 5 });
      const first = await limiter.admit(design, 3);
      const error = await refusal(limiter.admit(design, 3));
      t.equal(error.retryAfterMs, 12 * 3_600_000, 'wait until midnight UTC');
      first.release(1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      (await limiter.admit(design, 3)).release(3);
      await refusal(limiter.admit(design, 2));
      (await limiter.admit(design, 1)).release();
      await refusal(limiter.admit(design, 1));
      now += 12 * 3_600_000;
      (await limiter.admit(design, 5)).release(5);
      t.pass('a new day starts from zero');
    },
  );

  t.test(`${backend}: no limits costs nothing`, async (t) => {
    const limiter = await make(t, {});
    const a = await limiter.admit(client('free', undefined), 10);
    const b = await limiter.admit(undefined, 10);
    t.equal(a, b, 'one shared admission object');
    t.equal(limiter.trackedKeys, 0);
    t.same(await limiter.peek(undefined), {});
  });
}

t.test('in-process: the day count starts from the ledger, and idle keys are evicted', async (t) => {
  let now = start;
  const limiter = new ClientLimiter({ now: () => now, usedToday: (name) => (name === 'busy' ? 4 : 0) });
  await refusal(limiter.admit(client('busy', { imagesPerDay: 5 }), 2));
  for (let index = 0; index < 10_000; index++) {
    (await limiter.admit(client(`key-${index}`, { rpm: 60, concurrency: 2, imagesPerDay: 100 }), 1)).release(
      1,
    );
  }
  t.equal(limiter.trackedKeys, 10_001);
  const held = await limiter.admit(client('held', { concurrency: 1 }), 1);
  now += 2 * 60_000;
  await limiter.admit(client('fresh', { rpm: 60 }), 1);
  t.equal(limiter.trackedKeys, 2, 'idle keys are swept; a key holding a slot stays');
  await refusal(limiter.admit(client('held', { concurrency: 1 }), 1));
  held.release();
  await refusal(limiter.admit(client('busy', { imagesPerDay: 5 }), 2));
  t.pass('an evicted key gets its day count back from the ledger');
});

t.test("redis: instances share the counts, and a dead instance's slot expires with its lease", async (t) => {
  const redis = await startRedis(t);
  let now = start;
  const a = new ClientLimiter({ now: () => now, redis: redis.client(), leaseMs: 60_000 });
  const b = new ClientLimiter({ now: () => now, redis: redis.client(), leaseMs: 60_000 });
  const design = client('design', { rpm: 2, concurrency: 1 });
  await a.admit(design, 1);
  const error = await refusal(b.admit(design, 1));
  t.equal(error.code, 'RATE_LIMIT_EXCEEDED', 'the slot taken on instance a counts on instance b');
  now += 30_000;
  await refusal(b.admit(design, 1));
  now += 31_000;
  const admission = await b.admit(design, 1);
  t.equal(admission.remaining, 1, 'rpm shared: two admitted in 61 s, bucket refilled by then to one');
  t.equal(b.trackedKeys, 0, 'no per-key state in process');
});

t.test('redis: unreachable means 503, not unlimited', async (t) => {
  const redis = new Redis('redis://127.0.0.1:1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  t.teardown(() => redis.disconnect());
  const limiter = new ClientLimiter({ redis });
  const error = await refusal(limiter.admit(client('design', { rpm: 5 }), 1));
  t.equal(error.status, 503);
  t.equal(error.code, 'LIMITER_UNAVAILABLE');
  t.ok(await limiter.admit(client('free', undefined), 1), 'keys without limits never touch Redis');
});
