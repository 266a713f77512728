import t, { type Test } from 'tap';
import { imageDefect, solidPng, sniffImage } from '@uig/core';
import {
  createOpenAIFake,
  openaiTriggers,
  parseMultipart,
  tinyPng,
  type OpenAIFakeOptions,
} from '@uig/testkit';

async function started(t: Test, options: OpenAIFakeOptions = {}) {
  // A server that still serves the retired models, so their rules stay testable; the
  // default (retired answered 404, as the vendor does now) has its own test.
  const fake = await createOpenAIFake({ retiredModels: [], ...options }).start();
  t.teardown(() => fake.close());
  return fake;
}

const jsonHeaders = (key = 'sk-test') => ({
  'content-type': 'application/json',
  authorization: `Bearer ${key}`,
});

async function post(url: string, body: unknown, headers: Record<string, string> = jsonHeaders()) {
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, any>,
  };
}

type Upload = { name: string; data: Buffer; type?: string };

async function postForm(url: string, fields: Record<string, string>, files: Upload[], key = 'sk-test') {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const file of files)
    form.append(
      file.name,
      new Blob([file.data], { type: file.type ?? 'image/png' }),
      `${file.name.replace('[]', '')}.png`,
    );
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: (text.startsWith('{') ? JSON.parse(text) : undefined) as Record<string, any>,
  };
}

function sseEvents(text: string) {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)![1]!;
      return { event, data };
    });
}

t.test(
  'a GPT-image generation answers docs/providers/openai.md §2.6: b64, usage and the resolved settings',
  async (t) => {
    const fake = await started(t);
    const { status, headers, json } = await post(`${fake.apiBaseURL}/images/generations`, {
      model: 'gpt-image-1',
      prompt: 'a cat',
      n: 2,
      quality: 'high',
      size: '1536x1024',
      output_format: 'webp',
    });
    t.equal(status, 200);
    t.match(headers.get('x-request-id'), /^req_[0-9a-f]{32}$/);
    t.equal(headers.get('x-ratelimit-limit-requests'), '50');
    t.equal(headers.get('x-ratelimit-remaining-requests'), '49');
    t.equal(json.data.length, 2);
    t.same(Buffer.from(json.data[0].b64_json, 'base64'), tinyPng());
    t.notOk('url' in json.data[0]);
    t.match(json, { background: 'opaque', output_format: 'webp', quality: 'high', size: '1536x1024' });
    t.equal(json.usage.output_tokens, 2 * 6208);
    t.equal(json.usage.total_tokens, json.usage.input_tokens + json.usage.output_tokens);
    t.type(json.usage.input_tokens_details.text_tokens, 'number');
  },
);

t.test(
  'DALL·E answers a URL the fake serves by default, b64 on request; revised_prompt for dall-e-3 only',
  async (t) => {
    const fake = await started(t);
    const url = `${fake.apiBaseURL}/images/generations`;
    const three = await post(url, {
      model: 'dall-e-3',
      prompt: 'a fox',
      size: '1792x1024',
      quality: 'hd',
      style: 'natural',
    });
    t.equal(three.status, 200);
    t.same(Object.keys(three.json).sort(), ['created', 'data']);
    t.type(three.json.data[0].revised_prompt, 'string');
    const image = await fetch(three.json.data[0].url);
    t.same(Buffer.from(await image.arrayBuffer()), tinyPng());
    const two = await post(url, {
      model: 'dall-e-2',
      prompt: 'a fox',
      n: 3,
      response_format: 'b64_json',
      size: '256x256',
    });
    t.equal(two.json.data.length, 3);
    t.ok(two.json.data[0].b64_json);
    t.notOk('revised_prompt' in two.json.data[0]);
    t.notOk('usage' in two.json);
  },
);

