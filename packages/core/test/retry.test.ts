import t from 'tap';
import {
  InvalidRequestError,
  QuotaExhaustedError,
  RateLimitedError,
  UpstreamUnavailableError,
  withRetry,
} from '@uig/core';

const policy = { retries: 2, minDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 30_000 };

function recorder() {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms: number) => void sleeps.push(ms) };
}

t.test('a retryable error is retried and the call then succeeds', async (t) => {
  const { sleeps, sleep } = recorder();
  let attempts = 0;
  const result = await withRetry(
    async () => {
      attempts++;
      if (attempts === 1) throw new UpstreamUnavailableError('down');
      return 'ok';
    },
    { ...policy, sleep, random: () => 0.5 },
  );
  t.equal(result, 'ok');
  t.equal(attempts, 2);
  t.same(sleeps, [75]); // half the base plus half the jitter of 100 ms
});

t.test('Retry-After from the vendor sets the wait', async (t) => {
  const { sleeps, sleep } = recorder();
  let attempts = 0;
  await withRetry(
    async () => {
      if (++attempts === 1) throw new RateLimitedError('slow down', { retryAfterMs: 7000 });
      return 'ok';
    },
    { ...policy, sleep },
  );
  t.same(sleeps, [7000]);
});

t.test('a Retry-After beyond the cap is not waited for: the 429 comes back', async (t) => {
  const { sleeps, sleep } = recorder();
  let attempts = 0;
  const error = await withRetry(
    async () => {
      attempts++;
      throw new RateLimitedError('slow down', { retryAfterMs: 60_000 });
    },
    { ...policy, sleep },
  ).catch((caught: unknown) => caught);
  t.ok(error instanceof RateLimitedError);
  t.equal(attempts, 1);
  t.same(sleeps, []);
});

t.test('errors that are not retryable are thrown at once', async (t) => {
  for (const error of [
    new QuotaExhaustedError('broke'),
    new InvalidRequestError('bad'),
    new Error('plain'),
  ]) {
    let attempts = 0;
    const { sleeps, sleep } = recorder();
    const caught = await withRetry(
      async () => {
        attempts++;
        throw error;
      },
      { ...policy, sleep },
    ).catch((value: unknown) => value);
    t.equal(caught, error);
    t.equal(attempts, 1, `${error.name} tried once`);
    t.same(sleeps, []);
  }
});

t.test('retries stop after the configured number, with growing waits', async (t) => {
  const { sleeps, sleep } = recorder();
  let attempts = 0;
  await t.rejects(
    withRetry(
      async () => {
        attempts++;
        throw new UpstreamUnavailableError('down');
      },
      { ...policy, sleep, random: () => 1 },
    ),
    { code: 'UPSTREAM_UNAVAILABLE' },
  );
  t.equal(attempts, 3);
  t.same(sleeps, [100, 200]);
});
