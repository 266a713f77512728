import t, { type Test } from 'tap';
import OpenAI from 'openai';
import { sniffImage } from '@uig/core';
import { createCogviewFake, cogviewTriggers, type CogviewFake } from '@uig/testkit';
import { pngSignature, startGateway } from './helpers.js';

async function withCogview(t: Test, options: { listen?: boolean } = {}) {
  const fake: CogviewFake = await createCogviewFake().start();
  t.teardown(() => fake.close());
  const gateway = await startGateway(
    t,
    { ZHIPU_API_KEY: 'test-key', ZHIPU_BASE_URL: fake.apiBaseURL },
    options,
  );
  return { fake, ...gateway };
}

const generations = (fake: CogviewFake) => fake.callsTo('/images/generations').length;

t.test('with ZHIPU_API_KEY, CogView is the default and its URL result comes back as a PNG', async (t) => {
  const { app, fake, runtime } = await withCogview(t);
  t.equal(runtime.registry.defaultName(), 'cogview/cogview-4-250304');
  for (const format of ['url', 'b64_json'] as const) {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/images/generations',
      payload: { prompt: 'a cat', size: '1024x1024', response_format: format },
    });
    t.equal(response.statusCode, 200, format);
    const item = response.json().data[0];
    if (format === 'b64_json') t.same(Buffer.from(item.b64_json, 'base64').subarray(0, 8), pngSignature);
    else {
      const path = new URL(item.url);
      const image = await app.inject({ method: 'GET', url: `${path.pathname}${path.search}` });
      t.equal(image.headers['content-type'], 'image/png');
      t.ok(sniffImage(image.rawPayload));
    }
  }
  const sent = fake.callsTo('/images/generations')[0]!;
  t.equal(sent.headers.authorization, 'Bearer test-key');
  t.match(sent.json, { model: 'cogview-4-250304', prompt: 'a cat', size: '1024x1024' });
});

t.test('a 1302 is retried: two upstream calls, then success', async (t) => {
  const { app, fake, sleeps } = await withCogview(t);
  fake.failWith('1302', { times: 1 });
  const response = await app.inject({
    method: 'POST',
    url: '/v1/images/generations',
    payload: { prompt: 'a cat' },
  });
  t.equal(response.statusCode, 200);
  t.equal(generations(fake), 2);
  t.equal(sleeps.length, 1, 'one backoff wait, through the injected clock');
});

t.test('a 1113 (balance) makes exactly one call and answers 429 insufficient_quota', async (t) => {
  const { app, fake } = await withCogview(t);
  fake.failWith('1113', { times: 1 });
  const response = await app.inject({
    method: 'POST',
    url: '/v1/images/generations',
    payload: { prompt: 'a cat' },
  });
  t.equal(response.statusCode, 429);
  t.match(response.json(), {
    error: {
      code: 'insufficient_quota',
      type: 'insufficient_quota',
      provider: 'cogview',
      vendor_code: '1113',
    },
  });
  t.equal(generations(fake), 1);
});

t.test('vendor errors reach the client with the statuses of docs/api.md', async (t) => {
  const { app, fake } = await withCogview(t);
  const ask = (prompt: string) =>
    app.inject({ method: 'POST', url: '/v1/images/generations', payload: { prompt } });

  const refused = await ask(`draw ${cogviewTriggers.unsafePrompt}`);
  t.equal(refused.statusCode, 400);
  t.match(refused.json(), { error: { code: 'content_policy_violation', vendor_code: '1301' } });

  fake.failWith('1302', { times: 3 });
  const limited = await ask('a cat');
  t.equal(limited.statusCode, 429, 'still limited after the retries ran out');
  t.match(limited.json(), { error: { code: 'rate_limit_exceeded' } });

  fake.failWith('500', { times: 3 });
  t.equal((await ask('a cat')).statusCode, 502);

  fake.failWith('1002', { times: 1 });
  const auth = await ask('a cat');
  t.equal(auth.statusCode, 502, "the vendor refusing our key is our problem, not the client's");
  t.match(auth.json(), { error: { code: 'upstream_authentication' } });
});

t.test('sizes CogView cannot make are refused before any call', async (t) => {
  const { app, fake } = await withCogview(t);
  const response = await app.inject({
    method: 'POST',
    url: '/v1/images/generations',
    payload: { prompt: 'a cat', size: '1000x1000' },
  });
  t.equal(response.statusCode, 400);
  t.match(response.json(), { error: { param: 'size' } });
  t.equal(generations(fake), 0);
});

t.test('the openai client gets CogView images through the gateway', async (t) => {
  const { url } = await withCogview(t, { listen: true });
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
  const result = await client.images.generate({
    prompt: 'a cat',
    model: 'cogview-3-flash',
    response_format: 'b64_json',
  });
  t.match(sniffImage(Buffer.from(result.data![0]!.b64_json!, 'base64')), { mimeType: 'image/png' });
});

t.test(
  'safety_identifier reaches CogView as user_id (6-128 characters), not sent when CogView would refuse it',
  async (t) => {
    const { url, fake } = await withCogview(t, { listen: true });
    // The openai SDK's image types have no safety_identifier (the AI SDK sends it): plain HTTP, as curl would.
    const generate = async (safetyIdentifier: string) => {
      const response = await fetch(`${url}/v1/images/generations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'cogview/cogview-4-250304',
          prompt: 'a cat',
          safety_identifier: safetyIdentifier,
        }),
      });
      t.equal(response.status, 200);
      return (await response.json()) as { warnings?: Array<{ type: string; feature: string }> };
    };
    const sent = () => fake.callsTo('/images/generations').at(-1)!.json as Record<string, unknown>;
    await generate('user-hash-1234');
    t.equal(sent().user_id, 'user-hash-1234');

    // Too short for CogView's user_id: not sent, and the answer says so (never a silent drop).
    const short = await generate('abc');
    t.notOk('user_id' in sent());
    t.match(short.warnings, [{ type: 'unsupported', feature: 'safety_identifier' }]);
  },
);