t.test(
  'docs/providers/openai.md §2.3: no model means dall-e-2, or a GPT-image model when a GPT-only field is present',
  async (t) => {
    const fake = await started(t);
    const url = `${fake.apiBaseURL}/images/generations`;
    t.ok((await post(url, { prompt: 'x' })).json.data[0].url);
    t.ok((await post(url, { prompt: 'x', output_format: 'png' })).json.data[0].b64_json);
  },
);

t.test(
  'per-model validation of generations (docs/providers/openai.md §2.3), with the docs/providers/openai.md §2.8 invalid-parameter body',
  async (t) => {
    const fake = await started(t);
    const url = `${fake.apiBaseURL}/images/generations`;
    const cases: Array<[string, Record<string, unknown>, number, string?]> = [
      ['gpt-image-1', { size: '1024x1536' }, 200],
      ['gpt-image-1', { size: 'auto' }, 200],
      ['gpt-image-1', { size: '1792x1024' }, 400, 'size'],
      ['gpt-image-1', { quality: 'hd' }, 400, 'quality'],
      ['gpt-image-1', { n: 10 }, 200],
      ['gpt-image-1', { n: 11 }, 400, 'n'],
      ['gpt-image-1', { style: 'vivid' }, 400, 'style'],
      ['gpt-image-1', { background: 'transparent', output_format: 'jpeg' }, 400, 'background'],
      ['gpt-image-1', { background: 'transparent', output_format: 'webp' }, 200],
      ['gpt-image-1', { output_compression: 50, output_format: 'jpeg' }, 200],
      ['gpt-image-1', { output_compression: 50 }, 400, 'output_compression'],
      ['gpt-image-1', { output_compression: 101, output_format: 'jpeg' }, 400, 'output_compression'],
      ['gpt-image-1', { moderation: 'low' }, 200],
      ['gpt-image-1', { moderation: 'strict' }, 400, 'moderation'],
      ['gpt-image-1', { partial_images: 4 }, 400, 'partial_images'],
      ['gpt-image-2', { size: '3840x2160' }, 200],
      ['gpt-image-2', { size: '1280x720' }, 200],
      ['gpt-image-2', { size: '3856x2160' }, 400, 'size'], // longest edge over 3840
      ['gpt-image-2', { size: '1000x1000' }, 400, 'size'], // not multiples of 16
      ['gpt-image-2', { size: '3840x1024' }, 400, 'size'], // ratio over 3:1
      ['gpt-image-2', { size: '512x512' }, 400, 'size'], // under 655,360 pixels
      ['dall-e-3', { size: '1024x1792', quality: 'hd', style: 'vivid' }, 200],
      ['dall-e-3', { n: 2 }, 400, 'n'],
      ['dall-e-3', { size: '1536x1024' }, 400, 'size'],
      ['dall-e-3', { quality: 'high' }, 400, 'quality'],
      ['dall-e-3', { background: 'opaque' }, 400, 'background'],
      ['dall-e-3', { stream: true }, 400, 'stream'],
      ['dall-e-2', { size: '512x512', n: 10 }, 200],
      ['dall-e-2', { size: '512x513' }, 400, 'size'],
      ['dall-e-2', { quality: 'hd' }, 400, 'quality'],
      ['dall-e-2', { style: 'natural' }, 400, 'style'],
    ];
    for (const [model, fields, expected, field] of cases) {
      const { status, json } = await post(url, { model, prompt: 'x', ...fields });
      const label = `${model} ${JSON.stringify(fields)}`;
      t.equal(status, expected, label);
      if (expected === 400) {
        t.same(Object.keys(json.error).sort(), ['code', 'message', 'param', 'type'], label);
        t.equal(json.error.type, 'invalid_request_error', label);
        t.equal(json.error.code, null, label);
        t.ok((json.error.message as string).endsWith(`- '${field}'`), label);
      }
    }
  },
);

