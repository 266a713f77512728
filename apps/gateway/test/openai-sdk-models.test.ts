import t from 'tap';
import OpenAI from 'openai';
import { createOpenAIFake } from '@uig/testkit';
import { startGateway } from './helpers.js';

/**
 * `client.models.retrieve('openai/gpt-image-1')` (the SDK sends `openai%2Fgpt-image-1`)
 * and `retrieve('gpt-image-1')` find the model; `/v1/models` and `/v1/models/{id}` show
 * a key only the models it may use.
 */
t.test('models.retrieve and models.list through the openai SDK, per key', async (t) => {
  const fake = await createOpenAIFake().start();
  t.teardown(() => fake.close());
  const { url } = await startGateway(
    t,
    { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.apiBaseURL },
    {
      listen: true,
      configFile: {
        clients: [
          { name: 'all', key: 'sk-all' },
          { name: 'local-only', key: 'sk-local', models: ['local/*'] },
        ],
      },
    },
  );
  const all = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'sk-all', maxRetries: 0 });
  t.match(await all.models.retrieve('openai/gpt-image-1'), { id: 'openai/gpt-image-1', owned_by: 'openai' });
  t.match(await all.models.retrieve('gpt-image-1'), { id: 'openai/gpt-image-1' }, 'a bare id resolves');
  const missing = await all.models.retrieve('no-such-model').catch((caught: unknown) => caught);
  t.ok(missing instanceof OpenAI.NotFoundError);

  const local = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'sk-local', maxRetries: 0 });
  const listed = [];
  for await (const model of local.models.list()) listed.push(model.id);
  t.ok(listed.length > 0);
  t.ok(
    listed.every((id) => id.startsWith('local/')),
    'a local/* key sees local models only',
  );
  const hidden = await local.models.retrieve('openai/gpt-image-1').catch((caught: unknown) => caught);
  t.ok(hidden instanceof OpenAI.NotFoundError, "another key's model is a 404 for it");
  t.match(await local.models.retrieve('local/placeholder'), { id: 'local/placeholder' });
});
