import { spawnSync } from 'node:child_process';
import t, { type Test } from 'tap';
import { solidPng } from '@uig/core';
import type { z } from 'zod';
import {
  errorResponseSchema,
  modelListSchema,
  nativeImagesResponseSchema,
  openaiImagesResponseSchema,
  readinessSchema,
} from '../src/api-schemas.js';
import { loggerOptions } from '../src/logger-options.js';
import { multipartBody, startGateway } from './helpers.js';
import { scriptedPlugin, triggers } from './scripted-provider.js';

const scripted = () => scriptedPlugin();

/** The documented response schema accepts the real answer and documents every field it has. */
function conforms(t: Test, schema: z.ZodObject, value: Record<string, unknown>, name: string) {
  const parsed = schema.safeParse(value);
  t.ok(parsed.success, `${name} parses: ${parsed.success ? '' : parsed.error.message}`);
  t.same(
    Object.keys(value).filter((key) => !(key in schema.shape)),
    [],
    `${name}: no undocumented fields`,
  );
}

t.test('real answers match the documented response schemas', async (t) => {
  const { app } = await startGateway(t, { SCRIPTED_API_KEY: 'v' }, { plugins: [scripted().plugin] });
  const openai = (
    await app.inject({
      method: 'POST',
      url: '/v1/images/generations',
      payload: { prompt: 'x', seed: undefined, response_format: 'b64_json', style: 'vivid' },
    })
  ).json();
  conforms(t, openaiImagesResponseSchema, openai, 'ImagesResponse');
  const native = (
    await app.inject({
      method: 'POST',
      url: '/v1/images',
      payload: { prompt: 'x', response_format: 'b64_json' },
    })
  ).json();
  conforms(t, nativeImagesResponseSchema, native, 'NativeImagesResponse');
  conforms(t, modelListSchema, (await app.inject({ method: 'GET', url: '/v1/models' })).json(), 'ModelList');
  conforms(t, readinessSchema, (await app.inject({ method: 'GET', url: '/readyz' })).json(), 'Readiness');
  conforms(
    t,
    errorResponseSchema,
    (await app.inject({ method: 'POST', url: '/v1/images', payload: { prompt: triggers.refuse } })).json(),
    'Error',
  );
});

t.test('GET /metrics: requests, upstream latency, retries, queue depth, images stored', async (t) => {
  const { app } = await startGateway(
    t,
    { SCRIPTED_API_KEY: 'v' },
    { plugins: [scripted().plugin], configFile: { retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 } } },
  );
  await app.inject({ method: 'POST', url: '/v1/images/generations', payload: { prompt: 'x', n: 2 } });
  await app.inject({ method: 'POST', url: '/v1/images/generations', payload: { prompt: triggers.down } });
  await app.inject({ method: 'GET', url: '/v2/nothing' });
  const response = await app.inject({ method: 'GET', url: '/metrics' });
  t.equal(response.statusCode, 200);
  t.match(response.headers['content-type'], /^text\/plain; version=0\.0\.4/);
  const text = response.body;
  t.match(
    text,
    /uig_http_requests_total\{route="\/v1\/images\/generations",method="POST",status="200",provider="scripted",model="scripted\/painter"\} 1/,
  );
  t.match(
    text,
    /uig_http_requests_total\{route="\/v1\/images\/generations",method="POST",status="502",provider="scripted",model="scripted\/painter"\} 1/,
  );
  t.match(
    text,
    /uig_http_requests_total\{route="unmatched",method="GET",status="404",provider="",model=""\} 1/,
  );
  t.match(text, /# TYPE uig_upstream_request_duration_seconds histogram/);
  t.match(
    text,
    /uig_upstream_request_duration_seconds_count\{provider="scripted",model="painter",outcome="ok"\} 1/,
  );
  t.match(
    text,
    /uig_upstream_request_duration_seconds_count\{provider="scripted",model="painter",outcome="upstream_unavailable"\} 3/,
  );
  t.match(
    text,
    /uig_upstream_request_duration_seconds_bucket\{le="\+Inf",provider="scripted",model="painter",outcome="ok"\} 1/,
  );
  t.match(
    text,
    /uig_upstream_retries_total\{provider="scripted",model="painter",code="upstream_unavailable"\} 2/,
  );
  t.match(text, /uig_images_stored_total 2/);
  t.match(text, /uig_limiter_queue_depth\{provider="scripted"\} 0/);
  t.match(text, /uig_credentials_available\{provider="scripted"\} 1/);
  // prom-client's default process and Node runtime metrics.
  for (const name of [
    'process_cpu_seconds_total',
    'process_resident_memory_bytes',
    'nodejs_eventloop_lag_seconds',
    'nodejs_gc_duration_seconds',
    'nodejs_active_handles',
    'nodejs_heap_size_used_bytes',
  ])
    t.match(text, new RegExp(`^# TYPE ${name} `, 'm'), `${name} is exported`);
  const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  t.equal(promtool.error, undefined, 'promtool runs (Debian package prometheus; .ci/run installs it)');
  t.equal(promtool.status, 0, `promtool check metrics: ${promtool.stdout}${promtool.stderr}`);
  for (const line of text.trim().split('\n').filter(Boolean))
    t.match(
      line,
      /^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? -?(?:[\d.e+-]+|[Nn]a[Nn]|\+Inf))$/,
      'a valid exposition line',
    );
});