t.test('the current invalid-parameter style names the param and code', async (t) => {
  const fake = await started(t, { invalidParameterStyle: 'current' });
  const { status, json } = await post(`${fake.apiBaseURL}/images/generations`, {
    model: 'dall-e-2',
    prompt: 'x',
    size: '512x513',
  });
  t.equal(status, 400);
  t.equal(json.error.param, 'size');
  t.equal(json.error.code, 'invalid_value');
});

t.test('by default DALL·E answers 404 model_not_found, as OpenAI does since 2026-05-12', async (t) => {
  const fake = await createOpenAIFake().start();
  t.teardown(() => fake.close());
  for (const model of ['dall-e-2', 'dall-e-3']) {
    const { status, json } = await post(`${fake.apiBaseURL}/images/generations`, { model, prompt: 'x' });
    t.same([status, json.error.code], [404, 'model_not_found'], model);
  }
  const current = await post(`${fake.apiBaseURL}/images/generations`, { model: 'gpt-image-2', prompt: 'x' });
  t.equal(current.status, 200);
});

t.test('unknown fields, missing prompt, prompt length, unknown and retired models', async (t) => {
  const fake = await started(t, { retiredModels: ['dall-e-2'] });
  const url = `${fake.apiBaseURL}/images/generations`;
  const unknown = await post(url, { model: 'gpt-image-1', prompt: 'x', colour: 'red' });
  t.same(
    [unknown.status, unknown.json.error.code, unknown.json.error.param],
    [400, 'unknown_parameter', 'colour'],
  );
  const missing = await post(url, { model: 'gpt-image-1' });
  t.same(
    [missing.status, missing.json.error.code, missing.json.error.param],
    [400, 'missing_required_parameter', 'prompt'],
  );
  const long = await post(url, { model: 'dall-e-3', prompt: 'x'.repeat(4001) });
  t.same([long.status, long.json.error.code], [400, 'string_above_max_length']);
  t.equal((await post(url, { model: 'dall-e-3', prompt: 'x'.repeat(4000) })).status, 200);
  t.equal((await post(url, { model: 'gpt-image-1', prompt: 'x'.repeat(32001) })).status, 400);
  const nobody = await post(url, { model: 'gpt-image-9', prompt: 'x' });
  t.same([nobody.status, nobody.json.error.code], [404, 'model_not_found']);
  const retired = await post(url, { model: 'dall-e-2', prompt: 'x' });
  t.same([retired.status, retired.json.error.code], [404, 'model_not_found']);
});

t.test(
  'docs/providers/openai.md §2.3 (unverified): response_format to a GPT-image model is an error, or ignored when configured',
  async (t) => {
    const strict = await started(t);
    const refused = await post(`${strict.apiBaseURL}/images/generations`, {
      model: 'gpt-image-1',
      prompt: 'x',
      response_format: 'b64_json',
    });
    t.same([refused.status, refused.json.error.param], [400, 'response_format']);
    const lenient = await started(t, { gptImageResponseFormat: 'ignore' });
    const ignored = await post(`${lenient.apiBaseURL}/images/generations`, {
      model: 'gpt-image-1',
      prompt: 'x',
      response_format: 'url',
    });
    t.equal(ignored.status, 200);
    t.ok(ignored.json.data[0].b64_json);
  },
);

t.test('auth: no key, a refused key, and the Azure-style api-key header', async (t) => {
  const fake = await started(t, { acceptKey: (key) => key === 'sk-good' });
  const url = `${fake.apiBaseURL}/images/generations`;
  const body = { model: 'gpt-image-1', prompt: 'x' };
  const none = await post(url, body, { 'content-type': 'application/json' });
  t.same([none.status, none.json.error.code], [401, null]);
  t.ok(none.headers.get('x-request-id'));
  const wrong = await post(url, body, jsonHeaders('sk-bad'));
  t.same([wrong.status, wrong.json.error.code], [401, 'invalid_api_key']);
  t.equal((await post(url, body, jsonHeaders('sk-good'))).status, 200);

  const azure = await started(t, { apiKeyHeader: 'api-key' });
  const azureUrl = `${azure.url}/openai/deployments/my-image/images/generations?api-version=2025-04-01-preview`;
  t.equal((await post(azureUrl, body, { 'content-type': 'application/json', 'api-key': 'k' })).status, 200);
  t.equal((await post(azureUrl, body, jsonHeaders('k'))).status, 401);
  t.equal(azure.requests.at(-1)!.query.get('api-version'), '2025-04-01-preview');
});

