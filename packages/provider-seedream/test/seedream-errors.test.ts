import t from 'tap';
import {
  ContentPolicyError,
  InvalidRequestError,
  ModelNotFoundError,
  QuotaExhaustedError,
  RateLimitedError,
  UpstreamAuthenticationError,
  UpstreamUnavailableError,
} from '@uig/core';
import { seedreamTriggers } from '@uig/testkit';
import { caught, callFor, setup } from './helpers.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/** docs/providers/seedream.md §11.6: every code → core class, code, HTTP status, retryable. */
const table: Array<[string, ErrorClass, string, number, boolean]> = [
  ['InputTextSensitiveContentDetected', ContentPolicyError, 'CONTENT_POLICY_VIOLATION', 400, false],
  ['InputImageSensitiveContentDetected', ContentPolicyError, 'CONTENT_POLICY_VIOLATION', 400, false],
  ['OutputImageSensitiveContentDetected', ContentPolicyError, 'CONTENT_POLICY_VIOLATION', 400, false],
  ['InvalidParameter', InvalidRequestError, 'INVALID_REQUEST', 400, false],
  ['AuthenticationError', UpstreamAuthenticationError, 'UPSTREAM_AUTHENTICATION', 502, false],
  ['AccountOverdueError', QuotaExhaustedError, 'INSUFFICIENT_QUOTA', 429, false],
  ['AccessDenied', UpstreamAuthenticationError, 'UPSTREAM_AUTHENTICATION', 502, false],
  ['ModelNotOpen', ModelNotFoundError, 'MODEL_NOT_FOUND', 404, false],
  ['InvalidEndpointOrModel.NotFound', ModelNotFoundError, 'MODEL_NOT_FOUND', 404, false],
  ['RateLimitExceeded.EndpointRPMExceeded', RateLimitedError, 'RATE_LIMIT_EXCEEDED', 429, true],
  ['QuotaExceeded', QuotaExhaustedError, 'INSUFFICIENT_QUOTA', 429, false],
  ['ServerOverloaded', RateLimitedError, 'RATE_LIMIT_EXCEEDED', 429, true],
  ['InternalServiceError', UpstreamUnavailableError, 'UPSTREAM_UNAVAILABLE', 502, true],
];

t.test('every docs/providers/seedream.md §11.6 error, at its status and with HTTP 200', async (t) => {
  const { provider } = await setup(t);
  for (const trigger of [seedreamTriggers.error, seedreamTriggers.errorWithStatus200]) {
    for (const [vendorCode, errorClass, code, status, retryable] of table) {
      const error = await caught(t, provider.generate(callFor({ prompt: `x ${trigger(vendorCode)}` })));
      t.type(error, errorClass, vendorCode);
      t.equal(error.code, code, vendorCode);
      t.equal(error.status, status, vendorCode);
      t.equal(error.retryable, retryable, vendorCode);
      t.equal(error.vendorCode, vendorCode, vendorCode);
      t.equal(error.provider, 'seedream');
      t.notOk(String(error.message).includes('ark-test'));
    }
  }
});

t.test('refusals name what was refused; a bad size names size', async (t) => {
  const { provider } = await setup(t);
  const text = await caught(
    t,
    provider.generate(callFor({ prompt: seedreamTriggers.error('InputTextSensitiveContentDetected') })),
  );
  t.equal(text.param, 'prompt');
  const image = await caught(
    t,
    provider.generate(callFor({ prompt: seedreamTriggers.error('InputImageSensitiveContentDetected') })),
  );
  t.equal(image.param, 'image');
  const size = await caught(t, provider.generate(callFor({ size: { width: 500, height: 500 } })));
  t.match(size, { code: 'INVALID_SIZE', param: 'size', vendorCode: 'InvalidParameter' });
});

t.test('an image set with every image blocked is a refusal, not an empty success', async (t) => {
  for (const blockedInData of ['error-entry', 'omitted'] as const) {
    const { provider } = await setup(t, { fake: { blockedInData } });
    const error = await caught(
      t,
      provider.generate(
        callFor({
          prompt: `x ${seedreamTriggers.allImagesBlocked}`,
          providerOptions: { sequential_image_generation: 'auto', max_images: 2 },
        }),
      ),
    );
    if (blockedInData === 'error-entry') {
      t.type(error, ContentPolicyError);
      t.equal(error.vendorCode, 'OutputImageSensitiveContentDetected');
    } else t.equal(error.status, 502, 'no image and no reason: an invalid upstream answer');
  }
  const { provider } = await setup(t);
  const single = await caught(
    t,
    provider.generate(callFor({ prompt: `x ${seedreamTriggers.allImagesBlocked}` })),
  );
  t.type(single, ContentPolicyError);
});

t.test('a wrong key, and a reset connection', async (t) => {
  const { fake, provider } = await setup(t, { fake: { apiKeys: ['ark-right'] } });
  t.type(await caught(t, provider.generate(callFor())), UpstreamAuthenticationError);
  fake.inject({ fault: { kind: 'reset' } });
  const reset = await caught(t, provider.generate(callFor()));
  t.type(reset, UpstreamUnavailableError);
  t.equal(reset.retryable, true);
});
