import t, { type Test } from 'tap';
import { solidPng } from '@uig/core';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { multipartBody, startGateway } from './helpers.js';
import { scriptedPlugin } from './scripted-provider.js';

const png = solidPng(32, 32);
const maskPng = solidPng(32, 32, [0, 0, 0, 0]);
const dataUri = (bytes: Uint8Array) => `data:image/png;base64,${Buffer.from(bytes).toString('base64')}`;

async function gateway(t: Test, configFile: Record<string, unknown> = {}) {
  const scripted = scriptedPlugin();
  const started = await startGateway(
    t,
    { SCRIPTED_API_KEY: 'v' },
    { plugins: [scripted.plugin], configFile },
  );
  return { ...started, scripted };
}

const edit = (parts: Parameters<typeof multipartBody>[0]) => ({
  method: 'POST' as const,
  url: '/v1/images/edits',
  ...multipartBody(parts),
});
const file = (name: string, data: Uint8Array = png) => ({
  name,
  filename: `${name}.png`,
  data,
  type: 'image/png',
});

t.test(
  "POST /v1/images/edits takes OpenAI multipart: image, every text field, and answers in OpenAI's shape",
  async (t) => {
    const { app, scripted } = await gateway(t);
    const response = await app.inject(
      edit([
        file('image'),
        { name: 'prompt', value: 'add a hat' },
        { name: 'model', value: 'scripted/painter' },
        { name: 'n', value: '2' },
        { name: 'size', value: '256x256' },
        { name: 'quality', value: 'auto' },
        { name: 'response_format', value: 'b64_json' },
        { name: 'user', value: 'u-1' },
        { name: 'stream', value: 'false' },
        { name: 'background', value: 'transparent' },
        { name: 'output_format', value: 'png' },
        { name: 'output_compression', value: '80' },
        { name: 'partial_images', value: '0' },
        { name: 'input_fidelity', value: 'high' },
      ]),
    );
    t.equal(response.statusCode, 200, response.body.slice(0, 300));
    const body = response.json();
    t.equal(body.data.length, 2);
    t.type(body.data[0].b64_json, 'string');
    t.equal(scripted.calls.length, 1);
    const call = scripted.calls[0]!;
    t.equal(call.prompt, 'add a hat');
    t.equal(call.images.length, 1);
    t.match(call.images[0], { mimeType: 'image/png', width: 32, height: 32 });
    t.same(call.size, { width: 256, height: 256 });
    t.same(
      body.warnings.map((warning: { feature: string }) => warning.feature).sort(),
      ['background', 'input_fidelity', 'output_compression', 'output_format', 'partial_images'],
      'OpenAI-only settings are named in warnings, never dropped silently',
    );
  },
);

t.test('image[] gives several images and mask a mask', async (t) => {
  const { app, scripted } = await gateway(t);
  const response = await app.inject(
    edit([
      file('image[]'),
      file('image[]', solidPng(16, 16)),
      file('mask', maskPng),
      { name: 'prompt', value: 'merge' },
      { name: 'response_format', value: 'url' },
    ]),
  );
  t.equal(response.statusCode, 200, response.body.slice(0, 300));
  t.match(response.json().data[0].url, /\/v1\/images\/[a-f0-9]{32}\/content\?expires=\d+&signature=/);
  t.equal(scripted.calls[0]!.images.length, 2);
  t.match(scripted.calls[0]!.mask, { mimeType: 'image/png', width: 32, height: 32 });
});

t.test('bad edit requests are refused before any vendor call', async (t) => {
  const { app, scripted } = await gateway(t, {
    limits: { maxInputImageBytes: 8192, maxInputPixels: 64 * 64 },
  });
  const cases: Array<
    [
      string,
      ReturnType<typeof edit> | { method: 'POST'; url: string; payload: object },
      number,
      string,
      string | null,
    ]
  > = [
    [
      'unknown text field',
      edit([file('image'), { name: 'prompt', value: 'x' }, { name: 'colour', value: 'red' }]),
      400,
      'unknown_parameter',
      'colour',
    ],
    [
      'unknown file field',
      edit([file('picture'), { name: 'prompt', value: 'x' }]),
      400,
      'unknown_parameter',
      'picture',
    ],
    ['no image', edit([{ name: 'prompt', value: 'x' }]), 400, 'missing_parameter', 'image'],
    ['no prompt', edit([file('image')]), 400, 'missing_parameter', 'prompt'],
    [
      'n not a number',
      edit([file('image'), { name: 'prompt', value: 'x' }, { name: 'n', value: 'two' }]),
      400,
      'invalid_parameter',
      'n',
    ],
    [
      'not an image',
      edit([
        { name: 'image', filename: 'a.png', data: Buffer.from('hello, not a png') },
        { name: 'prompt', value: 'x' },
      ]),
      400,
      'invalid_image',
      'image',
    ],
    [
      'a mask that is not an image',
      edit([
        file('image'),
        { name: 'mask', filename: 'm.png', data: Buffer.from('nope') },
        { name: 'prompt', value: 'x' },
      ]),
      400,
      'invalid_image',
      'mask',
    ],
    [
      'too many pixels',
      edit([file('image', solidPng(100, 100)), { name: 'prompt', value: 'x' }]),
      400,
      'image_too_large',
      'image',
    ],
    [
      'too many bytes',
      edit([file('image', Buffer.concat([png, Buffer.alloc(9000)])), { name: 'prompt', value: 'x' }]),
      413,
      'payload_too_large',
      null,
    ],
    [
      'image as text',
      edit([
        { name: 'image', value: 'https://example.com/a.png' },
        { name: 'prompt', value: 'x' },
      ]),
      400,
      'invalid_parameter',
      'image',
    ],
    [
      'JSON instead of multipart',
      { method: 'POST', url: '/v1/images/edits', payload: { prompt: 'x', image: dataUri(png) } },
      400,
      'invalid_content_type',
      null,
    ],
    [
      'a model that cannot edit',
      edit([file('image'), { name: 'prompt', value: 'x' }, { name: 'model', value: 'scripted/sketcher' }]),
      400,
      'edit_not_supported',
      'image',
    ],
    [
      'more images than the model takes',
      edit([file('image[]'), file('image[]'), file('image[]'), { name: 'prompt', value: 'x' }]),
      400,
      'too_many_images',
      'image',
    ],
  ];
  for (const [name, request, status, code, param] of cases) {
    const response = await app.inject(request);
    t.equal(response.statusCode, status, `${name}: ${response.body.slice(0, 200)}`);
    t.match(response.json(), { error: { code, param }, request_id: String }, name);
  }
  t.equal(scripted.calls.length, 0, 'the vendor saw none of them');
});

