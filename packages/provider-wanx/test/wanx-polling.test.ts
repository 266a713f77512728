import t from 'tap';
import {
  InvalidUpstreamResponseError,
  RequestAbortedError,
  UpstreamAuthenticationError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
  RateLimitedError,
} from '@uig/core';
import { dashScopeErrorFault, dashScopeRequests, dashScopeTriggers } from '@uig/testkit';
import { wanxPollInterval } from '../src/index.js';
import { caught, callFor, cancels, polls, setup } from './helpers.js';

t.test(
  'backoff: 1 s doubling to a 5 s cap, the last wait cut at the deadline; a RUNNING task is not cancelled',
  async (t) => {
    const { fake, provider, sleeps } = await setup(t, { options: { taskDeadlineMs: 30_000 } });
    const error = await caught(t, provider.generate(callFor({ prompt: dashScopeTriggers.stuckRunning })));
    t.type(error, UpstreamTimeoutError);
    t.equal(error.code, 'UPSTREAM_TIMEOUT');
    t.equal(error.retryable, false);
    t.same(sleeps, [1000, 2000, 4000, 5000, 5000, 5000, 5000, 3000]);
    t.equal(polls(fake).length, 8);
    // docs/providers/wanx.md §4.1: only PENDING tasks can be cancelled.
    t.equal(cancels(fake).length, 0);
  },
);

t.test('the schedule is configurable (the SDK doubles every 3 polls)', async (t) => {
  const { provider, sleeps } = await setup(t, {
    options: {
      pollInitialIntervalMs: 500,
      pollMaxIntervalMs: 2000,
      pollDoublingEvery: 3,
      taskDeadlineMs: 9_000,
    },
  });
  await caught(t, provider.generate(callFor({ prompt: dashScopeTriggers.stuckRunning })));
  t.same(sleeps, [500, 500, 500, 1000, 1000, 1000, 2000, 2000, 500]);
  t.equal(wanxPollInterval(0, { initialIntervalMs: 1000, maxIntervalMs: 5000, doublingEvery: 1 }), 1000);
  t.equal(wanxPollInterval(10, { initialIntervalMs: 1000, maxIntervalMs: 5000, doublingEvery: 1 }), 5000);
});

t.test('deadline with the task still PENDING: cancel it, then time out', async (t) => {
  const { fake, provider } = await setup(t, { options: { taskDeadlineMs: 10_000 } });
  const error = await caught(t, provider.generate(callFor({ prompt: dashScopeTriggers.stuckPending })));
  t.type(error, UpstreamTimeoutError);
  t.equal(error.retryable, false);
  t.equal(cancels(fake).length, 1);
  t.equal(cancels(fake)[0]!.headers.authorization, 'Bearer sk-test');
  t.equal(fake.lastTask!.status, 'CANCELED');
});

t.test('a failed cancel does not hide the timeout', async (t) => {
  const { fake, provider } = await setup(t, { options: { taskDeadlineMs: 3_000 } });
  fake.inject({ fault: { kind: 'reset' }, match: dashScopeRequests.cancel });
  const error = await caught(t, provider.generate(callFor({ prompt: dashScopeTriggers.stuckPending })));
  t.type(error, UpstreamTimeoutError);
  t.equal(cancels(fake).length, 1);
});

t.test('HTTP 503 and 504 while polling: keep polling (docs/providers/wanx.md §4.6)', async (t) => {
  const { fake, provider, sleeps } = await setup(t, { fake: { pendingPolls: 0, runningPolls: 0 } });
  const result = await provider.generate(callFor({ prompt: dashScopeTriggers.pollGatewayErrors }));
  t.equal(result.images.length, 1);
  t.equal(polls(fake).length, 3);
  t.same(sleeps, [1000, 2000, 4000]);
});

t.test('many 503s in a row are not counted as failures; only the deadline ends them', async (t) => {
  const { fake, provider } = await setup(t, { fake: { pendingPolls: 0, runningPolls: 0 } });
  fake.inject({ fault: { kind: 'status', status: 503 }, times: 6, match: dashScopeRequests.poll });
  const result = await provider.generate(callFor());
  t.equal(result.images.length, 1);
  t.equal(polls(fake).length, 7);
});

t.test('a reset, a 429 or a 500 while polling is tolerated up to 3 in a row', async (t) => {
  const { fake, provider } = await setup(t, { fake: { pendingPolls: 0, runningPolls: 0 } });
  fake.inject({ fault: { kind: 'reset' }, times: 1, match: dashScopeRequests.poll });
  fake.inject({
    fault: dashScopeErrorFault('Throttling.RateQuota'),
    times: 1,
    match: dashScopeRequests.poll,
  });
  fake.inject({ fault: dashScopeErrorFault('InternalError'), times: 1, match: dashScopeRequests.poll });
  const result = await provider.generate(callFor());
  t.equal(result.images.length, 1);
  t.equal(polls(fake).length, 4);
});

