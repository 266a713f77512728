import t, { type Test } from 'tap';
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
  type UigError,
} from '@uig/core';
import { geminiErrorFault, geminiTriggers, type GeminiFakeOptions } from '@uig/testkit';
import { makeCall, providerFor, startFake, testKey } from './helpers.js';

/** docs/providers/gemini.md §3.1 for both methods: the same mapping for `:generateContent` and `:predict`. */

const models = ['gemini-2.5-flash-image', 'imagen-4.0-generate-001'] as const;

async function failure(promise: Promise<unknown>): Promise<UigError> {
  const caught = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!isUigError(caught)) throw new Error(`expected a UigError, got ${String(caught)}`);
  return caught;
}

function expectClean(t: Test, error: UigError) {
  t.notMatch(error.message, testKey, 'the key never appears in a message');
  t.ok(error.message.length < 600, 'messages stay short');
}

t.test(
  'a wrong key (400 API_KEY_INVALID) and a missing or disabled one (403) are UpstreamAuthenticationError',
  async (t) => {
    const fake = await startFake(t, { acceptKey: (key) => key !== testKey, disabledKeys: ['disabled-key'] });
    for (const model of models) {
      const wrong = await failure(providerFor(fake).generate(makeCall({ model })));
      t.type(wrong, UpstreamAuthenticationError, model);
      t.equal(wrong.code, 'UPSTREAM_AUTHENTICATION');
      t.equal(wrong.vendorCode, 'API_KEY_INVALID');
      t.equal(wrong.retryable, false);
      t.equal(wrong.status, 502);
      expectClean(t, wrong);

      const missing = await failure(
        providerFor(fake).generate(makeCall({ model, credential: { id: 'gemini#1', apiKey: '' } })),
      );
      t.type(missing, UpstreamAuthenticationError);
      t.equal(missing.vendorCode, 'PERMISSION_DENIED');

      const disabled = await failure(
        providerFor(fake).generate(
          makeCall({ model, credential: { id: 'gemini#1', apiKey: 'disabled-key' } }),
        ),
      );
      t.type(disabled, UpstreamAuthenticationError);
      t.equal(disabled.vendorCode, 'SERVICE_DISABLED');
    }
  },
);

t.test('404 is ModelNotFoundError (an unknown or retired model)', async (t) => {
  const fake = await startFake(t, { retiredModels: ['imagen-4.0-generate-001', 'gemini-2.5-flash-image'] });
  for (const model of models) {
    const error = await failure(providerFor(fake).generate(makeCall({ model })));
    t.type(error, ModelNotFoundError, model);
    t.equal(error.code, 'MODEL_NOT_FOUND');
    t.equal(error.status, 404);
    t.equal(error.vendorCode, 'NOT_FOUND');
  }
  t.throws(() => providerFor(fake).check!(makeCall({ model: 'gemini-9' }), 'generate'), {
    code: 'MODEL_NOT_FOUND',
  });
});

t.test('429 RESOURCE_EXHAUSTED is retryable RateLimitedError with RetryInfo.retryDelay', async (t) => {
  const cases: Array<[GeminiFakeOptions, number | undefined]> = [
    [{}, 59_000],
    [{ retryDelay: '7.5s' }, 7_500],
    [{ retryDelay: null }, undefined],
  ];
  for (const [options, expected] of cases) {
    const fake = await startFake(t, options);
    for (const model of models) {
      const error = await failure(
        providerFor(fake).generate(makeCall({ model, prompt: `x ${geminiTriggers.rateLimited}` })),
      );
      t.type(error, RateLimitedError, `${model} ${JSON.stringify(options)}`);
      t.equal(error.code, 'RATE_LIMIT_EXCEEDED');
      t.equal(error.retryable, true);
      t.equal(error.retryAfterMs, expected);
      t.equal(error.vendorCode, 'RESOURCE_EXHAUSTED');
      t.equal(error.status, 429);
    }
  }
});

t.test(
  '429: "Please retry in 7.96s." is the fallback hint; daily quota is not retried; limit 0 is quota exhausted',
  async (t) => {
    const fake = await startFake(t, { retryDelay: '30s' });
    const provider = providerFor(fake);
    const hint = await failure(
      provider.generate(makeCall({ prompt: geminiTriggers.rateLimitedMessageHint })),
    );
    t.type(hint, RateLimitedError);
    t.equal(hint.retryAfterMs, 7_960);
    t.equal(hint.retryable, true);

    const daily = await failure(provider.generate(makeCall({ prompt: geminiTriggers.dailyQuota })));
    t.type(daily, RateLimitedError);
    t.equal(daily.code, 'RATE_LIMIT_EXCEEDED');
    t.equal(daily.retryable, false);
    t.equal(daily.retryAfterMs, 30_000);

    const zero = await failure(
      provider.generate(makeCall({ model: 'gemini-3-pro-image-preview', prompt: geminiTriggers.zeroQuota })),
    );
    t.type(zero, QuotaExhaustedError);
    t.equal(zero.code, 'INSUFFICIENT_QUOTA');
    t.equal(zero.retryable, false);
    t.equal(zero.status, 429);
  },
);

