import t from 'tap';
import { sniffImage } from '@uig/core';
import { stabilityTriggers } from '@uig/testkit';
import { callFor, pngInput, setup } from './helpers.js';

t.test('core: a multipart form, the image bytes, the seed header', async (t) => {
  const { fake, provider } = await setup(t, { options: { clientId: 'uig-test' } });
  const result = await provider.generate(
    callFor({ seed: 42, negativePrompt: 'blur', providerOptions: { style_preset: 'photographic' } }),
  );
  const sent = fake.requests[0]!;
  t.equal(sent.path, '/v2beta/stable-image/generate/core');
  t.equal(sent.headers.authorization, 'Bearer sk-test');
  t.equal(sent.headers.accept, 'image/*');
  t.equal(sent.headers['stability-client-id'], 'uig-test');
  t.match(String(sent.headers['content-type']), /^multipart\/form-data; boundary=/);
  t.same(fake.generations[0]!.fields, {
    prompt: 'a red fox in snow',
    negative_prompt: 'blur',
    seed: '42',
    aspect_ratio: '1:1',
    style_preset: 'photographic',
  });
  const image = result.images[0]!;
  t.equal(image.kind, 'bytes');
  if (image.kind === 'bytes') {
    t.equal(image.mimeType, 'image/png');
    t.ok(sniffImage(image.data));
  }
  t.same(result.metadata, { seed: 42 });
  t.type(result.vendorRequestId, 'string');
});

t.test('sd3: the model and mode fields; jpeg output', async (t) => {
  const { fake, provider } = await setup(t);
  const result = await provider.generate(
    callFor({ model: 'sd3.5-large-turbo', providerOptions: { cfg_scale: 2, output_format: 'jpeg' } }),
  );
  t.match(fake.generations[0]!.fields, { model: 'sd3.5-large-turbo', mode: 'text-to-image', cfg_scale: '2' });
  t.match(result.images[0], { kind: 'bytes', mimeType: 'image/jpeg' });
  t.equal(fake.generations[0]!.credits, 4);
});

t.test('image to image: strength required; an unset strength is sent as 0.5 with a warning', async (t) => {
  const { fake, provider } = await setup(t);
  const call = callFor({ model: 'sd3.5-medium', aspectRatio: '16:9', images: [pngInput()] });
  const warnings = provider.check!(call, 'edit');
  t.match(warnings, [
    { type: 'adjusted', feature: 'provider_options.stability.strength' },
    { type: 'unsupported', feature: 'aspect_ratio' },
  ]);
  await provider.edit!(call);
  const fields = fake.generations[0]!.fields;
  t.match(fields, { mode: 'image-to-image', strength: '0.5', model: 'sd3.5-medium' });
  t.notOk('aspect_ratio' in fields);
  await provider.edit!(callFor({ model: 'ultra', images: [pngInput()], providerOptions: { strength: 0.8 } }));
  t.equal(fake.generations[1]!.fields.strength, '0.8');
  t.equal(fake.generations[1]!.endpoint, 'ultra');
});

t.test(
  'inpaint: image and mask as files, grow_mask; options other endpoints lack are warned about',
  async (t) => {
    const { fake, provider } = await setup(t);
    const call = callFor({
      model: 'inpaint',
      aspectRatio: undefined,
      images: [pngInput()],
      mask: pngInput(),
      providerOptions: { grow_mask: 10, cfg_scale: 3 },
    });
    t.match(provider.check!(call, 'edit'), [
      { type: 'unsupported', feature: 'provider_options.stability.cfg_scale' },
    ]);
    await provider.edit!(call);
    t.equal(fake.generations[0]!.endpoint, 'inpaint');
    t.match(fake.generations[0]!.fields, { grow_mask: '10' });
    t.notOk('cfg_scale' in fake.generations[0]!.fields);
    t.throws(() => provider.check!({ ...call, images: [pngInput(32, 32)] }, 'edit'), {
      code: 'INVALID_REQUEST',
      param: 'image',
    });
  },
);

t.test('JSON answers (accept: application/json) are read too, CONTENT_FILTERED included', async (t) => {
  const { fake } = await setup(t);
  const jsonFetch: typeof fetch = (input, init) =>
    globalThis.fetch(input, {
      ...init,
      headers: { ...(init?.headers as Record<string, string>), accept: 'application/json' },
    });
  const { createStabilityProvider } = await import('../src/index.js');
  const viaJson = createStabilityProvider({
    id: 'stability',
    baseURL: fake.apiBaseURL,
    fetch: jsonFetch,
    options: {},
  });
  const result = await viaJson.generate(callFor({ seed: 9 }));
  t.match(result.images[0], { kind: 'bytes', mimeType: 'image/png' });
  t.same(result.metadata, { seed: 9 });
  await t.rejects(viaJson.generate(callFor({ prompt: `x ${stabilityTriggers.contentFiltered}` })), {
    code: 'CONTENT_POLICY_VIOLATION',
    vendorCode: 'CONTENT_FILTERED',
  });
});