t.test('a fourth failure in a row ends polling, not retryable (the task may still run)', async (t) => {
  const { fake, provider } = await setup(t, { fake: { pendingPolls: 5 } });
  fake.inject({
    fault: dashScopeErrorFault('InternalError'),
    times: 4,
    after: 1,
    match: dashScopeRequests.poll,
  });
  const error = await caught(t, provider.generate(callFor()));
  t.type(error, UpstreamUnavailableError);
  t.equal(error.vendorCode, 'InternalError');
  t.equal(error.retryable, false);
  t.equal(polls(fake).length, 5);
  // Still PENDING when we gave up: cancelled.
  t.equal(cancels(fake).length, 1);

  const throttled = await setup(t, { fake: { pendingPolls: 0, runningPolls: 3 } });
  throttled.fake.inject({
    fault: dashScopeErrorFault('Throttling.RateQuota'),
    times: 4,
    after: 1,
    match: dashScopeRequests.poll,
  });
  const limited = await caught(t, throttled.provider.generate(callFor()));
  t.type(limited, RateLimitedError);
  t.equal(limited.retryable, false);
  t.equal(cancels(throttled.fake).length, 0);
});

t.test("a 401 while polling ends it at once; a 400 there is the vendor's inconsistency", async (t) => {
  const { fake, provider } = await setup(t);
  fake.inject({ fault: dashScopeErrorFault('InvalidApiKey'), match: dashScopeRequests.poll });
  const auth = await caught(t, provider.generate(callFor()));
  t.type(auth, UpstreamAuthenticationError);
  t.equal(auth.code, 'UPSTREAM_AUTHENTICATION');
  t.equal(polls(fake).length, 1);
  fake.inject({ fault: dashScopeErrorFault('InvalidParameter'), match: dashScopeRequests.poll });
  const invalid = await caught(t, provider.generate(callFor()));
  t.type(invalid, InvalidUpstreamResponseError);
  t.equal(invalid.code, 'INVALID_UPSTREAM_RESPONSE');
});

t.test('malformed poll answers are invalid upstream responses', async (t) => {
  const { fake, provider } = await setup(t);
  fake.inject({ fault: { kind: 'malformed-json' }, match: dashScopeRequests.poll });
  const error = await caught(t, provider.generate(callFor()));
  t.type(error, InvalidUpstreamResponseError);
  t.equal(error.code, 'INVALID_UPSTREAM_RESPONSE');
});

t.test('abort: polling stops at once, the PENDING task is cancelled, REQUEST_ABORTED', async (t) => {
  const { fake, provider, sleeps } = await setup(t);
  const controller = new AbortController();
  let events = 0;
  const error = await caught(
    t,
    provider.generate(
      callFor({
        prompt: dashScopeTriggers.stuckPending,
        signal: controller.signal,
        onProgress: () => {
          // After the second poll answers, the client goes away.
          if (++events === 3) controller.abort();
        },
      }),
    ),
  );
  t.type(error, RequestAbortedError);
  t.equal(error.code, 'REQUEST_ABORTED');
  t.equal(polls(fake).length, 2);
  t.equal(sleeps.length, 3);
  t.equal(cancels(fake).length, 1);
  t.equal(fake.lastTask!.status, 'CANCELED');
});

t.test('abort during a poll that hangs', async (t) => {
  const { fake, provider } = await setup(t);
  fake.inject({ fault: { kind: 'hang' }, match: dashScopeRequests.poll });
  const controller = new AbortController();
  const pending = provider.generate(
    callFor({ signal: controller.signal, onProgress: () => setTimeout(() => controller.abort(), 20) }),
  );
  const error = await caught(t, pending);
  t.type(error, RequestAbortedError);
  t.equal(polls(fake).length, 1);
});

t.test("core's upstream timeout firing: UPSTREAM_TIMEOUT, not retried", async (t) => {
  const { fake, provider } = await setup(t);
  const controller = new AbortController();
  const error = await caught(
    t,
    provider.generate(
      callFor({
        prompt: dashScopeTriggers.stuckRunning,
        signal: controller.signal,
        onProgress: () => controller.abort(new DOMException('The operation timed out.', 'TimeoutError')),
      }),
    ),
  );
  t.type(error, UpstreamTimeoutError);
  t.equal(error.retryable, false);
  t.equal(polls(fake).length, 0);
  // Still PENDING as far as we know: cancelled.
  t.equal(cancels(fake).length, 1);
});

t.test('an already aborted call never reaches the vendor', async (t) => {
  const { fake, provider } = await setup(t);
  const controller = new AbortController();
  controller.abort();
  const error = await caught(t, provider.generate(callFor({ signal: controller.signal })));
  t.type(error, RequestAbortedError);
  t.equal(fake.lastTask, undefined);
});
