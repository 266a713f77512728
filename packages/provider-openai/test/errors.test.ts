import t from 'tap';
import {
  ContentPolicyError,
  InvalidRequestError,
  InvalidUpstreamResponseError,
  ModelNotFoundError,
  QuotaExhaustedError,
  RateLimitedError,
  RequestAbortedError,
  UpstreamAuthenticationError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
  isUigError,
  type ProviderCall,
  type UigError,
} from '@uig/core';
import { openaiTriggers, type OpenAIFakeOptions } from '@uig/testkit';
import { scrubVendorMessage } from '@uig/provider-openai';
import { call, providerFor, startFake } from './helpers.js';

type ErrorClass = abstract new (...args: never[]) => UigError;

interface Expectation {
  label: string;
  fake?: OpenAIFakeOptions;
  /** Set up the fake before the call (fault injection). */
  arrange?: (fake: Awaited<ReturnType<typeof startFake>>) => void;
  call?: Partial<ProviderCall>;
  is: ErrorClass;
  code: string;
  retryable: boolean;
  vendorCode?: string;
  param?: string;
  retryAfterMs?: number;
  /** A request id the vendor sent, kept on the error. */
  vendorRequestId?: boolean;
}

const expectations: Expectation[] = [
  {
    label: 'moderation_blocked (GPT image)',
    call: { prompt: openaiTriggers.unsafe },
    is: ContentPolicyError,
    code: 'CONTENT_POLICY_VIOLATION',
    retryable: false,
    vendorCode: 'moderation_blocked',
    param: 'prompt',
    vendorRequestId: true,
  },
  {
    label: 'moderation_blocked with moderation_details',
    fake: { moderationDetails: true },
    call: { prompt: openaiTriggers.moderationBlocked },
    is: ContentPolicyError,
    code: 'CONTENT_POLICY_VIOLATION',
    retryable: false,
    vendorCode: 'moderation_blocked',
  },
  {
    label: 'content_policy_violation (DALL·E)',
    call: { model: 'dall-e-3', prompt: openaiTriggers.unsafe },
    is: ContentPolicyError,
    code: 'CONTENT_POLICY_VIOLATION',
    retryable: false,
    vendorCode: 'content_policy_violation',
  },
  {
    label: 'invalid parameter, legacy body (param only in the message)',
    call: { prompt: openaiTriggers.invalidParameter },
    is: InvalidRequestError,
    code: 'INVALID_SIZE',
    retryable: false,
    param: 'size',
    vendorRequestId: true,
  },
  {
    label: 'invalid parameter, current body',
    fake: { invalidParameterStyle: 'current' },
    call: { prompt: openaiTriggers.invalidParameter },
    is: InvalidRequestError,
    code: 'INVALID_SIZE',
    retryable: false,
    param: 'size',
    vendorCode: 'invalid_value',
  },
  {
    label: 'invalid vendor option is named under provider_options',
    arrange: (fake) =>
      fake.failWith('invalid_parameter', {
        param: 'background',
        code: 'invalid_value',
        message: 'bad background',
      }),
    is: InvalidRequestError,
    code: 'INVALID_REQUEST',
    retryable: false,
    param: 'provider_options.openai.background',
  },
  {
    label: '401 invalid_api_key',
    fake: { acceptKey: () => false },
    is: UpstreamAuthenticationError,
    code: 'UPSTREAM_AUTHENTICATION',
    retryable: false,
    vendorCode: 'invalid_api_key',
    vendorRequestId: true,
  },
  {
    label: '401 by trigger',
    call: { prompt: openaiTriggers.invalidApiKey },
    is: UpstreamAuthenticationError,
    code: 'UPSTREAM_AUTHENTICATION',
    retryable: false,
  },
  {
    label: '403',
    call: { prompt: openaiTriggers.permissionDenied },
    is: UpstreamAuthenticationError,
    code: 'UPSTREAM_AUTHENTICATION',
    retryable: false,
  },
  {
    label: '404 model_not_found',
    call: { prompt: openaiTriggers.modelNotFound },
    is: ModelNotFoundError,
    code: 'MODEL_NOT_FOUND',
    retryable: false,
    param: 'model',
    vendorCode: 'model_not_found',
  },
  {
    label: 'a retired model',
    fake: { retiredModels: ['dall-e-3'] },
    call: { model: 'dall-e-3' },
    is: ModelNotFoundError,
    code: 'MODEL_NOT_FOUND',
    retryable: false,
  },
  {
    label: '429 rate_limit_exceeded honours retry-after-ms first',
    call: { prompt: openaiTriggers.rateLimit },
    is: RateLimitedError,
    code: 'RATE_LIMIT_EXCEEDED',
    retryable: true,
    vendorCode: 'rate_limit_exceeded',
    retryAfterMs: 1000,
  },
  {
    label: '429 with retry-after in seconds only',
    fake: { retryHints: { retryAfter: '2' } },
    call: { prompt: openaiTriggers.rateLimit },
    is: RateLimitedError,
    code: 'RATE_LIMIT_EXCEEDED',
    retryable: true,
    retryAfterMs: 2000,
  },
  {
    label: '429 without a code is still a rate limit',
    arrange: (fake) => fake.failWith('rate_limit_exceeded', { code: null, retryAfterMs: '5' }),
    is: RateLimitedError,
    code: 'RATE_LIMIT_EXCEEDED',
    retryable: true,
    retryAfterMs: 5,
  },
  {
    label: '429 with x-should-retry: false',
    arrange: (fake) => fake.failWith('rate_limit_exceeded', { headers: { 'x-should-retry': 'false' } }),
    is: RateLimitedError,
    code: 'RATE_LIMIT_EXCEEDED',
    retryable: false,
  },
  {
    label: '429 insufficient_quota',
    call: { prompt: openaiTriggers.quota },
    is: QuotaExhaustedError,
    code: 'INSUFFICIENT_QUOTA',
    retryable: false,
    vendorCode: 'insufficient_quota',
  },
  {
    label: '429 insufficient_quota with code null (by type)',
    fake: { quotaCode: null },
    call: { prompt: openaiTriggers.quota },
    is: QuotaExhaustedError,
    code: 'INSUFFICIENT_QUOTA',
    retryable: false,
  },
  {
    label: '500 server_error',
    call: { prompt: openaiTriggers.serverError },
    is: UpstreamUnavailableError,
    code: 'UPSTREAM_UNAVAILABLE',
    retryable: true,
    vendorRequestId: true,
  },
  {
    label: '503 with retry-after',
    arrange: (fake) => fake.failWith('server_error', { status: 503, retryAfter: '3' }),
    is: UpstreamUnavailableError,
    code: 'UPSTREAM_UNAVAILABLE',
    retryable: true,
    retryAfterMs: 3000,
  },
  {
    label: '502 with no error body',
    arrange: (fake) => fake.inject({ fault: { kind: 'status', status: 502 } }),
    is: UpstreamUnavailableError,
    code: 'UPSTREAM_UNAVAILABLE',
    retryable: true,
  },
  {
    label: 'connection reset',
    arrange: (fake) => fake.inject({ fault: { kind: 'reset' } }),
    is: UpstreamUnavailableError,
    code: 'UPSTREAM_UNAVAILABLE',
    retryable: true,
  },
  {
    label: 'malformed JSON on 200',
    arrange: (fake) => fake.inject({ fault: { kind: 'malformed-json' } }),
    is: InvalidUpstreamResponseError,
    code: 'INVALID_UPSTREAM_RESPONSE',
    retryable: false,
  },
  {
    label: '200 with no image',
    arrange: (fake) =>
      fake.inject({ fault: { kind: 'status', status: 200, body: { created: 1, data: [] } } }),
    is: InvalidUpstreamResponseError,
    code: 'INVALID_UPSTREAM_RESPONSE',
    retryable: false,
  },
  {
    label: 'our timeout while the vendor hangs',
    arrange: (fake) => fake.inject({ fault: { kind: 'hang' } }),
    call: { signal: AbortSignal.timeout(100) },
    is: UpstreamTimeoutError,
    code: 'UPSTREAM_TIMEOUT',
    retryable: true,
  },
];

