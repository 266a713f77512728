import t, { type Test } from 'tap';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FileImageStore, InputImageResolver, solidPng, UrlGuard } from '@uig/core';

const whole = solidPng(16, 16);
const half = whole.subarray(0, whole.length >> 1);

async function resolver(t: Test) {
  const served: string[] = [];
  const server = createServer((request, response) => {
    served.push(request.url ?? '');
    response.writeHead(200, { 'content-type': 'image/png' }).end(request.url === '/half.png' ? half : whole);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const guard = new UrlGuard({ allowPrivate: true });
  const images = new InputImageResolver({
    store: new FileImageStore(t.testdir()),
    fetch: guard.fetch,
    checkUrl: guard.checkUrl,
    maxBytes: 1024 * 1024,
    maxPixels: 4096 * 4096,
    downloadTimeoutMs: 2000,
  });
  return { images, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, served };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

t.test('a truncated input image is a 400 invalid_image, whichever way it came', async (t) => {
  const { images, base } = await resolver(t);
  t.match(await images.resolve(`${base}/whole.png`, 'image'), { width: 16 });
  for (const [how, attempt] of [
    ['url', () => images.resolve(`${base}/half.png`, 'image')],
    [
      'data uri',
      () => images.resolve(`data:image/png;base64,${Buffer.from(half).toString('base64')}`, 'image'),
    ],
    ['upload', async () => images.check(Buffer.from(half), 'image[]')],
  ] as const) {
    t.match(await failure(attempt()), { status: 400, code: 'INVALID_IMAGE', param: /^image/ }, how);
  }
});

t.test('a malformed URL is a 400 invalid_image_url, not a TypeError', async (t) => {
  const { images, served } = await resolver(t);
  for (const url of [
    'http://127.0.0.1%2509:1/',
    'https://exa mple.com/a.png',
    'http://[::1/a.png',
    'http://:80/',
  ]) {
    const error = await failure(images.resolve(url, 'image'));
    t.match(error, { status: 400, code: 'INVALID_IMAGE_URL', param: 'image' }, url);
    t.notOk(error instanceof TypeError);
  }
  t.same(served, []);
});