t.test('native edits: image as a data URI, a stored id, or a URL behind the SSRF guard', async (t) => {
  const { app, scripted } = await gateway(t);
  const byDataUri = await app.inject({
    method: 'POST',
    url: '/v1/images',
    payload: { prompt: 'add a hat', image: dataUri(png), mask: dataUri(maskPng) },
  });
  t.equal(byDataUri.statusCode, 200, byDataUri.body.slice(0, 300));
  const storedId = byDataUri.json().data[0].id;
  t.match(storedId, /^[a-f0-9]{32}$/);
  t.equal(scripted.calls.at(-1)!.images.length, 1);
  t.ok(scripted.calls.at(-1)!.mask);

  const byId = await app.inject({
    method: 'POST',
    url: '/v1/images',
    payload: { prompt: 'again', image: [storedId, dataUri(png)] },
  });
  t.equal(byId.statusCode, 200);
  t.equal(scripted.calls.at(-1)!.images[0]!.id, storedId, 'the stored image was read back');

  const unknown = await app.inject({
    method: 'POST',
    url: '/v1/images',
    payload: { prompt: 'x', image: 'f'.repeat(32) },
  });
  t.equal(unknown.statusCode, 404);
  t.match(unknown.json(), { error: { code: 'image_not_found', param: 'image' } });

  const server = createServer((_request, response) =>
    response.writeHead(200, { 'content-type': 'image/png' }).end(png),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  const calls = scripted.calls.length;
  for (const url of [
    `http://127.0.0.1:${port}/a.png`,
    `http://localhost:${port}/a.png`,
    `http://[::1]:${port}/a.png`,
    'http://169.254.169.254/latest/meta-data/',
  ]) {
    const refused = await app.inject({
      method: 'POST',
      url: '/v1/images',
      payload: { prompt: 'x', image: url },
    });
    t.equal(refused.statusCode, 400, url);
    t.match(refused.json(), { error: { code: 'image_url_forbidden', param: 'image' } }, url);
  }
  t.equal(scripted.calls.length, calls, 'no vendor call for a refused URL');
});

t.test(
  'limits.allowPrivateInputUrls lets a loopback image server through (tests, trusted networks)',
  async (t) => {
    const server = createServer((request, response) => {
      if (request.url === '/redirect') return response.writeHead(302, { location: '/a.png' }).end();
      response.writeHead(200, { 'content-type': 'image/png' }).end(png);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as AddressInfo).port;
    const { app, scripted } = await gateway(t, { limits: { allowPrivateInputUrls: true } });
    const response = await app.inject({
      method: 'POST',
      url: '/v1/images',
      payload: { prompt: 'x', image: `http://127.0.0.1:${port}/redirect` },
    });
    t.equal(response.statusCode, 200, response.body.slice(0, 300));
    t.match(scripted.calls[0]!.images[0], { width: 32, height: 32, mimeType: 'image/png' });
  },
);

t.test('fetching an input URL is bounded in time and size', async (t) => {
  const server = createServer((request, response) => {
    if (request.url === '/slow')
      return void setTimeout(() => response.writeHead(200, { 'content-type': 'image/png' }).end(png), 2000);
    response.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.concat([png, Buffer.alloc(20_000)]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const port = (server.address() as AddressInfo).port;
  const { app, scripted } = await gateway(t, {
    limits: { allowPrivateInputUrls: true, downloadTimeoutMs: 200, maxInputImageBytes: 10_000 },
  });
  const slow = await app.inject({
    method: 'POST',
    url: '/v1/images',
    payload: { prompt: 'x', image: `http://127.0.0.1:${port}/slow` },
  });
  t.equal(slow.statusCode, 400);
  t.match(slow.json(), { error: { code: 'image_url_unreachable', param: 'image' } });
  const big = await app.inject({
    method: 'POST',
    url: '/v1/images',
    payload: { prompt: 'x', image: `http://127.0.0.1:${port}/big` },
  });
  t.equal(big.statusCode, 413);
  t.match(big.json(), { error: { code: 'payload_too_large', param: 'image' } });
  t.equal(scripted.calls.length, 0);
});
