import t, { type Test } from 'tap';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  download,
  FileImageStore,
  InputImageResolver,
  isPublicAddress,
  isUigError,
  solidPng,
  UrlGuard,
} from '@uig/core';

const png = solidPng(8, 8);

/** A loopback server bound to 127.0.0.1 only; counts the requests it gets. */
type Answer = { status: number; headers?: Record<string, string>; body?: Buffer };

async function imageServer(t: Test, handler?: (path: string) => Answer | undefined) {
  const hits: string[] = [];
  const server: Server = createServer((request, response) => {
    hits.push(request.url ?? '');
    const answer = handler?.(request.url ?? '') ?? {
      status: 200,
      headers: { 'content-type': 'image/png' },
      body: png,
    };
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as AddressInfo).port, hits };
}

async function failure(promise: Promise<unknown>) {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

t.test('isPublicAddress knows the non-public ranges, v4 and v6', async (t) => {
  for (const address of [
    '127.0.0.1',
    '127.8.9.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '192.0.2.5',
    '198.18.0.1',
    '::1',
    '::',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '64:ff9b::a00:1',
    '2002:a00:1::1',
    '2001:db8::1',
    'not-an-ip',
  ]) {
    t.equal(isPublicAddress(address), false, address);
  }
  for (const address of [
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '2002:808:808::1',
    '64:ff9b::808:808',
  ]) {
    t.equal(isPublicAddress(address), true, address);
  }
});

t.test('a host name that resolves to a private address is refused before connecting', async (t) => {
  const { port, hits } = await imageServer(t);
  const guard = new UrlGuard({ resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
  const error = await failure(guard.fetch(`http://images.example.test:${port}/a.png`));
  t.ok(isUigError(error));
  t.match(error, { status: 400, code: 'IMAGE_URL_FORBIDDEN' });
  t.equal(hits.length, 0, 'the loopback server got nothing');

  const mixed = new UrlGuard({
    resolve: async () => [
      { address: '93.184.215.14', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ],
  });
  t.match(
    await failure(mixed.fetch(`http://images.example.test:${port}/a.png`)),
    { code: 'IMAGE_URL_FORBIDDEN' },
    'one private address among public ones is enough to refuse',
  );

  const system = new UrlGuard();
  t.match(
    await failure(system.fetch(`http://localhost:${port}/a.png`)),
    { code: 'IMAGE_URL_FORBIDDEN' },
    'localhost via the system resolver',
  );
  t.equal(hits.length, 0);
});

t.test('literal addresses, other schemes and credentials are refused', async (t) => {
  const { port, hits } = await imageServer(t);
  const guard = new UrlGuard();
  for (const url of [
    `http://127.0.0.1:${port}/a.png`,
    `http://[::1]:${port}/a.png`,
    `http://[::ffff:127.0.0.1]:${port}/a.png`,
    'http://169.254.169.254/latest/meta-data/',
    'http://0x7f.1/a.png',
  ]) {
    t.match(await failure(guard.fetch(url)), { code: 'IMAGE_URL_FORBIDDEN' }, url);
  }
  t.match(await failure(guard.checkUrl(new URL('file:///etc/passwd'))), { code: 'INVALID_IMAGE_URL' });
  t.match(await failure(guard.checkUrl(new URL('gopher://example.com/'))), { code: 'INVALID_IMAGE_URL' });
  t.match(await failure(guard.checkUrl(new URL('https://user:pw@example.com/a.png'))), {
    code: 'IMAGE_URL_FORBIDDEN',
  });
  t.equal(hits.length, 0);
});

t.test('the connection goes to the address that was checked (no DNS rebinding)', async (t) => {
  const { port, hits } = await imageServer(t);
  // First answer: 127.0.0.2, which this test allows (nothing listens there, so the
  // connection is refused). A second lookup would answer 127.0.0.1, where the server is.
  let lookups = 0;
  const guard = new UrlGuard({
    isAllowed: (address) => address === '127.0.0.2',
    resolve: async () => [{ address: lookups++ === 0 ? '127.0.0.2' : '127.0.0.1', family: 4 }],
  });
  const error = await failure(guard.fetch(`http://rebind.example.test:${port}/a.png`));
  t.ok(error, 'the fetch fails');
  t.notOk(isUigError(error) && error.code === 'IMAGE_URL_FORBIDDEN', 'the checked address was allowed');
  t.equal(lookups, 1, 'one resolution, used for both the check and the connection');
  t.equal(hits.length, 0, 'the rebound address was never contacted');
});

t.test('allowed hosts are fetched by the pinned address; redirects are re-checked hop by hop', async (t) => {
  const { port, hits } = await imageServer(
    t,
    (path): Answer =>
      path === '/hop'
        ? { status: 302, headers: { location: `http://inner.example.test:${port}/a.png` } }
        : path === '/loop'
          ? { status: 302, headers: { location: '/loop' } }
          : path === '/big'
            ? { status: 200, headers: { 'content-type': 'image/png' }, body: Buffer.alloc(4096) }
            : { status: 200, headers: { 'content-type': 'image/png' }, body: png },
  );
  const guard = new UrlGuard({
    isAllowed: (address) => address === '127.0.0.1',
    resolve: async (host) => [
      { address: host === 'outer.example.test' ? '127.0.0.1' : '10.9.9.9', family: 4 },
    ],
  });
  const options = { fetch: guard.fetch, checkUrl: guard.checkUrl, maxBytes: 1024, timeoutMs: 5000 };
  const fetched = await download(`http://outer.example.test:${port}/a.png`, options);
  t.same(fetched.data, Buffer.from(png));
  t.match(
    await failure(download(`http://outer.example.test:${port}/hop`, options)),
    { code: 'IMAGE_URL_FORBIDDEN' },
    'the redirect target resolves to a private address',
  );
  t.match(
    await failure(download(`http://outer.example.test:${port}/loop`, options)),
    { code: 'INVALID_UPSTREAM_RESPONSE' },
    'too many redirects',
  );
  t.match(
    await failure(download(`http://outer.example.test:${port}/big`, options)),
    { status: 413 },
    'size limit',
  );
  t.equal(hits.filter((path) => path === '/a.png').length, 1, 'the inner host was never contacted');
});

t.test('the input image resolver refuses private URLs and checks bytes before any vendor call', async (t) => {
  const { port, hits } = await imageServer(t, (path) =>
    path === '/text'
      ? { status: 200, headers: { 'content-type': 'image/png' }, body: Buffer.from('not an image') }
      : undefined,
  );
  const dir = t.testdir();
  const make = (guard: UrlGuard) =>
    new InputImageResolver({
      store: new FileImageStore(dir),
      fetch: guard.fetch,
      checkUrl: guard.checkUrl,
      maxBytes: 1024,
      maxPixels: 100,
      downloadTimeoutMs: 2000,
    });
  const strict = make(new UrlGuard());
  t.match(await failure(strict.resolve(`http://127.0.0.1:${port}/a.png`, 'image')), {
    status: 400,
    code: 'IMAGE_URL_FORBIDDEN',
    param: 'image',
  });
  t.match(await failure(strict.resolve(`http://localhost:${port}/a.png`, 'image')), {
    status: 400,
    code: 'IMAGE_URL_FORBIDDEN',
    param: 'image',
  });
  t.equal(hits.length, 0);
  const open = make(new UrlGuard({ allowPrivate: true }));
  const image = await open.resolve(`http://127.0.0.1:${port}/a.png`, 'image');
  t.match(image, { mimeType: 'image/png', width: 8, height: 8 });
  t.match(await failure(open.resolve(`http://127.0.0.1:${port}/text`, 'image')), {
    status: 400,
    code: 'INVALID_IMAGE',
    param: 'image',
  });
  t.match(
    await failure(
      open.resolve(`data:image/png;base64,${Buffer.from(solidPng(20, 20)).toString('base64')}`, 'mask'),
    ),
    { status: 400, code: 'IMAGE_TOO_LARGE', param: 'mask' },
    'pixel limit',
  );
  t.match(
    await failure(open.resolve(`data:image/png;base64,${Buffer.alloc(2048).toString('base64')}`, 'image')),
    { status: 413, param: 'image' },
    'byte limit',
  );
});