t.test('every docs/providers/openai.md §2.8 error body by trigger word', async (t) => {
  const fake = await started(t, { moderationDetails: true });
  const url = `${fake.apiBaseURL}/images/generations`;
  const cases: Array<[string, string, number, string | null, string]> = [
    ['gpt-image-1', openaiTriggers.unsafe, 400, 'moderation_blocked', 'image_generation_user_error'],
    ['dall-e-3', openaiTriggers.unsafe, 400, 'content_policy_violation', 'invalid_request_error'],
    [
      'gpt-image-1',
      openaiTriggers.moderationBlocked,
      400,
      'moderation_blocked',
      'image_generation_user_error',
    ],
    ['gpt-image-1', openaiTriggers.contentPolicy, 400, 'content_policy_violation', 'invalid_request_error'],
    ['gpt-image-1', openaiTriggers.invalidParameter, 400, null, 'invalid_request_error'],
    ['gpt-image-1', openaiTriggers.invalidApiKey, 401, 'invalid_api_key', 'invalid_request_error'],
    ['gpt-image-1', openaiTriggers.permissionDenied, 403, null, 'invalid_request_error'],
    ['gpt-image-1', openaiTriggers.modelNotFound, 404, 'model_not_found', 'invalid_request_error'],
    ['gpt-image-1', openaiTriggers.rateLimit, 429, 'rate_limit_exceeded', 'requests'],
    ['gpt-image-1', openaiTriggers.quota, 429, 'insufficient_quota', 'insufficient_quota'],
    ['gpt-image-1', openaiTriggers.serverError, 500, null, 'server_error'],
  ];
  for (const [model, trigger, status, code, type] of cases) {
    const response = await post(url, { model, prompt: `a ${trigger} b` });
    t.equal(response.status, status, trigger);
    t.equal(response.json.error.code, code, trigger);
    t.equal(response.json.error.type, type, trigger);
    t.ok(response.headers.get('x-request-id'), trigger);
  }
  const moderated = await post(url, { model: 'gpt-image-1', prompt: openaiTriggers.moderationBlocked });
  t.same(moderated.json.error.moderation_details, { moderation_stage: 'input', categories: ['sexual'] });
  const limited = await post(url, { model: 'gpt-image-1', prompt: openaiTriggers.rateLimit });
  t.equal(limited.headers.get('retry-after'), '1');
  t.equal(limited.headers.get('retry-after-ms'), '1000');
});

t.test(
  'options: quota code null (as observed in 2023), custom retry hints, no rate-limit headers',
  async (t) => {
    const fake = await started(t, {
      quotaCode: null,
      retryHints: { retryAfter: '7' },
      rateLimitHeaders: false,
    });
    const url = `${fake.apiBaseURL}/images/generations`;
    const quota = await post(url, { model: 'gpt-image-1', prompt: openaiTriggers.quota });
    t.same([quota.json.error.code, quota.json.error.type], [null, 'insufficient_quota']);
    const limited = await post(url, { model: 'gpt-image-1', prompt: openaiTriggers.rateLimit });
    t.equal(limited.headers.get('retry-after'), '7');
    t.equal(limited.headers.get('retry-after-ms'), null);
    t.equal(limited.headers.get('x-ratelimit-limit-requests'), null);
  },
);

