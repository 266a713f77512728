import t from 'tap';
import OpenAI from 'openai';
import { startGateway } from './helpers.js';
import { scriptedPlugin, triggers } from './scripted-provider.js';

/**
 * n > the model's images per call splits the request into vendor calls; when some of
 * them fail, a stream must not end with a silent short count: the openai SDK delivers
 * the completed images, then raises the `error` event that names the failed part.
 */
t.test('a streamed request whose split calls partly fail ends with an error event', async (t) => {
  const scripted = scriptedPlugin();
  const { url } = await startGateway(
    t,
    { SCRIPTED_API_KEY: 'v' },
    { listen: true, plugins: [scripted.plugin], configFile: { retry: { retries: 0 } } },
  );
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
  // Two images per call: n = 4 is two calls, and the second one fails.
  const stream = await client.images.generate({ prompt: triggers.laterCallsDown, n: 4, stream: true });
  const delivered: string[] = [];
  const error = await (async () => {
    for await (const event of stream) delivered.push(event.type);
  })().catch((caught: unknown) => caught);
  t.same(
    delivered,
    ['image_generation.completed', 'image_generation.completed'],
    'the images that succeeded arrived first',
  );
  t.ok(error instanceof OpenAI.APIError, 'then the SDK raised the failure');
  t.equal((error as InstanceType<typeof OpenAI.APIError>).code, 'partial_failure');
  t.match((error as Error).message, /1 of 2 upstream calls failed/);
  t.equal(scripted.calls.length, 2);
});
