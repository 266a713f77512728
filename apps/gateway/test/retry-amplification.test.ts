import t from 'tap';
import OpenAI from 'openai';
import { createOpenAIFake } from '@uig/testkit';
import { startGateway } from './helpers.js';

/**
 * The gateway retries a failing vendor itself; the openai SDK (default maxRetries 2)
 * must not retry that answer again, or one call costs 3 x 3 vendor calls. The SDK
 * honours `x-should-retry: false`.
 */
t.test('a persistent vendor 500 costs the gateway retries only, not 3 x 3 vendor calls', async (t) => {
  const fake = await createOpenAIFake().start();
  t.teardown(() => fake.close());
  fake.failWith('server_error', { times: Infinity });
  const { url } = await startGateway(
    t,
    { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.apiBaseURL },
    { listen: true, configFile: { retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 } } },
  );
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused' });
  const error = await client.images
    .generate({ model: 'gpt-image-1', prompt: 'a fox' })
    .catch((caught: unknown) => caught);
  t.ok(error instanceof OpenAI.InternalServerError, 'the 502 reaches the caller');
  t.equal((error as InstanceType<typeof OpenAI.APIError>).headers?.get('x-should-retry'), 'false');
  t.equal(fake.requests.length, 3, 'one call and the two gateway retries: the SDK did not retry');
});

t.test('a vendor 429 after retries says x-should-retry: false too', async (t) => {
  const fake = await createOpenAIFake().start();
  t.teardown(() => fake.close());
  fake.failWith('rate_limit_exceeded', { times: Infinity });
  const { app } = await startGateway(
    t,
    { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.apiBaseURL },
    { configFile: { retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 } } },
  );
  const response = await app.inject({
    method: 'POST',
    url: '/v1/images/generations',
    payload: { model: 'gpt-image-1', prompt: 'a fox' },
  });
  t.equal(response.statusCode, 429);
  t.equal(response.headers['x-should-retry'], 'false');
  t.ok(response.headers['retry-after']);
});

t.test("this gateway's own 429 keeps Retry-After and says nothing about retrying", async (t) => {
  const { app } = await startGateway(
    t,
    {},
    { configFile: { clients: [{ name: 'a', key: 'sk-a', limits: { rpm: 1 } }] } },
  );
  const ask = () =>
    app.inject({
      method: 'POST',
      url: '/v1/images/generations',
      headers: { authorization: 'Bearer sk-a' },
      payload: { prompt: 'a fox', size: '256x256' },
    });
  t.equal((await ask()).statusCode, 200);
  const refused = await ask();
  t.equal(refused.statusCode, 429);
  t.ok(refused.headers['retry-after']);
  t.equal(refused.headers['x-should-retry'], undefined);
});