t.test('every docs/providers/openai.md §2.8 error maps to its core error', async (t) => {
  for (const expectation of expectations) {
    const fake = await startFake(t, expectation.fake);
    expectation.arrange?.(fake);
    const error = await providerFor(fake)
      .generate(call(expectation.call))
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    const label = expectation.label;
    t.ok(error instanceof expectation.is, `${label}: class (got ${(error as Error)?.constructor?.name})`);
    if (!isUigError(error)) continue;
    t.equal(error.code, expectation.code, `${label}: code`);
    t.equal(error.retryable, expectation.retryable, `${label}: retryable`);
    t.equal(error.provider, 'openai', `${label}: provider`);
    if (expectation.vendorCode) t.equal(error.vendorCode, expectation.vendorCode, `${label}: vendorCode`);
    if (expectation.param) t.equal(error.param, expectation.param, `${label}: param`);
    if (expectation.retryAfterMs !== undefined)
      t.equal(error.retryAfterMs, expectation.retryAfterMs, `${label}: retryAfterMs`);
    if (expectation.vendorRequestId) t.match(error.vendorRequestId, /^req_/, `${label}: vendorRequestId`);
    t.notOk(error.message.includes('sk-test-key'), `${label}: no key in the message`);
  }
});

t.test('the caller going away is a RequestAbortedError', async (t) => {
  const fake = await startFake(t);
  fake.inject({ fault: { kind: 'hang' } });
  const controller = new AbortController();
  const pending = providerFor(fake).generate(call({ signal: controller.signal }));
  setTimeout(() => controller.abort(), 50);
  await t.rejects(pending, RequestAbortedError);
});

t.test('vendor text is scrubbed of keys and long data, and clipped', async (t) => {
  t.equal(
    scrubVendorMessage('Incorrect API key provided: sk-proj-abc123***xyz. See docs.'),
    'Incorrect API key provided: sk-***. See docs.',
  );
  const base64 = 'iVBORw0KGgo'.repeat(40);
  t.notOk(scrubVendorMessage(`bad image ${base64}`).includes(base64));
  t.ok(scrubVendorMessage('x'.repeat(20) + ' '.repeat(1) + 'word '.repeat(200)).length <= 301);
  t.equal(scrubVendorMessage(undefined), '');
});
