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
import { cogviewTriggers } from '@uig/testkit';
import { callFor, caught, setup } from './helpers.js';

type ErrorClass = abstract new (...args: never[]) => Error;

// docs/providers/cogview.md §1.6: every business code, the core error it becomes, its code, and whether core may retry it.
const table: Array<[string, ErrorClass, string, boolean]> = [
  ['1302', RateLimitedError, 'RATE_LIMIT_EXCEEDED', true],
  ['1303', RateLimitedError, 'RATE_LIMIT_EXCEEDED', true],
  ['1113', QuotaExhaustedError, 'INSUFFICIENT_QUOTA', false],
  ['1304', QuotaExhaustedError, 'INSUFFICIENT_QUOTA', false],
  ['1308', QuotaExhaustedError, 'INSUFFICIENT_QUOTA', false],
  ['1211', ModelNotFoundError, 'MODEL_NOT_FOUND', false],
  ['1214', InvalidRequestError, 'INVALID_SIZE', false],
  ['1210', InvalidRequestError, 'INVALID_REQUEST', false],
  ['1213', InvalidRequestError, 'INVALID_REQUEST', false],
  ['1215', InvalidRequestError, 'INVALID_REQUEST', false],
  ['1200', InvalidRequestError, 'INVALID_REQUEST', false],
  ['1000', UpstreamAuthenticationError, 'UPSTREAM_AUTHENTICATION', false],
  ['1001', UpstreamAuthenticationError, 'UPSTREAM_AUTHENTICATION', false],
  ['1002', UpstreamAuthenticationError, 'UPSTREAM_AUTHENTICATION', false],
  ['1003', UpstreamAuthenticationError, 'UPSTREAM_AUTHENTICATION', false],
  ['1004', UpstreamAuthenticationError, 'UPSTREAM_AUTHENTICATION', false],
  ['1112', UpstreamAuthenticationError, 'UPSTREAM_AUTHENTICATION', false],
  ['500', UpstreamUnavailableError, 'UPSTREAM_UNAVAILABLE', true],
];

t.test('each docs/providers/cogview.md §1.6 code maps to its core error', async (t) => {
  const { fake, provider } = await setup(t);
  for (const [vendorCode, errorClass, code, retryable] of table) {
    fake.failWith(vendorCode);
    const error = await caught(t, provider.generate(callFor()));
    t.type(error, errorClass, vendorCode);
    t.equal(error.code, code, vendorCode);
    t.equal(error.retryable, retryable, vendorCode);
    t.equal(error.vendorCode, vendorCode, vendorCode);
    t.equal(error.provider, 'cogview', vendorCode);
    t.notMatch(error.message, /key-secret/, `${vendorCode}: no key in the message`);
  }
  t.equal(fake.callsTo('/images/generations').length, table.length);
});

t.test('a 1214 naming size points at the size param', async (t) => {
  const { fake, provider } = await setup(t);
  fake.failWith('1214');
  const error = await caught(t, provider.generate(callFor()));
  t.equal(error.param, 'size');
});

t.test('trigger words, end to end through the fake', async (t) => {
  const { provider } = await setup(t);
  const expected: Array<[string, ErrorClass, string]> = [
    [cogviewTriggers.unsafePrompt, ContentPolicyError, '1301'],
    [cogviewTriggers.unsafeOutput, ContentPolicyError, '1301'],
    [cogviewTriggers.concurrency, RateLimitedError, '1302'],
    [cogviewTriggers.frequency, RateLimitedError, '1303'],
    [cogviewTriggers.dailyLimit, QuotaExhaustedError, '1304'],
    [cogviewTriggers.usageLimit, QuotaExhaustedError, '1308'],
    [cogviewTriggers.balance, QuotaExhaustedError, '1113'],
    [cogviewTriggers.serverError, UpstreamUnavailableError, '500'],
  ];
  for (const [word, errorClass, vendorCode] of expected) {
    const error = await caught(t, provider.generate(callFor({ prompt: `a fox ${word}` })));
    t.type(error, errorClass, word);
    t.equal(error.vendorCode, vendorCode, word);
  }
});

t.test('1301 is a content-policy refusal, never retried', async (t) => {
  const { provider } = await setup(t);
  const error = await caught(t, provider.generate(callFor({ prompt: cogviewTriggers.unsafePrompt })));
  t.type(error, ContentPolicyError);
  t.equal(error.code, 'CONTENT_POLICY_VIOLATION');
  t.equal(error.retryable, false);
  t.equal(error.status, 400);
});