t.test('500 and 503 are retryable UpstreamUnavailableError; 504 a retryable timeout', async (t) => {
  const fake = await startFake(t);
  for (const model of models) {
    const internal = await failure(
      providerFor(fake).generate(makeCall({ model, prompt: geminiTriggers.internal })),
    );
    t.type(internal, UpstreamUnavailableError, model);
    t.equal(internal.code, 'UPSTREAM_UNAVAILABLE');
    t.equal(internal.retryable, true);
    t.equal(internal.vendorCode, 'INTERNAL');
    const overloaded = await failure(
      providerFor(fake).generate(makeCall({ model, prompt: geminiTriggers.overloaded })),
    );
    t.type(overloaded, UpstreamUnavailableError);
    t.equal(overloaded.retryable, true);
    t.equal(overloaded.vendorCode, 'UNAVAILABLE');
    const deadline = await failure(
      providerFor(fake).generate(makeCall({ model, prompt: geminiTriggers.deadline })),
    );
    t.type(deadline, UpstreamTimeoutError);
    t.equal(deadline.retryable, true);
  }
});

t.test(
  '400 FAILED_PRECONDITION (location) is a non-retryable upstream error; other 400s are InvalidRequestError',
  async (t) => {
    const fake = await startFake(t);
    const provider = providerFor(fake);
    const location = await failure(provider.generate(makeCall({ prompt: geminiTriggers.location })));
    t.type(location, UpstreamUnavailableError);
    t.equal(location.code, 'UPSTREAM_PRECONDITION_FAILED');
    t.equal(location.retryable, false);
    t.equal(location.vendorCode, 'FAILED_PRECONDITION');

    fake.inject({
      fault: geminiErrorFault('INVALID_ARGUMENT', { message: 'Unsupported aspect ratio: 7:3.' }),
    });
    const invalid = await failure(provider.generate(makeCall()));
    t.type(invalid, InvalidRequestError);
    t.equal(invalid.code, 'UPSTREAM_INVALID_REQUEST');
    t.equal(invalid.vendorCode, 'INVALID_ARGUMENT');
    t.equal(invalid.status, 400);

    // The prompt-blocked 400 on the native method maps like Imagen's (docs/providers/gemini.md §3.2).
    fake.inject({ fault: geminiErrorFault('PROMPT_BLOCKED') });
    t.type(await failure(provider.generate(makeCall())), ContentPolicyError);
  },
);

t.test('vendor text is trimmed: no key, no base64 runs', async (t) => {
  const fake = await startFake(t);
  const long = `bad value ${'A'.repeat(5000)} key=${testKey} AIzaSyA1234567890123456789012345678901`;
  fake.inject({ fault: geminiErrorFault('INVALID_ARGUMENT', { message: long }) });
  const error = await failure(providerFor(fake).generate(makeCall()));
  expectClean(t, error);
  t.notMatch(
    error.message,
    'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  );
  t.notMatch(error.message, 'AIzaSy');
});

t.test('malformed JSON, non-JSON errors, resets, timeouts and aborts', async (t) => {
  const fake = await startFake(t);
  const provider = providerFor(fake);
  for (const model of models) {
    fake.inject({ fault: { kind: 'malformed-json' } });
    const malformed = await failure(provider.generate(makeCall({ model })));
    t.type(malformed, InvalidUpstreamResponseError, model);
    t.equal(malformed.code, 'INVALID_UPSTREAM_RESPONSE');

    fake.inject({
      fault: { kind: 'status', status: 200, body: { candidates: 'nope', predictions: 'nope' } },
    });
    t.type(
      await failure(provider.generate(makeCall({ model }))),
      InvalidUpstreamResponseError,
      'a body of the wrong shape',
    );

    fake.inject({ fault: { kind: 'malformed-json', status: 502 } });
    const badGateway = await failure(provider.generate(makeCall({ model })));
    t.type(badGateway, UpstreamUnavailableError, 'a 5xx without a JSON body');
    t.equal(badGateway.retryable, true);

    fake.inject({ fault: { kind: 'reset' } });
    const reset = await failure(provider.generate(makeCall({ model })));
    t.type(reset, UpstreamUnavailableError);
    t.equal(reset.retryable, true);

    fake.inject({ fault: { kind: 'hang' } });
    const timeout = await failure(provider.generate(makeCall({ model, signal: AbortSignal.timeout(50) })));
    t.type(timeout, UpstreamTimeoutError);
    t.equal(timeout.retryable, true);

    fake.inject({ fault: { kind: 'hang' } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    t.type(
      await failure(provider.generate(makeCall({ model, signal: controller.signal }))),
      RequestAbortedError,
    );
  }
});

t.test('the stream path maps errors the same way', async (t) => {
  const fake = await startFake(t);
  const provider = providerFor(fake, { streaming: 'always' });
  const limited = await failure(provider.generate(makeCall({ prompt: geminiTriggers.rateLimited })));
  t.type(limited, RateLimitedError);
  t.equal(limited.retryAfterMs, 59_000);
  fake.inject({ fault: { kind: 'reset' } });
  t.type(await failure(provider.generate(makeCall())), UpstreamUnavailableError);
  fake.inject({ fault: { kind: 'malformed-json' } });
  t.type(await failure(provider.generate(makeCall())), InvalidUpstreamResponseError);
  fake.route('POST', '/broken/models/:target*', () => ({ status: 200, sse: [{ data: '{"candidates": [' }] }));
  const broken = await failure(
    provider.generate(
      makeCall({ credential: { id: 'gemini#1', apiKey: testKey, baseURL: `${fake.url}/broken` } }),
    ),
  );
  t.type(broken, InvalidUpstreamResponseError);
  fake.inject({ fault: { kind: 'hang' } });
  t.type(
    await failure(provider.generate(makeCall({ signal: AbortSignal.timeout(50) }))),
    UpstreamTimeoutError,
  );
});
