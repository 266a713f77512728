import t from 'tap';
import {
  ContentPolicyError,
  InvalidRequestError,
  InvalidUpstreamResponseError,
  ModelNotFoundError,
  QuotaExhaustedError,
  RateLimitedError,
  UpstreamAuthenticationError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from '@uig/core';
import { falRequests, falTriggers, falValidationError } from '@uig/testkit';
import { callFor, caught, setup } from './helpers.js';

t.test('has_nsfw_concepts: all flagged is a refusal, some flagged a partial result', async (t) => {
  const { provider } = await setup(t);
  const refused = await caught(t, provider.generate(callFor({ prompt: `x ${falTriggers.nsfwAll}`, n: 2 })));
  t.type(refused, ContentPolicyError);
  t.equal(refused.vendorCode, 'has_nsfw_concepts');
  t.equal(refused.retryable, false);
  const partial = await provider.generate(callFor({ prompt: `x ${falTriggers.nsfwFirst}`, n: 3 }));
  t.equal(partial.images.length, 2, 'the flagged image is never delivered');
  t.match(partial.warnings, [{ type: 'partial_failure', feature: 'n' }]);
});

t.test('nsfw_content_detected is read like has_nsfw_concepts', async (t) => {
  const { provider } = await setup(t, { fake: { nsfwField: 'nsfw_content_detected' } });
  t.type(await caught(t, provider.generate(callFor({ prompt: falTriggers.nsfwAll }))), ContentPolicyError);
});

t.test('a 422 content_policy_violation is a refusal naming the categories', async (t) => {
  const { provider } = await setup(t);
  const error = await caught(t, provider.generate(callFor({ prompt: falTriggers.contentPolicy })));
  t.type(error, ContentPolicyError);
  t.equal(error.vendorCode, 'content_policy_violation');
  t.match(error.message, /sexual/);
});

t.test('a 422 validation error names the request field it is about', async (t) => {
  const { fake, provider } = await setup(t);
  fake.inject({
    fault: { kind: 'status', status: 422, body: falValidationError('image_size', 'too large').json },
    match: falRequests.submit,
  });
  const size = await caught(t, provider.generate(callFor()));
  t.type(size, InvalidRequestError);
  t.equal(size.param, 'size');
  fake.inject({
    fault: { kind: 'status', status: 422, body: falValidationError('guidance_scale', 'bad').json },
    match: falRequests.submit,
  });
  t.equal((await caught(t, provider.generate(callFor()))).param, 'provider_options.fal.guidance_scale');
  fake.inject({
    fault: { kind: 'status', status: 422, body: { detail: 'plain text detail' } },
    match: falRequests.submit,
  });
  t.type(await caught(t, provider.generate(callFor())), InvalidRequestError, 'detail as a string');
});

t.test('a 422 marked X-Fal-Retryable is a retryable upstream failure', async (t) => {
  const { provider } = await setup(t);
  const error = await caught(t, provider.generate(callFor({ prompt: falTriggers.retryableModelError })));
  t.type(error, UpstreamUnavailableError);
  t.equal(error.retryable, true);
});

t.test('infrastructure errors by their type: timeouts 504, runner failures 503', async (t) => {
  const { provider } = await setup(t);
  for (const [type, expected] of [
    ['request_timeout', UpstreamTimeoutError],
    ['startup_timeout', UpstreamTimeoutError],
    ['runner_scheduling_failure', UpstreamUnavailableError],
    ['runner_disconnected', UpstreamUnavailableError],
    ['runner_connection_refused', UpstreamUnavailableError],
  ] as const) {
    const error = await caught(t, provider.generate(callFor({ prompt: falTriggers.infrastructure(type) })));
    t.type(error, expected, type);
    t.equal(error.vendorCode, type);
    t.equal(error.retryable, true, `${type}: the request finished failing, so a new one cannot pay twice`);
  }
});

t.test(
  'exhausted balance (403) is quota; a bad key is authentication; 429 is retryable with Retry-After',
  async (t) => {
    const { provider } = await setup(t, { fake: { apiKeys: ['fal-key-1'] } });
    const balance = await caught(t, provider.generate(callFor({ prompt: falTriggers.exhaustedBalance })));
    t.type(balance, QuotaExhaustedError);
    t.equal(balance.retryable, false);
    const limited = await caught(t, provider.generate(callFor({ prompt: falTriggers.rateLimited })));
    t.type(limited, RateLimitedError);
    t.equal(limited.retryAfterMs, 1000);
    const badKey = await caught(
      t,
      provider.generate(callFor({ credential: { id: 'fal#2', apiKey: 'wrong' } })),
    );
    t.type(badKey, UpstreamAuthenticationError);
    t.notMatch(badKey.message, /wrong/, 'the key never appears in the message');
  },
);

t.test('the {"error":{"message","code"}} shape, unknown endpoints and broken answers', async (t) => {
  const { fake, provider } = await setup(t, { fake: { endpoints: ['fal-ai/flux/schnell'] } });
  const unknown = await caught(t, provider.generate(callFor()));
  t.type(unknown, ModelNotFoundError);
  const object = await caught(
    t,
    provider.generate(callFor({ model: 'fal-ai/flux/schnell', prompt: falTriggers.errorObject })),
  );
  t.type(object, UpstreamUnavailableError);
  t.equal(object.vendorCode, 'internal_error');
  fake.inject({ fault: { kind: 'status', status: 200, body: { hello: 1 } }, match: falRequests.submit });
  t.type(
    await caught(t, provider.generate(callFor({ model: 'fal-ai/flux/schnell' }))),
    InvalidUpstreamResponseError,
  );
  fake.inject({ fault: { kind: 'status', status: 200, body: { images: [] } }, match: falRequests.result });
  t.type(
    await caught(t, provider.generate(callFor({ model: 'fal-ai/flux/schnell' }))),
    InvalidUpstreamResponseError,
  );
});

t.test('FAILED (observed, unverified) reads the error at the result URL', async (t) => {
  const { provider } = await setup(t);
  const error = await caught(t, provider.generate(callFor({ prompt: falTriggers.failed })));
  t.type(error, UpstreamUnavailableError);
});
