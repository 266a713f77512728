import t, { type Test } from 'tap';
import { sha256Hex } from '@uig/core';
import { startGateway } from './helpers.js';
import { scriptedPlugin, triggers } from './scripted-provider.js';

/**
 * Every status of docs/api.md through buildApp() + inject(), with the real runtime and
 * service in front of a scripted provider: the envelope, code, param and headers.
 */
const key = 'sk-design-team';

async function gateway(t: Test) {
  const scripted = scriptedPlugin();
  const started = await startGateway(
    t,
    { SCRIPTED_API_KEY: 'vendor-key' },
    {
      plugins: [scripted.plugin],
      configFile: {
        clients: [
          {
            name: 'design',
            key: `sha256:${sha256Hex(key)}`,
            models: ['scripted/painter'],
            limits: { rpm: 100 },
          },
          { name: 'tiny', key: 'sk-tiny', limits: { rpm: 1 } },
        ],
        retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 },
      },
    },
  );
  return { ...started, scripted };
}

const auth = { authorization: `Bearer ${key}` };
const generate = (payload: Record<string, unknown>, headers: Record<string, string> = auth) => ({
  method: 'POST' as const,
  url: '/v1/images/generations',
  headers,
  payload,
});

t.test('200 and every error status, in the OpenAI envelope with request_id', async (t) => {
  const { app, sleeps, scripted } = await gateway(t);
  const cases: Array<[string, ReturnType<typeof generate>, number, Record<string, unknown>]> = [
    ['ok', generate({ prompt: 'a fox', response_format: 'b64_json' }), 200, {}],
    [
      'unknown field',
      generate({ prompt: 'a fox', colour: 'red' }),
      400,
      { type: 'invalid_request_error', code: 'unknown_parameter', param: 'colour' },
    ],
    [
      'prompt too long for the model',
      generate({ prompt: 'x'.repeat(201) }),
      400,
      { code: 'prompt_too_long', param: 'prompt' },
    ],
    [
      'vendor refusal',
      generate({ prompt: triggers.refuse }),
      400,
      {
        type: 'invalid_request_error',
        code: 'content_policy_violation',
        vendor_code: '1301',
        provider: 'scripted',
      },
    ],
    [
      'no key',
      generate({ prompt: 'a fox' }, {}),
      401,
      { type: 'authentication_error', code: 'missing_api_key' },
    ],
    [
      'wrong key',
      generate({ prompt: 'a fox' }, { authorization: 'Bearer sk-nope' }),
      401,
      { type: 'authentication_error', code: 'invalid_api_key' },
    ],
    [
      'model not allowed',
      generate({ prompt: 'a fox', model: 'scripted/sketcher' }),
      403,
      { type: 'permission_error', code: 'model_not_allowed', param: 'model' },
    ],
    [
      'unknown model',
      generate({ prompt: 'a fox', model: 'nope/nothing' }),
      404,
      { type: 'not_found_error', code: 'model_not_found', param: 'model' },
    ],
    [
      'vendor rate limit after retries',
      generate({ prompt: triggers.rateLimit }),
      429,
      { type: 'rate_limit_error', code: 'rate_limit_exceeded', vendor_code: '1302' },
    ],
    [
      'vendor down',
      generate({ prompt: triggers.down }),
      502,
      { type: 'upstream_error', code: 'upstream_unavailable', provider: 'scripted' },
    ],
    [
      'vendor garbage',
      generate({ prompt: triggers.garbage }),
      502,
      { type: 'upstream_error', code: 'invalid_upstream_response' },
    ],
    [
      'nothing can serve',
      generate({ prompt: triggers.noProvider }),
      503,
      { type: 'server_error', code: 'no_provider_available' },
    ],
    [
      'vendor timeout',
      generate({ prompt: triggers.timeout }),
      504,
      { type: 'upstream_error', code: 'upstream_timeout' },
    ],
    // Last: an exhausted quota takes the only credential out of rotation.
    [
      'vendor quota',
      generate({ prompt: triggers.quota }),
      429,
      { type: 'insufficient_quota', code: 'insufficient_quota', vendor_code: '1113' },
    ],
  ];
  for (const [name, request, status, error] of cases) {
    const response = await app.inject(request);
    t.equal(response.statusCode, status, `${name}: status`);
    t.match(response.headers['x-request-id'], /^req_[a-f0-9]{32}$/, `${name}: x-request-id`);
    const body = response.json();
    if (status === 200) {
      t.equal(body.data.length, 1);
      continue;
    }
    t.match(
      body,
      { error: { message: String, ...error }, request_id: response.headers['x-request-id'] },
      `${name}: envelope`,
    );
    t.ok('param' in body.error, `${name}: param is always there`);
    if (error.code === 'rate_limit_exceeded')
      t.equal(
        response.headers['retry-after'],
        '120',
        "the vendor's Retry-After is passed on when it is too long to wait for",
      );
  }
  t.equal(
    scripted.calls.filter((call) => call.prompt === triggers.down).length,
    3,
    '502 only after two retries',
  );
  t.equal(
    scripted.calls.filter((call) => call.prompt === triggers.quota).length,
    1,
    'quota is never retried',
  );
  t.ok(sleeps.length >= 2, 'retry waits went through the injected sleep');
});

