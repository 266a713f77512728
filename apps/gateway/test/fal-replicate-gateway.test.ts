import t from 'tap';
import { sniffImage } from '@uig/core';
import { createFalFake, createReplicateFake, falTriggers, replicateTriggers } from '@uig/testkit';
import { startGateway } from './helpers.js';

t.test('fal and Replicate generate through the gateway; slashed model ids resolve', async (t) => {
  const fal = await createFalFake().start();
  const replicate = await createReplicateFake({ pollsUntilDone: 1 }).start();
  t.teardown(() => Promise.all([fal.close(), replicate.close()]));
  const { app } = await startGateway(t, {
    FAL_KEY: 'fal-test',
    FAL_BASE_URL: fal.url,
    REPLICATE_API_TOKEN: 'r8_test',
    REPLICATE_BASE_URL: replicate.apiBaseURL,
  });
  const generate = (payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/v1/images', payload: { response_format: 'b64_json', ...payload } });

  const viaFal = await generate({
    prompt: 'a lighthouse',
    model: 'fal/fal-ai/flux/dev',
    n: 2,
    size: '1024x768',
  });
  t.equal(viaFal.statusCode, 200, viaFal.body);
  t.match(viaFal.json(), { model: 'fal/fal-ai/flux/dev', provider: 'fal' });
  t.equal(viaFal.json().data.length, 2);
  t.ok(sniffImage(Buffer.from(viaFal.json().data[0].b64_json, 'base64')));
  // docs/providers/fal.md §16: $0.025 per MP rounded up; 1024x768 bills 1 MP per image.
  t.equal(viaFal.json().usage.estimated_cost_usd, 0.05);
  t.equal(fal.requests.find((request) => request.method === 'POST')!.headers.authorization, 'Key fal-test');

  const viaReplicate = await generate({
    prompt: 'a lighthouse',
    model: 'replicate/black-forest-labs/flux-schnell',
    aspect_ratio: '16:9',
  });
  t.equal(viaReplicate.statusCode, 200, viaReplicate.body);
  t.match(viaReplicate.json(), { model: 'replicate/black-forest-labs/flux-schnell', provider: 'replicate' });
  const bare = await generate({ prompt: 'a lighthouse', model: 'black-forest-labs/flux-dev' });
  t.equal(bare.json().model, 'replicate/black-forest-labs/flux-dev', 'a bare id with a slash resolves');

  const refused = await generate({ prompt: `x ${falTriggers.nsfwAll}`, model: 'fal/fal-ai/flux/schnell' });
  t.equal(refused.statusCode, 400);
  t.match(refused.json(), { error: { code: 'content_policy_violation' } });
  const flagged = await generate({
    prompt: `x ${replicateTriggers.sensitive}`,
    model: 'replicate/black-forest-labs/flux-schnell',
  });
  t.equal(flagged.statusCode, 400);
  t.match(flagged.json(), { error: { code: 'content_policy_violation', vendor_code: 'E005' } });
  const credit = await generate({
    prompt: replicateTriggers.problem('insufficientCredit'),
    model: 'replicate/black-forest-labs/flux-schnell',
  });
  t.equal(credit.statusCode, 429);
  t.match(credit.json(), { error: { code: 'insufficient_quota' } });
});

t.test('GET /v1/models/{id} takes ids with slashes, raw or %2F-encoded', async (t) => {
  const fal = await createFalFake().start();
  t.teardown(() => fal.close());
  const { app } = await startGateway(t, {
    FAL_KEY: 'fal-test',
    FAL_BASE_URL: fal.url,
    REPLICATE_API_TOKEN: 'r8_test',
  });
  const list = (await app.inject({ method: 'GET', url: '/v1/models' })).json();
  const ids: string[] = list.data.map((model: { id: string }) => model.id);
  t.ok(ids.includes('fal/fal-ai/flux/dev'));
  t.ok(ids.includes('replicate/black-forest-labs/flux-schnell'));
  for (const url of [
    '/v1/models/fal/fal-ai/flux/dev',
    '/v1/models/fal%2Ffal-ai%2Fflux%2Fdev',
    '/v1/models/fal-ai/flux/dev',
  ]) {
    const response = await app.inject({ method: 'GET', url });
    t.equal(response.statusCode, 200, url);
    t.match(response.json(), {
      id: 'fal/fal-ai/flux/dev',
      owned_by: 'fal',
      capabilities: { generate: true, promptLanguage: 'en' },
    });
  }
  const replicate = await app.inject({
    method: 'GET',
    url: '/v1/models/replicate/black-forest-labs/flux-schnell',
  });
  t.match(replicate.json(), { id: 'replicate/black-forest-labs/flux-schnell', owned_by: 'replicate' });
  const missing = await app.inject({ method: 'GET', url: '/v1/models/fal/fal-ai/nothing' });
  t.equal(missing.statusCode, 404);
  t.match(missing.json(), { error: { code: 'model_not_found' } });
});

t.test("a client key's model globs match slashed ids (`fal/fal-ai/flux/*`)", async (t) => {
  const fal = await createFalFake().start();
  const replicate = await createReplicateFake().start();
  t.teardown(() => Promise.all([fal.close(), replicate.close()]));
  const { app } = await startGateway(
    t,
    {
      FAL_KEY: 'fal-test',
      FAL_BASE_URL: fal.url,
      REPLICATE_API_TOKEN: 'r8_test',
      REPLICATE_BASE_URL: replicate.apiBaseURL,
    },
    { configFile: { clients: [{ name: 'flux-only', key: 'sk-flux', models: ['fal/fal-ai/flux/*'] }] } },
  );
  const generate = (model: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/images',
      headers: { authorization: 'Bearer sk-flux' },
      payload: { prompt: 'a lighthouse', model },
    });
  t.equal((await generate('fal/fal-ai/flux/schnell')).statusCode, 200);
  const other = await generate('fal/fal-ai/flux-2-pro');
  t.equal(other.statusCode, 403);
  t.match(other.json(), { error: { code: 'model_not_allowed' } });
  t.equal((await generate('replicate/black-forest-labs/flux-schnell')).statusCode, 403);
  t.equal(replicate.requests.length, 0, 'no vendor call for a refused model');
});