t.test('1308 carries the reset time as retryAfterMs', async (t) => {
  const { fake, provider } = await setup(t);
  fake.failWith('1308');
  const error = await caught(t, provider.generate(callFor()));
  t.type(error, QuotaExhaustedError);
  // The fake names a reset one hour on (Beijing time), to the second.
  t.ok(
    error.retryAfterMs > 3_590_000 && error.retryAfterMs <= 3_600_000,
    `retryAfterMs ${error.retryAfterMs}`,
  );
});

t.test('headers: request id, Retry-After and x-should-retry are honoured', async (t) => {
  const { fake, provider } = await setup(t);
  fake.failWith('1302', { headers: { 'x-request-id': 'vendor-req-7', 'retry-after': '2' } });
  const limited = await caught(t, provider.generate(callFor()));
  t.equal(limited.vendorRequestId, 'vendor-req-7');
  t.equal(limited.retryAfterMs, 2000);
  fake.failWith('500', { headers: { 'x-should-retry': 'false' } });
  const unavailable = await caught(t, provider.generate(callFor()));
  t.type(unavailable, UpstreamUnavailableError);
  t.equal(unavailable.retryable, false);
});

t.test('a request_id in the error body is kept', async (t) => {
  const { fake, provider } = await setup(t, { fake: { requestIdInBodies: true } });
  const error = await caught(t, provider.generate(callFor({ prompt: cogviewTriggers.balance })));
  t.type(error.vendorRequestId, 'string');
  t.equal(fake.callsTo('/images/generations').length, 1);
});

t.test('other 5xx without a CogView body is retryable; other unparseable answers are invalid', async (t) => {
  const { fake, provider } = await setup(t);
  fake.inject({ fault: { kind: 'status', status: 502, body: '<html>bad gateway</html>' } });
  const gateway = await caught(t, provider.generate(callFor()));
  t.type(gateway, UpstreamUnavailableError);
  t.equal(gateway.retryable, true);
  fake.inject({ fault: { kind: 'status', status: 418, body: { teapot: true } } });
  const odd = await caught(t, provider.generate(callFor()));
  t.type(odd, InvalidUpstreamResponseError);
  t.equal(odd.code, 'INVALID_UPSTREAM_RESPONSE');
});

t.test('malformed JSON and a 200 without data[0].url are invalid upstream responses', async (t) => {
  const { fake, provider } = await setup(t);
  fake.inject({ fault: { kind: 'malformed-json' } });
  const malformed = await caught(t, provider.generate(callFor()));
  t.type(malformed, InvalidUpstreamResponseError);
  t.equal(malformed.retryable, false);
  fake.inject({ fault: { kind: 'status', status: 200, body: { created: 1, data: [] } } });
  t.type(await caught(t, provider.generate(callFor())), InvalidUpstreamResponseError);
  fake.inject({ fault: { kind: 'status', status: 200, body: { created: 1, data: [{ b64_json: 'AAAA' }] } } });
  t.type(await caught(t, provider.generate(callFor())), InvalidUpstreamResponseError);
  // A 200 carrying the docs/providers/cogview.md §1.6 envelope is still the vendor's error.
  fake.inject({ fault: { kind: 'status', status: 200, body: { error: { code: '1302', message: 'busy' } } } });
  t.type(await caught(t, provider.generate(callFor())), RateLimitedError);
  // `"error": null` on a success is not an error.
  fake.inject({
    fault: {
      kind: 'status',
      status: 200,
      body: { created: 1, data: [{ url: 'http://127.0.0.1:9/x.png' }], error: null },
    },
  });
  t.equal((await provider.generate(callFor())).images.length, 1);
});

t.test('a connection reset is a retryable UpstreamUnavailableError', async (t) => {
  const { fake, provider } = await setup(t);
  fake.inject({ fault: { kind: 'reset' } });
  const error = await caught(t, provider.generate(callFor()));
  t.type(error, UpstreamUnavailableError);
  t.equal(error.code, 'UPSTREAM_UNAVAILABLE');
  t.equal(error.retryable, true);
});

t.test('a wrong key is an upstream authentication error from the fake itself', async (t) => {
  const { provider } = await setup(t, { fake: { acceptKey: (key) => key === 'right.key' } });
  const error = await caught(t, provider.generate(callFor()));
  t.type(error, UpstreamAuthenticationError);
  t.equal(error.vendorCode, '1002');
  t.notMatch(error.message, /key-id/);
});
