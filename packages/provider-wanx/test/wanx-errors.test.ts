import t from 'tap';
import {
  ContentPolicyError,
  InvalidRequestError,
  InvalidUpstreamResponseError,
  ModelNotFoundError,
  QuotaExhaustedError,
  RateLimitedError,
  UpstreamAuthenticationError,
  UpstreamUnavailableError,
} from '@uig/core';
import {
  dashScopeErrorBody,
  dashScopeRequests,
  dashScopeSynchronousCallMessage,
  dashScopeTriggers,
} from '@uig/testkit';
import { caught, callFor, polls, setup } from './helpers.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/** docs/providers/wanx.md §4.7: vendor code → core class, code, retryable. */
const table: Array<[string, ErrorClass, string, boolean]> = [
  ['InvalidParameter', InvalidRequestError, 'INVALID_REQUEST', false],
  ['DataInspectionFailed', ContentPolicyError, 'CONTENT_POLICY_VIOLATION', false],
  ['IPInfringementSuspect', ContentPolicyError, 'CONTENT_POLICY_VIOLATION', false],
  ['Arrearage', QuotaExhaustedError, 'INSUFFICIENT_QUOTA', false],
  ['InvalidApiKey', UpstreamAuthenticationError, 'UPSTREAM_AUTHENTICATION', false],
  ['AccessDenied', UpstreamAuthenticationError, 'UPSTREAM_AUTHENTICATION', false],
  ['AccessDenied.Unpurchased', UpstreamAuthenticationError, 'UPSTREAM_AUTHENTICATION', false],
  ['Model.AccessDenied', UpstreamAuthenticationError, 'UPSTREAM_AUTHENTICATION', false],
  ['ModelNotFound', ModelNotFoundError, 'MODEL_NOT_FOUND', false],
  ['Throttling', RateLimitedError, 'RATE_LIMIT_EXCEEDED', true],
  ['Throttling.RateQuota', RateLimitedError, 'RATE_LIMIT_EXCEEDED', true],
  ['Throttling.AllocationQuota', RateLimitedError, 'RATE_LIMIT_EXCEEDED', true],
  ['AllocationQuota.FreeTierOnly', QuotaExhaustedError, 'INSUFFICIENT_QUOTA', false],
  ['InternalError', UpstreamUnavailableError, 'UPSTREAM_UNAVAILABLE', true],
  ['InternalError.Timeout', UpstreamUnavailableError, 'UPSTREAM_UNAVAILABLE', true],
  ['InternalError.Algo', UpstreamUnavailableError, 'UPSTREAM_UNAVAILABLE', true],
];

t.test('every docs/providers/wanx.md §4.7 error at task creation', async (t) => {
  const { fake, provider } = await setup(t);
  for (const [vendorCode, errorClass, code, retryable] of table) {
    const error = await caught(
      t,
      provider.generate(callFor({ prompt: dashScopeTriggers.error(vendorCode) })),
    );
    t.type(error, errorClass, vendorCode);
    t.equal(error.code, code, vendorCode);
    t.equal(error.retryable, retryable, vendorCode);
    t.equal(error.vendorCode, vendorCode, vendorCode);
    t.equal(error.provider, 'wanx', vendorCode);
    t.type(error.vendorRequestId, 'string', vendorCode);
    t.notOk(String(error.message).includes('sk-test'), vendorCode);
  }
  t.equal(polls(fake).length, 0);
});

t.test('every docs/providers/wanx.md §4.7 error inside output on FAILED', async (t) => {
  const { provider } = await setup(t, { fake: { pendingPolls: 0, runningPolls: 0 } });
  for (const [vendorCode, errorClass, code, retryable] of table) {
    const error = await caught(
      t,
      provider.generate(callFor({ prompt: dashScopeTriggers.taskFailed(vendorCode) })),
    );
    t.type(error, errorClass, vendorCode);
    t.equal(error.code, code, vendorCode);
    t.equal(error.retryable, retryable, vendorCode);
    t.equal(error.vendorCode, vendorCode, vendorCode);
  }
});

