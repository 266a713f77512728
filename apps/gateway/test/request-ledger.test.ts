import t, { type Test } from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestRecord } from '@uig/core';
import { startGateway } from './helpers.js';
import { scriptedPlugin, triggers } from './scripted-provider.js';

/**
 * One ledger record per image request that got past authentication, whatever its outcome,
 * written before the answer: each case reads the ledger right after its answer arrived,
 * without closing the ledger or waiting.
 */
const key = 'sk-design';

async function gateway(t: Test, listen = false) {
  const scripted = scriptedPlugin();
  const started = await startGateway(
    t,
    { SCRIPTED_API_KEY: 'vendor-key' },
    {
      listen,
      plugins: [scripted.plugin],
      configFile: {
        clients: [
          { name: 'design', key, models: ['scripted/painter'], limits: { rpm: 100 } },
          { name: 'tiny', key: 'sk-tiny', limits: { rpm: 1 } },
        ],
        retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 },
      },
    },
  );
  const ledgerPath = join(started.runtime.config.dataDir, 'usage.jsonl');
  const records = () =>
    existsSync(ledgerPath)
      ? readFileSync(ledgerPath, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as RequestRecord)
      : [];
  return { ...started, scripted, records };
}

const post = (url: string, payload: unknown, token = key) => ({
  method: 'POST' as const,
  url,
  headers: { authorization: `Bearer ${token}` } as Record<string, string>,
  payload: payload as Record<string, unknown>,
});

t.test('every outcome of an image route is one record, on disk before the answer', async (t) => {
  const { app, records } = await gateway(t);
  const cases: Array<[string, ReturnType<typeof post>, number, Partial<RequestRecord>]> = [
    [
      'success',
      post('/v1/images/generations', { prompt: 'a fox', response_format: 'b64_json', n: 3 }),
      200,
      {
        route: '/v1/images/generations',
        client: 'design',
        kind: 'generate',
        status: 200,
        attempts: 1,
        vendorCalls: 2,
        modelResolved: 'scripted/painter',
        provider: 'scripted',
        model: 'painter',
        imagesAsked: 3,
        images: 3,
        estimatedCostUsd: 0.03,
        prompt: 'a fox',
      },
    ],
    [
      'partial result',
      post('/v1/images', { prompt: `p ${triggers.laterCallsDown}`, n: 4 }),
      200,
      { route: '/v1/images', status: 200, imagesAsked: 4, images: 2, vendorCalls: 4, estimatedCostUsd: 0.02 },
    ],
    [
      'validation',
      post('/v1/images/generations', { prompt: 'a fox', colour: 'red' }),
      400,
      { status: 400, errorCode: 'unknown_parameter', vendorCalls: 0, attempts: 0, images: 0 },
    ],
    [
      'capability',
      post('/v1/images', { prompt: 'a fox', size: '999x999' }),
      400,
      { status: 400, modelResolved: 'scripted/painter', attempts: 1, vendorCalls: 0 },
    ],
    [
      'model not allowed',
      post('/v1/images', { prompt: 'a fox', model: 'scripted/sketcher' }),
      403,
      { status: 403, errorCode: 'model_not_allowed', modelAsked: 'scripted/sketcher' },
    ],
    [
      'unknown model',
      post('/v1/images', { prompt: 'a fox', model: 'nobody/nothing' }),
      404,
      { status: 404, errorCode: 'model_not_found' },
    ],
    [
      'vendor down after retries',
      post('/v1/images', { prompt: `p ${triggers.down}` }),
      502,
      { status: 502, errorCode: 'upstream_unavailable', attempts: 1, vendorCalls: 3, provider: 'scripted' },
    ],
    [
      'vendor refusal',
      post('/v1/images', { prompt: `p ${triggers.refuse}` }),
      400,
      { status: 400, errorCode: 'content_policy_violation', vendorCalls: 1 },
    ],
    [
      'wrong media type',
      {
        method: 'POST',
        url: '/v1/images',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'text/plain' },
        payload: 'a fox' as unknown as Record<string, unknown>,
      },
      415,
      { status: 415, errorCode: 'unsupported_media_type', route: '/v1/images' },
    ],
    [
      'limiter',
      post('/v1/images', { prompt: 'a fox', model: 'scripted/painter' }, 'sk-tiny'),
      200,
      { status: 200, client: 'tiny' },
    ],
    [
      'limiter refusal',
      post('/v1/images', { prompt: 'a fox' }, 'sk-tiny'),
      429,
      { status: 429, errorCode: 'rate_limit_exceeded', client: 'tiny', vendorCalls: 0 },
    ],
  ];
  for (const [name, request, status, expected] of cases) {
    const before = records().length;
    const response = await app.inject(request);
    t.equal(response.statusCode, status, `${name}: status`);
    const written = records().slice(before);
    t.equal(written.length, 1, `${name}: one record, written before the answer`);
    t.match(written[0], { requestId: response.headers['x-request-id'], ...expected }, name);
    if (status === 200)
      t.equal(written[0]!.imageIds?.length, written[0]!.images, `${name}: the ids of the images handed out`);
  }

  // Not image requests, or refused before authentication: no record.
  const before = records().length;
  t.equal((await app.inject(post('/v1/images', { prompt: 'a fox' }, 'sk-wrong'))).statusCode, 401);
  t.equal(
    (await app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${key}` } }))
      .statusCode,
    200,
  );
  t.equal(records().length, before, '401 and non-image routes are not recorded');
});

t.test('a client that goes away is recorded as 499 request_aborted', async (t) => {
  const { url, scripted, records } = await gateway(t, true);
  const controller = new AbortController();
  const answer = fetch(`${url}/v1/images`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: `p ${triggers.hold}` }),
    signal: controller.signal,
  }).catch((error: unknown) => error);
  await scripted.held();
  controller.abort();
  t.match(await answer, { name: 'AbortError' });
  for (let wait = 0; wait < 200 && records().length === 0; wait++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  scripted.release();
  for (let wait = 0; wait < 200 && records().length === 0; wait++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  t.equal(records().length, 1, 'one record');
  t.match(records(), [{ status: 499, errorCode: 'request_aborted', vendorCalls: 1, route: '/v1/images' }]);
});

t.test('/metrics counts images and errors per client and model from the same records', async (t) => {
  const { app } = await gateway(t);
  await app.inject(post('/v1/images', { prompt: 'a fox', n: 2 }));
  await app.inject(post('/v1/images', { prompt: `p ${triggers.down}` }));
  await app.inject(post('/v1/images', { prompt: 'a fox', size: '999x999' }));
  const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  t.match(metrics, /uig_images_delivered_total\{client="design",provider="scripted",model="painter"\} 2\n/);
  t.match(
    metrics,
    /uig_image_request_errors_total\{client="design",provider="scripted",model="painter",code="upstream_unavailable"\} 1\n/,
  );
  t.match(
    metrics,
    /uig_image_request_errors_total\{client="design",provider="scripted",model="painter",code="invalid_size"\} 1\n/,
  );
  t.match(
    metrics,
    /uig_estimated_cost_usd_total\{client="design",provider="scripted",model="painter"\} 0\.02\n/,
  );
});
