import t from 'tap';
import { z } from 'zod';
import { solidPng, type ProviderPlugin } from '@uig/core';
import { loggerOptions, loggableUrl } from '../src/logger-options.js';
import { startGateway } from './helpers.js';

/** A provider with a bug: it throws a plain TypeError, as a parsing slip would. */
const buggy: ProviderPlugin = {
  type: 'buggy',
  env: { apiKey: 'BUGGY_API_KEY', baseURL: 'BUGGY_BASE_URL' },
  defaultBaseURL: 'http://buggy.invalid',
  create: (settings) => ({
    id: settings.id,
    models: [
      {
        id: 'one',
        description: 'throws',
        capabilities: {
          generate: true,
          edit: false,
          mask: false,
          maxImagesPerCall: 1,
          maxImagesPerRequest: 1,
          maxInputImages: 0,
          sizes: { allowed: ['64x64'], default: '64x64' },
          seed: false,
          negativePrompt: false,
          delivery: 'bytes',
          maxPromptLength: 100,
        },
      },
    ],
    defaultModel: 'one',
    optionsSchema: z.object({}).strict(),
    generate: async (call) => {
      if (call.prompt === 'ok') return { images: [{ kind: 'bytes', data: solidPng(8, 8) }], warnings: [] };
      throw new TypeError('cannot read properties of undefined (reading "b64")');
    },
  }),
};

t.test('a 500 says internal_error and logs its cause with the stack under the request id', async (t) => {
  const lines: string[] = [];
  const { app } = await startGateway(
    t,
    { BUGGY_API_KEY: 'k' },
    { plugins: [buggy], logger: loggerOptions('info', { write: (line: string) => void lines.push(line) }) },
  );
  const response = await app.inject({
    method: 'POST',
    url: '/v1/images',
    payload: { prompt: 'fail' },
    headers: { 'x-request-id': 'bug-1' },
  });
  t.equal(response.statusCode, 500);
  t.match(response.json(), { error: { type: 'server_error', code: 'internal_error' }, request_id: 'bug-1' });
  t.notMatch(response.body, /b64|TypeError/, 'no detail reaches the client');
  const logged = lines
    .map((line) => JSON.parse(line) as Record<string, any>)
    .filter((line) => line.request_id === 'bug-1');
  const failure = logged.find((line) => line.level === 50);
  t.match(failure, {
    code: 'INTERNAL_ERROR',
    err: { type: 'TypeError', message: /reading "b64"/, stack: /TypeError/ },
  });
  t.same(
    logged.filter((line) => line.level === 30).map((line) => line.msg),
    ['request completed'],
    'one info line for the request',
  );
  lines.length = 0;
  await app.inject({
    method: 'POST',
    url: '/v1/images',
    payload: { prompt: 'ok' },
    headers: { 'x-request-id': 'ok-1' },
  });
  t.same(
    lines
      .map((line) => JSON.parse(line))
      .filter((line) => line.request_id === 'ok-1')
      .map((line) => [line.level, line.msg]),
    [[30, 'request completed']],
    'a success is exactly one line',
  );
});

t.test('credentials in query strings never reach the logs', async (t) => {
  for (const name of ['api_key', 'key', 'token', 'access_token', 'signature', 'API_KEY', 'Token']) {
    const logged = loggableUrl(`/v1/models?limit=2&${name}=sk-secret-value&x=1`);
    t.notMatch(logged, /sk-secret-value/, name);
    t.match(logged, /limit=2/);
    t.match(logged, /x=1/);
  }
  t.equal(loggableUrl('/v1/models?monkey=1'), '/v1/models?monkey=1', 'only whole parameter names');
  const lines: string[] = [];
  const { app } = await startGateway(
    t,
    {},
    { logger: loggerOptions('info', { write: (line: string) => void lines.push(line) }) },
  );
  await app.inject({
    method: 'GET',
    url: '/v1/models?api_key=sk-live-123&token=tok-456&access_token=at-789&key=k-000',
  });
  const all = lines.join('\n');
  for (const secret of ['sk-live-123', 'tok-456', 'at-789', 'k-000']) t.notOk(all.includes(secret), secret);
  t.match(all, /api_key=\[redacted\]/);
});
