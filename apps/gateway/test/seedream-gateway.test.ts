import t, { type Test } from 'tap';
import { solidPng, sniffImage } from '@uig/core';
import { createSeedreamFake, seedreamTriggers, type SeedreamFake } from '@uig/testkit';
import { startGateway } from './helpers.js';

async function withSeedream(t: Test) {
  const fake: SeedreamFake = await createSeedreamFake().start();
  t.teardown(() => fake.close());
  const gateway = await startGateway(t, { ARK_API_KEY: 'ark-test', ARK_BASE_URL: fake.apiBaseURL });
  return { fake, ...gateway };
}

t.test(
  'Seedream through the gateway: generate, image to image with two references, an image set',
  async (t) => {
    const { app, fake } = await withSeedream(t);
    const generated = await app.inject({
      method: 'POST',
      url: '/v1/images',
      payload: { model: 'seedream/seedream-4-0-250828', prompt: 'a tea house', size: '2048x2048' },
    });
    t.equal(generated.statusCode, 200, generated.body);
    const body = generated.json();
    t.equal(body.provider, 'seedream');
    const path = new URL(body.data[0].url);
    const image = await app.inject({ method: 'GET', url: `${path.pathname}${path.search}` });
    t.ok(sniffImage(image.rawPayload));
    t.equal(fake.calls[0]!.body.watermark, false);

    const reference = `data:image/png;base64,${solidPng(64, 64, [10, 200, 10, 255]).toString('base64')}`;
    const edited = await app.inject({
      method: 'POST',
      url: '/v1/images',
      payload: { model: 'seedream/seedream-4-0-250828', prompt: 'merge them', image: [reference, reference] },
    });
    t.equal(edited.statusCode, 200, edited.body);
    t.equal((fake.calls[1]!.body.image as string[]).length, 2);

    const set = await app.inject({
      method: 'POST',
      url: '/v1/images',
      payload: {
        model: 'seedream/seedream-4-0-250828',
        prompt: `four seasons ${seedreamTriggers.lastImageBlocked}`,
        provider_options: { seedream: { sequential_image_generation: 'auto', max_images: 3 } },
      },
    });
    t.equal(set.statusCode, 200, set.body);
    t.equal(set.json().data.length, 2);
    t.match(set.json().warnings, [{ type: 'partial_failure' }]);
  },
);

t.test('a Seedream refusal reaches the client as content_policy_violation', async (t) => {
  const { app } = await withSeedream(t);
  const response = await app.inject({
    method: 'POST',
    url: '/v1/images/generations',
    payload: {
      model: 'seedream/seedream-4-0-250828',
      prompt: seedreamTriggers.error('InputTextSensitiveContentDetected'),
    },
  });
  t.equal(response.statusCode, 400);
  t.match(response.json(), {
    error: { code: 'content_policy_violation', vendor_code: 'InputTextSensitiveContentDetected' },
  });
});