t.test('failWith: after N calls, a 429 with retry hints and a request id', async (t) => {
  const fake = await started(t);
  fake.failWith('rate_limit_exceeded', { after: 1, times: 2, retryAfterMs: '250' });
  const url = `${fake.apiBaseURL}/images/generations`;
  const responses = [];
  for (let i = 0; i < 4; i++) responses.push(await post(url, { model: 'gpt-image-1', prompt: 'x' }));
  t.same(
    responses.map((response) => response.status),
    [200, 429, 429, 200],
  );
  t.equal(responses[1]!.json.error.code, 'rate_limit_exceeded');
  t.equal(responses[1]!.headers.get('retry-after-ms'), '250');
  t.ok(responses[1]!.headers.get('x-request-id'));
});

t.test('edits: multipart with one image, several image[] parts and a mask', async (t) => {
  const fake = await started(t);
  const url = `${fake.apiBaseURL}/images/edits`;
  const image = solidPng(16, 16);
  const one = await postForm(
    url,
    { model: 'gpt-image-1', prompt: 'add a hat', n: '2', quality: 'low', input_fidelity: 'high' },
    [{ name: 'image', data: image }],
  );
  t.equal(one.status, 200);
  t.equal(one.json.data.length, 2);
  t.equal(one.json.usage.input_tokens_details.image_tokens, 323);
  const several = await postForm(url, { model: 'gpt-image-1.5', prompt: 'combine' }, [
    { name: 'image[]', data: image },
    { name: 'image[]', data: solidPng(32, 16) },
    { name: 'image[]', data: solidPng(8, 8) },
    { name: 'mask', data: solidPng(16, 16, [0, 0, 0, 0]) },
  ]);
  t.equal(several.status, 200);
  t.equal(several.json.usage.input_tokens_details.image_tokens, 3 * 323);
  const parts = parseMultipart(
    fake.requests.at(-1)!.body,
    String(fake.requests.at(-1)!.headers['content-type']),
  )!;
  t.same(
    parts.map((part) => part.name),
    ['model', 'prompt', 'image[]', 'image[]', 'image[]', 'mask'],
  );
  const dalle = await postForm(url, { model: 'dall-e-2', prompt: 'x', size: '256x256' }, [
    { name: 'image', data: image },
    { name: 'mask', data: image },
  ]);
  t.equal(dalle.status, 200);
  t.ok(dalle.json.data[0].url);
});

t.test(
  'edit validation (docs/providers/openai.md §2.4): models, inputs, mask and edit-only fields',
  async (t) => {
    const fake = await started(t, { invalidParameterStyle: 'current' });
    const url = `${fake.apiBaseURL}/images/edits`;
    const square = solidPng(16, 16);
    const cases: Array<[string, Record<string, string>, Upload[], string]> = [
      [
        'dall-e-3 cannot edit',
        { model: 'dall-e-3', prompt: 'x' },
        [{ name: 'image', data: square }],
        'model',
      ],
      ['no image', { model: 'gpt-image-1', prompt: 'x' }, [], 'image'],
      [
        'not an image',
        { model: 'gpt-image-1', prompt: 'x' },
        [{ name: 'image', data: Buffer.from('hello') }],
        'image',
      ],
      [
        'dall-e-2 takes one image',
        { model: 'dall-e-2', prompt: 'x' },
        [
          { name: 'image[]', data: square },
          { name: 'image[]', data: square },
        ],
        'image',
      ],
      [
        'dall-e-2 takes a square',
        { model: 'dall-e-2', prompt: 'x' },
        [{ name: 'image', data: solidPng(32, 16) }],
        'image',
      ],
      [
        '17 images',
        { model: 'gpt-image-1', prompt: 'x' },
        Array.from({ length: 17 }, () => ({ name: 'image[]', data: square })),
        'image',
      ],
      [
        'mask of another size',
        { model: 'gpt-image-1', prompt: 'x' },
        [
          { name: 'image', data: square },
          { name: 'mask', data: solidPng(8, 8) },
        ],
        'mask',
      ],
      [
        'moderation is generations-only',
        { model: 'gpt-image-1', prompt: 'x', moderation: 'low' },
        [{ name: 'image', data: square }],
        'moderation',
      ],
      [
        'style is not an edit field',
        { model: 'gpt-image-1', prompt: 'x', style: 'vivid' },
        [{ name: 'image', data: square }],
        'style',
      ],
      [
        'input_fidelity not for mini',
        { model: 'gpt-image-1-mini', prompt: 'x', input_fidelity: 'high' },
        [{ name: 'image', data: square }],
        'input_fidelity',
      ],
      [
        'input_fidelity not for dall-e-2',
        { model: 'dall-e-2', prompt: 'x', input_fidelity: 'low' },
        [{ name: 'image', data: square }],
        'input_fidelity',
      ],
      [
        'n is parsed from a string',
        { model: 'gpt-image-1', prompt: 'x', n: '11' },
        [{ name: 'image', data: square }],
        'n',
      ],
    ];
    for (const [label, fields, files, param] of cases) {
      const response = await postForm(url, fields, files);
      t.equal(response.status, 400, label);
      t.equal(response.json.error.param, param, label);
    }
    const mask = sniffImage(solidPng(16, 16));
    t.equal(mask?.mimeType, 'image/png');
    const json = await post(url, { model: 'gpt-image-1', prompt: 'x' });
    t.equal(json.status, 400);
  },
);

