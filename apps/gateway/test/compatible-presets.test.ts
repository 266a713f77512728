import t from 'tap';
import { compatibleModerationTrigger, createCompatibleImageFake } from '@uig/testkit';
import { pngSignature, startGateway } from './helpers.js';

/** xAI, Together and Recraft presets, enabled by their env keys, each generating through its fake (§12). */
t.test('xai, together and recraft generate through their fakes with their own deltas', async (t) => {
  const fakes = {
    // xAI's own cost figure ($0.025 an image here) wins over the listed $0.02.
    xai: await createCompatibleImageFake('xai', { xaiCostTicksPerImage: 250_000_000 }).start(),
    together: await createCompatibleImageFake('together').start(),
    recraft: await createCompatibleImageFake('recraft').start(),
  };
  t.teardown(() => Promise.all(Object.values(fakes).map((fake) => fake.close())));
  const { app } = await startGateway(t, {
    XAI_API_KEY: 'xai-key',
    XAI_BASE_URL: fakes.xai.apiBaseURL,
    TOGETHER_API_KEY: 'together-key',
    TOGETHER_BASE_URL: fakes.together.apiBaseURL,
    RECRAFT_API_KEY: 'recraft-key',
    RECRAFT_BASE_URL: fakes.recraft.apiBaseURL,
  });
  const generate = (model: string, extra: Record<string, unknown> = {}) =>
    app.inject({
      method: 'POST',
      url: '/v1/images',
      payload: { model, prompt: 'a lighthouse', response_format: 'b64_json', ...extra },
    });

  const xai = await generate('xai/grok-imagine-image', { size: '1792x1024' });
  t.equal(xai.statusCode, 200, xai.body);
  t.same(Buffer.from(xai.json().data[0].b64_json, 'base64').subarray(0, 8), pngSignature);
  const xaiBody = fakes.xai.requests.at(-1)!.json as Record<string, unknown>;
  t.notOk('size' in xaiBody, 'xAI rejects size: the adapter sends aspect_ratio');
  t.equal(xaiBody.aspect_ratio, '16:9');
  t.equal(xai.json().usage.estimated_cost_usd, 0.025, 'usage.cost_in_usd_ticks 250,000,000 = $0.025');

  const together = await generate('together/black-forest-labs/FLUX.1-schnell', { size: '768x512', n: 2 });
  t.equal(together.statusCode, 200, together.body);
  t.equal(together.json().data.length, 2);
  t.match(fakes.together.requests.at(-1)!.json, { width: 768, height: 512, response_format: 'base64' });

  const recraft = await generate('recraft/recraftv3');
  t.equal(recraft.statusCode, 200, recraft.body);
  t.match(fakes.recraft.requests.at(-1)!.json, { size: '1024x1024', response_format: 'b64_json' });

  const blocked = await generate('xai/grok-imagine-image', {
    prompt: `a cat ${compatibleModerationTrigger}`,
  });
  t.equal(blocked.statusCode, 400, 'respect_moderation false is a refusal even on HTTP 200');
  t.equal(blocked.json().error.code, 'content_policy_violation');

  const listed = (await app.inject({ method: 'GET', url: '/v1/models' })).json();
  const grok = listed.data.find((entry: { id: string }) => entry.id === 'xai/grok-imagine-image');
  t.equal(grok.cost_per_image_usd, 0.02);
});
