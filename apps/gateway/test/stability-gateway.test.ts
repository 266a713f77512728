import t, { type Test } from 'tap';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { solidPng, sniffImage } from '@uig/core';
import { createStabilityFake, stabilityTriggers, type StabilityFake } from '@uig/testkit';
import { multipartBody, startGateway } from './helpers.js';

async function withStability(t: Test) {
  const fake: StabilityFake = await createStabilityFake().start();
  t.teardown(() => fake.close());
  const gateway = await startGateway(t, {
    STABILITY_API_KEY: 'sk-test',
    STABILITY_BASE_URL: fake.apiBaseURL,
  });
  return { fake, ...gateway };
}

t.test(
  'Stability through the gateway: generate by aspect ratio, list price, and an inpaint edit',
  async (t) => {
    const { app, fake } = await withStability(t);
    const generated = await app.inject({
      method: 'POST',
      url: '/v1/images',
      payload: {
        model: 'stability/core',
        prompt: 'a red fox',
        aspect_ratio: '16:9',
        negative_prompt: 'blur',
      },
    });
    t.equal(generated.statusCode, 200, generated.body);
    const body = generated.json();
    t.equal(body.provider, 'stability');
    t.equal(body.usage.estimated_cost_usd, 0.03, 'core: 3 credits');
    t.match(fake.generations[0]!.fields, { aspect_ratio: '16:9', negative_prompt: 'blur' });
    const path = new URL(body.data[0].url);
    const image = await app.inject({ method: 'GET', url: `${path.pathname}${path.search}` });
    t.ok(sniffImage(image.rawPayload));

    const png = solidPng(64, 64, [10, 200, 10, 255]);
    const form = multipartBody([
      { name: 'model', value: 'stability/inpaint' },
      { name: 'prompt', value: 'a blue door' },
      { name: 'image', filename: 'image.png', data: png, type: 'image/png' },
      { name: 'mask', filename: 'mask.png', data: png, type: 'image/png' },
    ]);
    const edited = await app.inject({ method: 'POST', url: '/v1/images/edits', ...form });
    t.equal(edited.statusCode, 200, edited.body);
    t.equal(fake.generations[1]!.endpoint, 'inpaint');
  },
);

t.test('a CONTENT_FILTERED answer reaches the client as a refusal, not an image', async (t) => {
  const { app, runtime } = await withStability(t);
  const response = await app.inject({
    method: 'POST',
    url: '/v1/images/generations',
    payload: { model: 'stability/ultra', prompt: `x ${stabilityTriggers.contentFiltered}` },
  });
  t.equal(response.statusCode, 400);
  t.match(response.json(), { error: { code: 'content_policy_violation', vendor_code: 'CONTENT_FILTERED' } });
  const images = join(runtime.config.dataDir, 'images');
  t.equal(
    existsSync(images) ? readdirSync(images, { recursive: true }).length : 0,
    0,
    'the blurred image was not stored',
  );
});