t.test('variations: dall-e-2 only', async (t) => {
  const fake = await started(t);
  const url = `${fake.apiBaseURL}/images/variations`;
  const ok = await postForm(url, { n: '2', response_format: 'b64_json', size: '512x512' }, [
    { name: 'image', data: solidPng(16, 16) },
  ]);
  t.equal(ok.status, 200);
  t.equal(ok.json.data.length, 2);
  t.equal(
    (await postForm(url, { model: 'gpt-image-1' }, [{ name: 'image', data: solidPng(16, 16) }])).status,
    400,
  );
  t.equal((await postForm(url, { prompt: 'x' }, [{ name: 'image', data: solidPng(16, 16) }])).status, 400);
});

t.test(
  'docs/providers/openai.md §2.7 streaming: partial images, then completed with usage; [DONE] is an option',
  async (t) => {
    const fake = await started(t);
    const response = await fetch(`${fake.apiBaseURL}/images/generations`, {
      method: 'POST',
      headers: jsonHeaders(),
      body: JSON.stringify({ model: 'gpt-image-1', prompt: 'x', stream: true, partial_images: 2 }),
    });
    t.match(response.headers.get('content-type'), /text\/event-stream/);
    t.ok(response.headers.get('x-request-id'));
    const events = sseEvents(await response.text());
    t.same(
      events.map((event) => event.event),
      ['image_generation.partial_image', 'image_generation.partial_image', 'image_generation.completed'],
    );
    const partial = JSON.parse(events[1]!.data);
    t.match(partial, {
      type: 'image_generation.partial_image',
      partial_image_index: 1,
      size: '1024x1024',
      output_format: 'png',
    });
    const completed = JSON.parse(events[2]!.data);
    t.same(Buffer.from(completed.b64_json, 'base64'), tinyPng());
    t.type(completed.usage.output_tokens, 'number');

    const done = await started(t, { sendDone: true });
    const form = new FormData();
    form.append('prompt', 'x');
    form.append('model', 'gpt-image-1');
    form.append('stream', 'true');
    form.append('image', new Blob([solidPng(16, 16)], { type: 'image/png' }), 'a.png');
    const edit = await fetch(`${done.apiBaseURL}/images/edits`, {
      method: 'POST',
      headers: { authorization: 'Bearer k' },
      body: form,
    });
    const editEvents = sseEvents(await edit.text());
    t.same(
      editEvents.map((event) => event.event ?? event.data),
      ['image_edit.completed', '[DONE]'],
    );
  },
);

