import t from 'tap';
import {
  ContentPolicyError,
  InvalidRequestError,
  PayloadTooLargeError,
  QuotaExhaustedError,
  RateLimitedError,
  UpstreamAuthenticationError,
  UpstreamUnavailableError,
} from '@uig/core';
import { stabilityErrorFault, stabilityTriggers } from '@uig/testkit';
import { caught, callFor, setup } from './helpers.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/** docs/providers/stability.md §8.7: every error name → core class, code, HTTP status, retryable. */
const table: Array<[string, ErrorClass, string, number, boolean]> = [
  ['bad_request', InvalidRequestError, 'INVALID_REQUEST', 400, false],
  ['unauthorized', UpstreamAuthenticationError, 'UPSTREAM_AUTHENTICATION', 502, false],
  ['payment_required', QuotaExhaustedError, 'INSUFFICIENT_QUOTA', 429, false],
  ['content_moderation', ContentPolicyError, 'CONTENT_POLICY_VIOLATION', 400, false],
  ['payload_too_large', PayloadTooLargeError, 'PAYLOAD_TOO_LARGE', 413, false],
  ['invalid_language', InvalidRequestError, 'UNSUPPORTED_LANGUAGE', 400, false],
  ['public_figure', ContentPolicyError, 'CONTENT_POLICY_VIOLATION', 400, false],
  ['rate_limit_exceeded', RateLimitedError, 'RATE_LIMIT_EXCEEDED', 429, true],
  ['internal_error', UpstreamUnavailableError, 'UPSTREAM_UNAVAILABLE', 502, true],
];

t.test('every docs/providers/stability.md §8.7 error body', async (t) => {
  const { provider } = await setup(t);
  for (const [name, errorClass, code, status, retryable] of table) {
    const error = await caught(
      t,
      provider.generate(callFor({ prompt: `x ${stabilityTriggers.error(name)}` })),
    );
    t.type(error, errorClass, name);
    t.equal(error.code, code, name);
    t.equal(error.status, status, name);
    t.equal(error.retryable, retryable, name);
    t.equal(error.vendorCode, name, name);
    t.equal(error.provider, 'stability');
    t.type(error.vendorRequestId, 'string', name);
    t.notOk(String(error.message).includes('sk-test'));
  }
});

t.test('the 429 asks for the vendor timeout (60 s) unless Retry-After says otherwise', async (t) => {
  const { fake, provider } = await setup(t, { fake: { rateLimit: { requests: 1, windowMs: 10_000 } } });
  await provider.generate(callFor());
  const limited = await caught(t, provider.generate(callFor()));
  t.type(limited, RateLimitedError);
  t.equal(limited.retryAfterMs, 60_000);
  fake.inject({ fault: stabilityErrorFault('rate_limit_exceeded', { 'retry-after': '5' }) });
  const told = await caught(t, provider.generate(callFor()));
  t.equal(told.retryAfterMs, 5_000);
});

t.test('a 400 names the field; a non-English prompt is the vendor 422; a bad key is ours', async (t) => {
  const { provider } = await setup(t, { fake: { apiKeys: ['sk-right'] } });
  const auth = await caught(t, provider.generate(callFor()));
  t.type(auth, UpstreamAuthenticationError);
  const { provider: open } = await setup(t);
  const seed = await caught(t, open.generate(callFor({ seed: 4_294_967_295 })));
  t.match(seed, { status: 400, param: 'seed', vendorCode: 'bad_request' });
  const language = await caught(t, open.generate(callFor({ prompt: '一只狐狸' })));
  t.match(language, {
    status: 400,
    param: 'prompt',
    code: 'UNSUPPORTED_LANGUAGE',
    vendorCode: 'invalid_language',
  });
});

t.test('CONTENT_FILTERED (HTTP 200, a blurred image) is a refusal, never an image', async (t) => {
  const { fake, provider } = await setup(t);
  const error = await caught(
    t,
    provider.generate(callFor({ prompt: `x ${stabilityTriggers.contentFiltered}` })),
  );
  t.type(error, ContentPolicyError);
  t.equal(error.vendorCode, 'CONTENT_FILTERED');
  t.equal(fake.generations.length, 1, 'the vendor did answer 200');
});

t.test('credits run out: 402 is insufficient quota; a connection reset is retryable', async (t) => {
  const { fake, provider } = await setup(t, { fake: { credits: 3 } });
  await provider.generate(callFor());
  const quota = await caught(t, provider.generate(callFor()));
  t.type(quota, QuotaExhaustedError);
  fake.inject({ fault: { kind: 'reset' } });
  const reset = await caught(t, provider.generate(callFor()));
  t.type(reset, UpstreamUnavailableError);
  t.equal(reset.retryable, true);
});
