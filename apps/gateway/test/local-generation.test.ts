import t from 'tap';
import { sniffImage } from '@uig/core';
import { pngSignature, startGateway } from './helpers.js';

t.test('with no keys, the default model is the offline local provider', async (t) => {
  const { runtime } = await startGateway(t);
  t.same(
    runtime.config.providers.map((provider) => provider.id),
    ['local'],
  );
  t.match(runtime.registry.defaultName(), /^local\//);
});

t.test('POST /v1/images/generations in b64_json mode returns a PNG of the size asked', async (t) => {
  const { app } = await startGateway(t);
  const response = await app.inject({
    method: 'POST',
    url: '/v1/images/generations',
    payload: { prompt: 'a lighthouse at dusk', size: '512x256', response_format: 'b64_json' },
  });
  t.equal(response.statusCode, 200);
  const body = response.json();
  t.type(body.created, 'number');
  t.equal(body.data.length, 1);
  const png = Buffer.from(body.data[0].b64_json, 'base64');
  t.same(png.subarray(0, 8), pngSignature);
  t.match(sniffImage(png), { mimeType: 'image/png', width: 512, height: 256 });
  t.ok(response.headers['x-request-id'], 'x-request-id on the answer');
});

t.test('url mode hands out a signed URL that serves the same PNG without a key', async (t) => {
  const { app, url } = await startGateway(t, {}, { listen: true });
  const response = await fetch(`${url}/v1/images/generations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'a red fox', n: 2, response_format: 'url' }),
  });
  t.equal(response.status, 200);
  const body = (await response.json()) as { data: { url: string }[] };
  t.equal(body.data.length, 2);
  const first = new URL(body.data[0]!.url);
  t.equal(first.origin, url);
  t.match(first.pathname, /^\/v1\/images\/[a-f0-9]{32}\/content$/);
  t.ok(first.searchParams.get('signature'));
  const image = await fetch(first);
  t.equal(image.status, 200);
  t.equal(image.headers.get('content-type'), 'image/png');
  const etag = image.headers.get('etag');
  t.match(etag, /^"[a-f0-9]{32}"$/);
  const bytes = Buffer.from(await image.arrayBuffer());
  t.same(bytes.subarray(0, 8), pngSignature);
  const again = await app.inject({
    method: 'GET',
    url: `${first.pathname}${first.search}`,
    headers: { 'if-none-match': etag! },
  });
  t.equal(again.statusCode, 304);
  t.not(body.data[0]!.url, body.data[1]!.url, 'n=2 gives two different images');
});

t.test('the native API answers with ids, sizes, warnings and usage', async (t) => {
  const { app } = await startGateway(t);
  const response = await app.inject({
    method: 'POST',
    url: '/v1/images',
    payload: { prompt: 'a red fox', aspect_ratio: '16:9', seed: 42, response_format: 'b64_json' },
  });
  t.equal(response.statusCode, 200);
  const body = response.json();
  t.match(body, {
    model: /^local\//,
    provider: 'local',
    usage: { images: 1, estimated_cost_usd: 0 },
    warnings: [],
  });
  const [image] = body.data;
  t.match(image, { id: /^[a-f0-9]{32}$/, mime_type: 'image/png' });
  t.equal(Math.round((image.width / image.height) * 9), 16, 'the size has the ratio asked for');
  t.match(sniffImage(Buffer.from(image.b64_json, 'base64')), { width: image.width, height: image.height });
  // Same prompt and seed: the local provider is deterministic, so the same id.
  const again = (
    await app.inject({
      method: 'POST',
      url: '/v1/images',
      payload: { prompt: 'a red fox', aspect_ratio: '16:9', seed: 42 },
    })
  ).json();
  t.equal(again.data[0].id, image.id);
});

t.test('GET /v1/models lists models with capabilities; /healthz answers', async (t) => {
  const { app } = await startGateway(t);
  const models = (await app.inject({ method: 'GET', url: '/v1/models' })).json();
  t.equal(models.object, 'list');
  const local = models.data.find((entry: { default: boolean }) => entry.default);
  t.match(local, { id: /^local\//, object: 'model', owned_by: 'local', capabilities: { generate: true } });
  t.same((await app.inject({ method: 'GET', url: '/healthz' })).json(), { status: 'ok' });
});