t.test('a stream can fail midway with an error event', async (t) => {
  const fake = await started(t);
  const response = await fetch(`${fake.apiBaseURL}/images/generations`, {
    method: 'POST',
    headers: jsonHeaders(),
    body: JSON.stringify({
      model: 'gpt-image-1',
      prompt: openaiTriggers.streamError,
      stream: true,
      partial_images: 1,
    }),
  });
  const events = sseEvents(await response.text());
  t.same(
    events.map((event) => event.event),
    ['image_generation.partial_image', 'error'],
  );
  t.equal(JSON.parse(events[1]!.data).error.type, 'server_error');
});

t.test('zero-work mode answers a fixed body, tiny or about 1.5 MB of base64', async (t) => {
  const tiny = await started(t, { zeroWork: 'tiny' });
  const small = await post(`${tiny.apiBaseURL}/images/generations`, { model: 'anything', prompt: 'x', n: 2 });
  t.equal(small.status, 200);
  t.equal(small.json.data.length, 2);
  t.same(Buffer.from(small.json.data[0].b64_json, 'base64'), tinyPng());
  t.equal(
    (
      await post(
        `${tiny.apiBaseURL}/images/generations`,
        { prompt: 'x' },
        { 'content-type': 'application/json' },
      )
    ).status,
    401,
  );
  const large = await started(t, { zeroWork: 'large' });
  const big = await post(`${large.apiBaseURL}/images/generations`, { model: 'gpt-image-1', prompt: 'x' });
  const length = (big.json.data[0].b64_json as string).length;
  t.ok(length > 1_400_000 && length < 1_600_000, `base64 length ${length}`);
  t.equal(sniffImage(Buffer.from(big.json.data[0].b64_json, 'base64'))?.mimeType, 'image/png');
});

t.test('zero-work with uniqueImages: every image differs, each a whole PNG of the same size', async (t) => {
  for (const body of ['tiny', 'large'] as const) {
    const fake = await started(t, { zeroWork: body, uniqueImages: true });
    const seen = new Set<string>();
    let size: number | undefined;
    for (let call = 0; call < 3; call++) {
      const answer = await post(`${fake.apiBaseURL}/images/generations`, {
        model: 'gpt-image-1',
        prompt: 'x',
        n: 2,
      });
      t.equal(answer.status, 200);
      for (const item of answer.json.data as { b64_json: string }[]) {
        const png = Buffer.from(item.b64_json, 'base64');
        // imageDefect checks every chunk's length and CRC, as uig does with a vendor's image.
        t.equal(imageDefect(png), undefined, `${body}: a whole PNG`);
        size ??= png.length;
        t.equal(png.length, size, `${body}: the same size`);
        seen.add(item.b64_json);
      }
    }
    t.equal(seen.size, 6, `${body}: six different images`);
  }
});

t.test('parseMultipart reads fields and files, and refuses a body without a boundary', async (t) => {
  const form = new FormData();
  form.append('prompt', 'a "quoted" value\r\nwith lines');
  form.append('image[]', new Blob([Buffer.from([0, 13, 10, 45, 45, 255])], { type: 'image/png' }), 'x.png');
  const request = new Request('http://x', { method: 'POST', body: form });
  const body = Buffer.from(await request.arrayBuffer());
  const parts = parseMultipart(body, request.headers.get('content-type')!)!;
  t.equal(parts.length, 2);
  t.equal(parts[0]!.data.toString('utf8'), 'a "quoted" value\r\nwith lines');
  t.same([parts[1]!.name, parts[1]!.filename, parts[1]!.contentType], ['image[]', 'x.png', 'image/png']);
  t.same([...parts[1]!.data], [0, 13, 10, 45, 45, 255]);
  t.equal(parseMultipart(body, 'multipart/form-data'), undefined);
});
