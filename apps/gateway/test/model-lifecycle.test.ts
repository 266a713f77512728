import t from 'tap';
import { createGeminiFake, createOpenAIFake } from '@uig/testkit';
import { startGateway } from './helpers.js';

/**
 * Lifecycle and price in GET /v1/models, and retired models refused by core with no
 * vendor call (docs/providers/openai.md §15, docs/providers/gemini.md §15).
 */
t.test('GET /v1/models shows lifecycle and price; a retired model is a 400 model_retired', async (t) => {
  const openai = await createOpenAIFake().start();
  const gemini = await createGeminiFake().start();
  t.teardown(() => Promise.all([openai.close(), gemini.close()]));
  const { app } = await startGateway(t, {
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: openai.apiBaseURL,
    GEMINI_API_KEY: 'gm-test',
    GEMINI_BASE_URL: gemini.apiBaseURL,
  });
  const listed = (await app.inject({ method: 'GET', url: '/v1/models' })).json();
  const byId = Object.fromEntries(
    listed.data.map((entry: { id: string }) => [entry.id, entry] as const),
  ) as Record<string, Record<string, any>>;
  t.same(byId['openai/dall-e-3']!.lifecycle, {
    status: 'retired',
    shutdown_date: '2026-05-12',
    replacement: 'gpt-image-2',
  });
  t.same(byId['openai/gpt-image-1.5']!.lifecycle, {
    status: 'deprecated',
    shutdown_date: '2026-12-01',
    replacement: 'gpt-image-2',
  });
  t.same(byId['openai/gpt-image-2']!.lifecycle, { status: 'active' });
  t.equal(
    byId['openai/gpt-image-2']!.cost_per_image_usd,
    0.053,
    'medium 1024x1024 from the dated list price',
  );
  t.match(byId['openai/gpt-image-2']!.price, {
    read_on: '2026-04-21',
    source: /gpt-image-2/,
    per_million_tokens: { image_output: 30 },
  });
  t.equal(byId['gemini/gemini-3.1-flash-image']!.cost_per_image_usd, 0.067);
  t.notOk(byId['openai/chatgpt-image-latest']!.price, 'unknown price: absent, not guessed');
  t.notOk('cost_per_image_usd' in byId['openai/chatgpt-image-latest']!);

  for (const [model, replacement] of [
    ['dall-e-3', 'openai/gpt-image-2'],
    ['imagen-4.0-generate-001', 'gemini/gemini-3.1-flash-image'],
  ] as const) {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/images/generations',
      payload: { model, prompt: 'a lighthouse' },
    });
    t.equal(response.statusCode, 400, model);
    const error = response.json().error;
    t.equal(error.code, 'model_retired', model);
    t.equal(error.param, 'model');
    t.ok(error.message.includes(replacement), `${model} names ${replacement}`);
  }
  t.equal(openai.requests.length + gemini.requests.length, 0, 'no vendor was called');
});
