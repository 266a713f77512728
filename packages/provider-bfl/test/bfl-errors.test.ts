import t from 'tap';
import {
  ContentPolicyError,
  InvalidRequestError,
  ModelNotFoundError,
  QuotaExhaustedError,
  RateLimitedError,
  UpstreamAuthenticationError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from '@uig/core';
import { bflErrorFault, bflTriggers } from '@uig/testkit';
import { caught, callFor, setup } from './helpers.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/** docs/providers/bfl.md §7.6: every HTTP error of a submit → core class, code, retryable. */
const httpTable: Array<[number, ErrorClass, string, number, boolean]> = [
  [400, InvalidRequestError, 'INVALID_REQUEST', 400, false],
  [401, UpstreamAuthenticationError, 'UPSTREAM_AUTHENTICATION', 502, false],
  [402, QuotaExhaustedError, 'INSUFFICIENT_QUOTA', 429, false],
  [403, UpstreamAuthenticationError, 'UPSTREAM_AUTHENTICATION', 502, false],
  [404, ModelNotFoundError, 'MODEL_NOT_FOUND', 404, false],
  [429, RateLimitedError, 'RATE_LIMIT_EXCEEDED', 429, true],
  [500, UpstreamUnavailableError, 'UPSTREAM_UNAVAILABLE', 502, true],
  [503, UpstreamUnavailableError, 'UPSTREAM_UNAVAILABLE', 502, true],
];

t.test('every docs/providers/bfl.md §7.6 HTTP error of a submit', async (t) => {
  const { fake, provider } = await setup(t);
  for (const [status, errorClass, code, httpStatus, retryable] of httpTable) {
    const error = await caught(t, provider.generate(callFor({ prompt: `x ${bflTriggers.http(status)}` })));
    t.type(error, errorClass, String(status));
    t.equal(error.code, code, String(status));
    t.equal(error.status, httpStatus, String(status));
    t.equal(error.retryable, retryable, String(status));
    t.equal(error.provider, 'bfl');
    t.notOk(String(error.message).includes('bfl_test'));
  }
  t.equal(fake.polls.length, 0);
});

t.test('a 422 names the field: width → size, safety_tolerance → the provider option', async (t) => {
  const { provider } = await setup(t);
  const size = await caught(t, provider.generate(callFor({ size: { width: 1000, height: 1024 } })));
  t.type(size, InvalidRequestError);
  t.match(size, { status: 400, code: 'INVALID_SIZE', param: 'size', vendorCode: 'multiple_of' });
  const tolerance = await caught(
    t,
    provider.generate(
      callFor({
        model: 'flux-pro-1.1',
        size: { width: 1024, height: 768 },
        providerOptions: { safety_tolerance: 7 },
      }),
    ),
  );
  t.match(tolerance, {
    status: 400,
    param: 'provider_options.bfl.safety_tolerance',
    vendorCode: 'less_than_equal',
  });
  t.throws(
    () => provider.check!(callFor({ providerOptions: { safety_tolerance: 6 } }), 'generate'),
    { code: 'INVALID_REQUEST', param: 'provider_options.bfl.safety_tolerance' },
    'FLUX.2 stops at 5: refused before any call',
  );
});

t.test('the missing key answer, and a wrong key', async (t) => {
  const { provider } = await setup(t, { fake: { apiKeys: ['bfl_right'], authErrorStatus: 401 } });
  const error = await caught(t, provider.generate(callFor()));
  t.type(error, UpstreamAuthenticationError);
  t.equal(error.status, 502);
});

t.test('429 when too many tasks are in flight; 402 when credits run out', async (t) => {
  // Real (short) sleeps and a still clock: the stuck task polls until cancelled, never times out.
  const { fake, provider } = await setup(t, {
    fake: { concurrencyLimit: 1 },
    settings: { sleep: () => new Promise((resolve) => setTimeout(resolve, 5)), now: () => 0 },
  });
  const controller = new AbortController();
  const stuck = provider.generate(callFor({ prompt: bflTriggers.stuck, signal: controller.signal }));
  while (fake.tasks.size === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  const limited = await caught(t, provider.generate(callFor()));
  t.type(limited, RateLimitedError);
  t.equal(limited.retryable, true);
  controller.abort();
  await t.rejects(stuck, { code: 'REQUEST_ABORTED' });
  const { provider: poor } = await setup(t, { fake: { credits: 1 } });
  const quota = await caught(t, poor.generate(callFor()));
  t.type(quota, QuotaExhaustedError);
  t.equal(quota.retryable, false);
});

/** docs/providers/bfl.md §7.4: final statuses other than Ready. */
const statusTable: Array<[string, ErrorClass, string, boolean]> = [
  ['Request Moderated', ContentPolicyError, 'CONTENT_POLICY_VIOLATION', false],
  ['Content Moderated', ContentPolicyError, 'CONTENT_POLICY_VIOLATION', false],
  ['Error', UpstreamUnavailableError, 'UPSTREAM_UNAVAILABLE', true],
  ['Failed', UpstreamUnavailableError, 'UPSTREAM_UNAVAILABLE', true],
];

t.test('every docs/providers/bfl.md §7.4 final status', async (t) => {
  const { fake, provider } = await setup(t, { fake: { credits: 100 } });
  for (const [status, errorClass, code, retryable] of statusTable) {
    const error = await caught(
      t,
      provider.generate(callFor({ prompt: bflTriggers.status(status as 'Error') })),
    );
    t.type(error, errorClass, status);
    t.equal(error.code, code, status);
    t.equal(error.vendorCode, status, status);
    t.equal(error.retryable, retryable, status);
    t.equal(error.vendorRequestId, fake.lastTask!.id);
  }
  t.equal(fake.credits, 100 - 2 * 3.08, 'moderated tasks are not charged');
});

t.test('Task not found ends polling, not retried, whatever its HTTP status', async (t) => {
  for (const taskNotFoundHttpStatus of [200, 404]) {
    const { fake, provider } = await setup(t, { fake: { taskNotFoundHttpStatus } });
    const error = await caught(t, provider.generate(callFor({ prompt: bflTriggers.forgotten })));
    t.type(error, UpstreamUnavailableError);
    t.equal(error.vendorCode, 'Task not found');
    t.equal(error.retryable, false);
    t.equal(fake.polls.length, 1);
  }
});

t.test('polling rides out a 503 and a reset; a lasting failure stops, not retried', async (t) => {
  const { fake, provider } = await setup(t);
  fake.cluster.inject({ fault: bflErrorFault(503), times: 1 });
  fake.cluster.inject({ fault: { kind: 'reset' }, times: 1 });
  const result = await provider.generate(callFor());
  t.equal(result.images.length, 1);
  fake.cluster.inject({ fault: bflErrorFault(500), times: 10 });
  const error = await caught(t, provider.generate(callFor()));
  t.type(error, UpstreamUnavailableError);
  t.equal(error.retryable, false, 'the task may still run: core must not start a second one');
  t.equal(fake.submits.length, 2);
});

t.test('the task deadline, and cancellation stop polling', async (t) => {
  const { fake, provider } = await setup(t, { options: { taskDeadlineMs: 5_000 } });
  const late = await caught(t, provider.generate(callFor({ prompt: bflTriggers.stuck })));
  t.type(late, UpstreamTimeoutError);
  t.equal(late.retryable, false);
  const controller = new AbortController();
  const cancelled = provider.generate(
    callFor({
      prompt: bflTriggers.stuck,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    }),
  );
  await t.rejects(cancelled, { code: 'REQUEST_ABORTED' });
  const pollsAfter = fake.polls.length;
  await new Promise((resolve) => setTimeout(resolve, 20));
  t.equal(fake.polls.length, pollsAfter, 'no poll after the cancel');
});