t.test("429 rate_limit_exceeded from this gateway's own limit carries Retry-After", async (t) => {
  const { app } = await gateway(t);
  const tiny = { authorization: 'Bearer sk-tiny' };
  t.equal((await app.inject(generate({ prompt: 'one' }, tiny))).statusCode, 200);
  const refused = await app.inject(generate({ prompt: 'two' }, tiny));
  t.equal(refused.statusCode, 429);
  t.match(refused.json(), { error: { type: 'rate_limit_error', code: 'rate_limit_exceeded', param: null } });
  t.equal(refused.headers['retry-after'], '60');
  t.equal(refused.headers['x-ratelimit-limit-requests'], '1');
  t.equal(refused.headers['x-ratelimit-remaining-requests'], '0');
});

t.test('413 for a body over the limit', async (t) => {
  const scripted = scriptedPlugin();
  const { app } = await startGateway(
    t,
    { SCRIPTED_API_KEY: 'v' },
    { plugins: [scripted.plugin], configFile: { server: { bodyLimitBytes: 4096 } } },
  );
  const response = await app.inject({
    method: 'POST',
    url: '/v1/images',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ prompt: 'x'.repeat(5000) }),
  });
  t.equal(response.statusCode, 413);
  t.match(response.json(), {
    error: { type: 'invalid_request_error', code: 'payload_too_large' },
    request_id: String,
  });
  t.equal(scripted.calls.length, 0);
});

t.test("a content policy refusal from the real CogView adapter keeps the vendor's code", async (t) => {
  const { createCogviewFake, cogviewTriggers } = await import('@uig/testkit');
  const { cogviewPlugin } = await import('@uig/provider-cogview');
  const fake = createCogviewFake();
  await fake.start();
  t.teardown(() => fake.close());
  const { app } = await startGateway(
    t,
    { ZHIPU_API_KEY: 'zhipu-key', ZHIPU_BASE_URL: fake.apiBaseURL },
    { plugins: [cogviewPlugin] },
  );
  const response = await app.inject({
    method: 'POST',
    url: '/v1/images/generations',
    payload: { prompt: `a cat ${cogviewTriggers.unsafePrompt}` },
  });
  t.equal(response.statusCode, 400);
  t.match(response.json(), {
    error: {
      type: 'invalid_request_error',
      code: 'content_policy_violation',
      vendor_code: '1301',
      provider: 'cogview',
    },
  });
});

t.test('a vendor 429 without a wait still answers with a Retry-After', async (t) => {
  const { RateLimitedError } = await import('@uig/core');
  const { z } = await import('zod');
  const { scriptedCapabilities } = await import('./scripted-provider.js');
  let calls = 0;
  const plugin = {
    type: 'bursty',
    env: { apiKey: 'BURSTY_API_KEY', baseURL: 'BURSTY_BASE_URL' },
    defaultBaseURL: 'http://bursty.invalid',
    create: () => ({
      id: 'bursty',
      models: [{ id: 'm', description: 'm', capabilities: scriptedCapabilities }],
      defaultModel: 'm',
      optionsSchema: z.object({}).strict(),
      generate: async () => {
        calls++;
        throw new RateLimitedError('slow down', { provider: 'bursty' });
      },
    }),
  };
  const { app } = await startGateway(
    t,
    { BURSTY_API_KEY: 'v' },
    { plugins: [plugin], configFile: { retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 } } },
  );
  const response = await app.inject({
    method: 'POST',
    url: '/v1/images/generations',
    payload: { prompt: 'x' },
  });
  t.equal(response.statusCode, 429);
  t.match(response.json(), { error: { code: 'rate_limit_exceeded' } });
  t.equal(response.headers['retry-after'], '5');
  t.equal(calls, 2, 'retried once first');
});
