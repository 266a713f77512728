import t, { type Test } from 'tap';
import { solidPng, sniffImage } from '@uig/core';
import { bflTriggers, createBflFake, type BflFake } from '@uig/testkit';
import { startGateway } from './helpers.js';

async function withBfl(t: Test) {
  const fake: BflFake = await createBflFake().start();
  t.teardown(() => fake.close());
  const gateway = await startGateway(t, { BFL_API_KEY: 'bfl_test', BFL_BASE_URL: fake.apiBaseURL });
  return { fake, ...gateway };
}

t.test('BFL through the gateway: generate, vendor cost in usage, and a Kontext edit', async (t) => {
  const { app, fake } = await withBfl(t);
  const generated = await app.inject({
    method: 'POST',
    url: '/v1/images',
    payload: { model: 'bfl/flux-2-pro', prompt: 'a lighthouse', size: '1024x1024', seed: 3 },
  });
  t.equal(generated.statusCode, 200, generated.body);
  const body = generated.json();
  t.equal(body.provider, 'bfl');
  t.equal(body.data.length, 1);
  t.equal(body.usage.estimated_cost_usd, 0.0308, 'the cost BFL reported');
  const path = new URL(body.data[0].url);
  const image = await app.inject({ method: 'GET', url: `${path.pathname}${path.search}` });
  t.ok(sniffImage(image.rawPayload));
  t.equal(fake.deliveryRequestsWithKey, 0);

  const source = solidPng(64, 64, [10, 200, 10, 255]).toString('base64');
  const edited = await app.inject({
    method: 'POST',
    url: '/v1/images',
    payload: {
      model: 'bfl/flux-kontext-pro',
      prompt: 'make it night',
      image: `data:image/png;base64,${source}`,
    },
  });
  t.equal(edited.statusCode, 200, edited.body);
  t.type((fake.lastTask!.body as Record<string, unknown>).input_image, 'string');
});

t.test('BFL refusals and quota reach the client with the statuses of docs/api.md', async (t) => {
  const { app } = await withBfl(t);
  const ask = (prompt: string) =>
    app.inject({ method: 'POST', url: '/v1/images', payload: { model: 'bfl/flux-2-pro', prompt } });
  const refused = await ask(`x ${bflTriggers.contentModerated}`);
  t.equal(refused.statusCode, 400);
  t.match(refused.json(), { error: { code: 'content_policy_violation', vendor_code: 'Content Moderated' } });
  const broke = await ask(`x ${bflTriggers.http(402)}`);
  t.equal(broke.statusCode, 429);
  t.match(broke.json(), { error: { code: 'insufficient_quota' } });
});