t.test(
  'HTTP 200 with a top-level code is mapped by its code, never a success (docs/providers/wanx.md §4.7)',
  async (t) => {
    const { fake, provider } = await setup(t);
    for (const [vendorCode, errorClass, code] of table) {
      const error = await caught(
        t,
        provider.generate(callFor({ prompt: dashScopeTriggers.errorWithStatus200(vendorCode) })),
      );
      t.type(error, errorClass, vendorCode);
      t.equal(error.code, code, vendorCode);
    }
    // On a poll, too.
    fake.failWith('DataInspectionFailed', { status: 200, match: dashScopeRequests.poll });
    const refused = await caught(t, provider.generate(callFor()));
    t.type(refused, ContentPolicyError);
  },
);

t.test('statuses without a DashScope body', async (t) => {
  const { fake, provider } = await setup(t);
  const cases: Array<[number, ErrorClass, string, boolean]> = [
    [502, UpstreamUnavailableError, 'UPSTREAM_UNAVAILABLE', true],
    [503, UpstreamUnavailableError, 'UPSTREAM_UNAVAILABLE', true],
    [429, RateLimitedError, 'RATE_LIMIT_EXCEEDED', true],
    [401, UpstreamAuthenticationError, 'UPSTREAM_AUTHENTICATION', false],
    [404, InvalidUpstreamResponseError, 'INVALID_UPSTREAM_RESPONSE', false],
  ];
  for (const [status, errorClass, code, retryable] of cases) {
    fake.inject({
      fault: { kind: 'status', status, body: 'upstream trouble' },
      match: dashScopeRequests.create,
    });
    const error = await caught(t, provider.generate(callFor()));
    t.type(error, errorClass, String(status));
    t.equal(error.code, code, String(status));
    t.equal(error.retryable, retryable, String(status));
  }
});

t.test('the missing-async-header refusal is our bug, not a bad key', async (t) => {
  const { fake, provider } = await setup(t);
  fake.inject({
    fault: {
      kind: 'status',
      status: 403,
      body: dashScopeErrorBody('AccessDenied', { message: dashScopeSynchronousCallMessage }),
    },
    match: dashScopeRequests.create,
  });
  const error = await caught(t, provider.generate(callFor()));
  t.type(error, InvalidUpstreamResponseError);
  t.equal(error.code, 'INVALID_UPSTREAM_RESPONSE');
  t.equal(error.vendorCode, 'AccessDenied');
  t.equal(error.retryable, false);
});

t.test('a Retry-After header on a throttle is honoured, should one come', async (t) => {
  const { fake, provider } = await setup(t);
  fake.failWith('Throttling.RateQuota', { headers: { 'retry-after': '7' } });
  const error = await caught(t, provider.generate(callFor()));
  t.type(error, RateLimitedError);
  t.equal(error.retryAfterMs, 7000);
});

t.test('transport and body faults at creation', async (t) => {
  const { fake, provider } = await setup(t);
  fake.inject({ fault: { kind: 'reset' }, match: dashScopeRequests.create });
  const reset = await caught(t, provider.generate(callFor()));
  t.type(reset, UpstreamUnavailableError);
  t.equal(reset.retryable, true);
  fake.inject({ fault: { kind: 'malformed-json' }, match: dashScopeRequests.create });
  const malformed = await caught(t, provider.generate(callFor()));
  t.type(malformed, InvalidUpstreamResponseError);
  fake.inject({
    fault: { kind: 'status', status: 200, body: { output: { task_status: 'PENDING' }, request_id: 'r' } },
    match: dashScopeRequests.create,
  });
  const noTaskId = await caught(t, provider.generate(callFor()));
  t.type(noTaskId, InvalidUpstreamResponseError);
  t.equal(noTaskId.code, 'INVALID_UPSTREAM_RESPONSE');
});

t.test('a poll body without task_status is invalid', async (t) => {
  const { fake, provider } = await setup(t);
  fake.inject({
    fault: { kind: 'status', status: 200, body: { request_id: 'r', output: {} } },
    match: dashScopeRequests.poll,
  });
  const error = await caught(t, provider.generate(callFor()));
  t.type(error, InvalidUpstreamResponseError);
});