t.test('GET /readyz reflects which providers are configured, and readiness', async (t) => {
  const plugins = [scriptedPlugin().plugin, scriptedPlugin('second').plugin];
  const { app } = await startGateway(
    t,
    { SCRIPTED_API_KEY: 'v' },
    { plugins, configFile: { providers: { extra: { type: 'scripted', apiKey: 'v2' } } } },
  );
  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  t.equal(ready.statusCode, 200);
  t.match(ready.json(), {
    status: 'ready',
    default_model: String,
    limiter: { backend: 'in-process' },
    providers: [
      { id: 'extra', type: 'scripted', models: 2, credentials: 1, credentials_available: 1 },
      { id: 'scripted', type: 'scripted', credentials: 1 },
    ],
  });
  t.equal(ready.json().providers.length, 2, 'second (no key) is not configured');
  await app.inject({
    method: 'POST',
    url: '/v1/images',
    payload: { prompt: triggers.badKey, model: 'scripted/painter' },
  });
  await app.inject({
    method: 'POST',
    url: '/v1/images',
    payload: { prompt: triggers.badKey, model: 'extra/painter' },
  });
  const notReady = await app.inject({ method: 'GET', url: '/readyz' });
  t.equal(notReady.statusCode, 503, 'no credential left in rotation');
  t.equal(notReady.json().status, 'not_ready');
});

t.test('x-request-id on every response; a sane caller id is kept', async (t) => {
  const { app } = await startGateway(
    t,
    { SCRIPTED_API_KEY: 'v', UIG_API_KEYS: 'sk-1' },
    { plugins: [scripted().plugin] },
  );
  const requests = [
    { method: 'GET' as const, url: '/healthz' },
    { method: 'GET' as const, url: '/metrics' },
    { method: 'GET' as const, url: '/nowhere' },
    { method: 'GET' as const, url: '/v1/models' },
    {
      method: 'POST' as const,
      url: '/v1/images',
      payload: { prompt: 'x' },
      headers: { authorization: 'Bearer sk-1' },
    },
    {
      method: 'POST' as const,
      url: '/v1/images',
      payload: { prompt: 'x', bogus: 1 },
      headers: { authorization: 'Bearer sk-1' },
    },
  ];
  for (const request of requests) {
    const response = await app.inject(request);
    t.match(
      response.headers['x-request-id'],
      /^req_[a-f0-9]{32}$/,
      `${request.method} ${request.url} (${response.statusCode})`,
    );
  }
  const kept = await app.inject({
    method: 'GET',
    url: '/healthz',
    headers: { 'x-request-id': 'trace-abc.123' },
  });
  t.equal(kept.headers['x-request-id'], 'trace-abc.123');
  const replaced = await app.inject({
    method: 'GET',
    url: '/healthz',
    headers: { 'x-request-id': 'bad id\nwith newline' },
  });
  t.match(replaced.headers['x-request-id'], /^req_/);
});

t.test('logs are JSON lines with request_id, without secrets or base64', async (t) => {
  const lines: string[] = [];
  const stream = { write: (line: string) => void lines.push(line) };
  const { app } = await startGateway(
    t,
    { SCRIPTED_API_KEY: 'vendor-secret-key', UIG_API_KEYS: 'sk-client-secret' },
    { plugins: [scripted().plugin], logger: loggerOptions('debug', stream) },
  );
  const image = Buffer.from(solidPng(40, 40)).toString('base64');
  const auth = { authorization: 'Bearer sk-client-secret' };
  const native = await app.inject({
    method: 'POST',
    url: '/v1/images',
    headers: { ...auth, 'x-request-id': 'log-test-1' },
    payload: { prompt: 'x', image: `data:image/png;base64,${image}`, response_format: 'b64_json' },
  });
  t.equal(native.statusCode, 200);
  const b64 = native.json().data[0].b64_json as string;
  await app.inject({
    method: 'POST',
    url: '/v1/images/generations',
    headers: auth,
    payload: { prompt: triggers.down },
  });
  await app.inject({
    method: 'POST',
    url: '/v1/images/generations',
    headers: { authorization: 'Bearer sk-wrong-secret' },
    payload: { prompt: 'x' },
  });
  await app.inject({
    method: 'POST',
    url: '/v1/images/edits',
    headers: {
      ...auth,
      ...multipartBody([
        { name: 'image', filename: 'a.png', data: solidPng(40, 40) },
        { name: 'prompt', value: 'x' },
      ]).headers,
    },
    payload: multipartBody([
      { name: 'image', filename: 'a.png', data: solidPng(40, 40) },
      { name: 'prompt', value: 'x' },
    ]).payload,
  });
  const signed = new URL(
    (await app.inject({ method: 'POST', url: '/v1/images', headers: auth, payload: { prompt: 'y' } })).json()
      .data[0].url,
  );
  await app.inject({ method: 'GET', url: `${signed.pathname}${signed.search}` });
  await app.inject({
    method: 'POST',
    url: '/v1/images/generations',
    headers: { ...auth, 'x-request-id': 'bad-key-request' },
    payload: { prompt: triggers.badKey },
  });
  t.ok(lines.length >= 10);
  const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  t.ok(
    parsed.every((line) => typeof line.request_id === 'string'),
    'every line of a request has its request_id',
  );
  t.ok(
    parsed.some((line) => line.request_id === 'log-test-1'),
    "the caller's id is used",
  );
  const disabled = parsed.find((line) => line.msg === 'upstream credential taken out of rotation');
  t.match(
    disabled,
    { level: 40, request_id: 'bad-key-request', credential: 'scripted#1', reason: 'upstream_authentication' },
    'a credential leaving rotation is logged, with the request that found out',
  );
  const all = lines.join('');
  for (const secret of [
    'sk-client-secret',
    'sk-wrong-secret',
    'vendor-secret-key',
    image.slice(0, 40),
    b64.slice(0, 40),
    signed.searchParams.get('signature')!,
  ]) {
    t.notOk(all.includes(secret), `no ${secret.slice(0, 12)}… in the logs`);
  }
});
