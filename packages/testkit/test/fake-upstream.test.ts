import t, { type Test } from 'tap';
import { FakeUpstream, tinyPng, noisePng } from '@uig/testkit';
import { sniffImage } from '@uig/core';

async function started(t: Test) {
  const fake = new FakeUpstream();
  fake.route('POST', '/v1/models/:model*', ({ params, request }) => ({
    json: { model: params.model, got: request.json },
  }));
  await fake.start();
  t.teardown(() => fake.close());
  return fake;
}

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

t.test('routes capture params across colons and record the request', async (t) => {
  const fake = await started(t);
  const response = await post(`${fake.url}/v1/models/gemini-2.5:generateContent`, { a: 1 });
  t.same(await response.json(), { model: 'gemini-2.5:generateContent', got: { a: 1 } });
  t.equal(fake.requests.length, 1);
  t.same(fake.requests[0]!.json, { a: 1 });
});

t.test('a status fault applies N times after M calls, then clears', async (t) => {
  const fake = await started(t);
  fake.inject({ fault: { kind: 'status', status: 429, body: { error: 'slow down' } }, times: 2, after: 1 });
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await post(`${fake.url}/v1/models/x`, {})).status);
  t.same(statuses, [200, 429, 429, 200]);
});

t.test('reset and malformed JSON faults', async (t) => {
  const fake = await started(t);
  fake.inject({ fault: { kind: 'reset' } });
  await t.rejects(post(`${fake.url}/v1/models/x`, {}));
  fake.inject({ fault: { kind: 'malformed-json' } });
  const response = await post(`${fake.url}/v1/models/x`, {});
  await t.rejects(response.json());
});

t.test('served files come back byte for byte', async (t) => {
  const fake = await started(t);
  const png = tinyPng();
  const url = fake.serveFile(png);
  const response = await fetch(url);
  t.equal(response.headers.get('content-type'), 'image/png');
  t.same(Buffer.from(await response.arrayBuffer()), png);
});

t.test('noisePng is about the size asked for', async (t) => {
  const png = noisePng(1_100_000);
  t.ok(png.length > 1_000_000 && png.length < 1_300_000, `size ${png.length}`);
  t.equal(sniffImage(png)?.mimeType, 'image/png');
});

t.test('a client that goes away before the answer is counted as abandoned', async (t) => {
  const fake = await started(t);
  await post(`${fake.url}/v1/models/x`, {});
  t.equal(fake.abandoned, 0, 'an answered request is not abandoned');
  fake.inject({ fault: { kind: 'hang' } });
  const controller = new AbortController();
  const aborted = fetch(`${fake.url}/v1/models/y`, {
    method: 'POST',
    body: '{}',
    signal: controller.signal,
  }).catch((error: Error) => error.name);
  setTimeout(() => controller.abort(), 50);
  t.equal(await aborted, 'AbortError');
  for (let i = 0; i < 50 && fake.abandoned === 0; i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  t.equal(fake.abandoned, 1);
});
