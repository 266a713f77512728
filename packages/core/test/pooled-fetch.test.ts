import t, { type Test } from 'tap';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPooledFetch, nodeBodyOf, readResponseBody } from '@uig/core';

async function server(
  t: Test,
  handler: (request: IncomingMessage, body: string, response: ServerResponse) => void,
) {
  const http = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    handler(request, Buffer.concat(chunks).toString('utf8'), response);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => http.close(() => resolve())));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

function pooled(t: Test) {
  const transport = createPooledFetch();
  t.teardown(() => transport.close());
  return transport.fetch;
}

t.test(
  'sends method, headers and body; answers status, headers and a body readable either way',
  async (t) => {
    const url = await server(t, (request, body, response) => {
      response.setHeader('x-request-id', 'req_1');
      response.setHeader('set-cookie', ['a=1', 'b=2']);
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ method: request.method, key: request.headers.authorization, body }));
    });
    const fetch = pooled(t);
    const headers = new Headers({ authorization: 'Bearer k' });
    const first = await fetch(`${url}/x`, { method: 'post', headers, body: '{"a":1}' });
    t.equal(first.status, 201);
    t.equal(first.headers.get('x-request-id'), 'req_1');
    t.ok(nodeBodyOf(first), 'the Node stream is there for readResponseBody');
    t.same(JSON.parse((await readResponseBody(first)).toString('utf8')), {
      method: 'POST',
      key: 'Bearer k',
      body: '{"a":1}',
    });
    // What the openai SDK does: response.json() through the web stream.
    const second = await fetch(new URL(`${url}/y`), {
      method: 'POST',
      headers: { authorization: 'Bearer j' },
      body: Buffer.from('x'),
    });
    t.same(await second.json(), { method: 'POST', key: 'Bearer j', body: 'x' });
  },
);

t.test('redirects are followed unless the caller handles them', async (t) => {
  const url = await server(t, (request, _body, response) => {
    if (request.url === '/moved') response.writeHead(302, { location: '/here' }).end();
    else response.end('here');
  });
  const fetch = pooled(t);
  t.equal(await (await fetch(`${url}/moved`)).text(), 'here');
  const manual = await fetch(`${url}/moved`, { redirect: 'manual' });
  t.equal(manual.status, 302);
  t.equal(manual.headers.get('location'), '/here');
});

t.test('fails as the built-in fetch fails: the abort reason, or a TypeError', async (t) => {
  const url = await server(t, () => undefined); // never answers
  const fetch = pooled(t);
  const controller = new AbortController();
  const pending = fetch(url, { signal: controller.signal });
  controller.abort(new DOMException('too slow', 'TimeoutError'));
  await t.rejects(pending, { name: 'TimeoutError' });
  await t.rejects(fetch('http://127.0.0.1:1/'), TypeError);
});

t.test('a body cut short is a TypeError "terminated"', async (t) => {
  const url = await server(t, (_request, _body, response) => {
    response.writeHead(200, { 'content-length': '100' });
    response.write('only part');
    setImmediate(() => response.destroy());
  });
  const answer = await pooled(t)(url);
  await t.rejects(readResponseBody(answer), { name: 'TypeError', message: 'terminated' });
});

t.test('closing twice is one close', async (t) => {
  const transport = createPooledFetch();
  await transport.close();
  await t.resolves(transport.close());
});
