import t from 'tap';
import { startRedis } from '../../../packages/core/test/redis-server.js';
import { startGateway } from './helpers.js';
import { scriptedPlugin } from './scripted-provider.js';

/** Two gateway instances with one UIG_REDIS_URL share each client key's limits. */
t.test('with UIG_REDIS_URL, per-key limits hold across gateway instances', async (t) => {
  const redis = await startRedis(t);
  const env = { SCRIPTED_API_KEY: 'v', UIG_REDIS_URL: redis.url };
  const configFile = {
    clients: [{ name: 'design', key: 'sk-d', limits: { rpm: 2 } }],
    providers: { scripted: { apiKey: 'v', limits: { concurrency: 2 } } },
  };
  const a = await startGateway(t, env, { plugins: [scriptedPlugin().plugin], configFile });
  const b = await startGateway(t, env, { plugins: [scriptedPlugin().plugin], configFile });
  const request = {
    method: 'POST' as const,
    url: '/v1/images/generations',
    headers: { authorization: 'Bearer sk-d' },
    payload: { prompt: 'x', response_format: 'b64_json' },
  };
  const first = await a.app.inject(request);
  t.equal(first.statusCode, 200);
  t.equal(first.headers['x-ratelimit-remaining-requests'], '1');
  const second = await b.app.inject(request);
  t.equal(second.statusCode, 200, second.body.slice(0, 200));
  t.equal(second.headers['x-ratelimit-remaining-requests'], '0', "instance b saw instance a's request");
  const third = await a.app.inject(request);
  t.equal(third.statusCode, 429);
  t.ok(Number(third.headers['retry-after']) >= 29);
  const ready = (await b.app.inject({ method: 'GET', url: '/readyz' })).json();
  t.match(ready, { status: 'ready', limiter: { backend: 'redis', connected: true } });
  const models = await b.app.inject({
    method: 'GET',
    url: '/v1/models',
    headers: { authorization: 'Bearer sk-d' },
  });
  t.equal(models.headers['x-ratelimit-remaining-requests'], '0', 'other routes report the shared count');
});
