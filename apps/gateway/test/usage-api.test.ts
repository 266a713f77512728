import t, { type Test } from 'tap';
import { createOpenAIFake, type OpenAIFake } from '@uig/testkit';
import { postgresUrl } from '../../../packages/core/test/postgres-server.js';
import { startGateway } from './helpers.js';

t.setTimeout(240_000);

const as = (key: string) => ({ authorization: `Bearer ${key}` });
const configFile = {
  clients: [
    { name: 'design', key: 'key-design', limits: { budgetUsdPerDay: 0.2 } },
    { name: 'web', key: 'key-web' },
  ],
};
// gpt-image-1 at high quality, 1024x1024: $0.167 per image at the list price, reserved before the call.
const image = { model: 'openai/gpt-image-1', prompt: 'a lighthouse', size: '1024x1024', quality: 'high' };

async function gateway(t: Test, fake: OpenAIFake, databaseUrl?: string) {
  return startGateway(
    t,
    {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.apiBaseURL,
      UIG_ADMIN_KEY: 'admin-secret-0123456789',
      ...(databaseUrl ? { UIG_DATABASE_URL: databaseUrl } : {}),
    },
    { configFile, embeddedDatabase: databaseUrl === undefined },
  );
}

for (const backend of ['pglite', 'postgres'] as const) {
  t.test(
    `${backend}: budgets refuse before the vendor call; /v1/usage per key and for the admin`,
    async (t) => {
      const fake = await createOpenAIFake().start();
      t.teardown(() => fake.close());
      const { app } = await gateway(t, fake, backend === 'postgres' ? await postgresUrl(t) : undefined);
      const calls = () => fake.callsTo('/images/generations').length;

      const first = await app.inject({
        method: 'POST',
        url: '/v1/images',
        headers: as('key-design'),
        payload: image,
      });
      t.equal(first.statusCode, 200, first.body);
      const cost = first.json().usage.estimated_cost_usd as number;
      // The fake's tokens (docs/providers/openai.md §2.6): 3 text in at $5/M, 4160 image out at $40/M.
      t.equal(cost, 0.166415, 'priced from the vendor tokens');
      t.equal(calls(), 1);
      // $0.17 spent of $0.20: another $0.167 would pass the day's budget.
      const refused = await app.inject({
        method: 'POST',
        url: '/v1/images',
        headers: as('key-design'),
        payload: image,
      });
      t.equal(refused.statusCode, 429);
      t.match(refused.json().error, { code: 'budget_exceeded', type: 'insufficient_quota' });
      const retryAfter = Number(refused.headers['retry-after']);
      t.ok(
        retryAfter > 0 && retryAfter <= 86_400,
        `Retry-After runs to the next UTC midnight (${retryAfter} s)`,
      );
      t.equal(calls(), 1, 'nothing was sent to the vendor');
      const web = await app.inject({
        method: 'POST',
        url: '/v1/images',
        headers: as('key-web'),
        payload: { ...image, n: 2 },
      });
      t.equal(web.statusCode, 200, 'a key without a budget is not limited');

      const own = await app.inject({
        method: 'GET',
        url: '/v1/usage?group_by=model',
        headers: as('key-design'),
      });
      t.equal(own.statusCode, 200, own.body);
      t.match(own.json(), {
        object: 'usage',
        group_by: 'model',
        client: 'design',
        data: [{ client: 'design', model: 'openai/gpt-image-1', images: 1, cost_usd: cost }],
        total: { images: 1, cost_usd: cost },
      });
      t.equal(own.json().data.length, 1, 'only its own usage');
      const other = await app.inject({
        method: 'GET',
        url: '/v1/usage?client=web',
        headers: as('key-design'),
      });
      t.equal(other.statusCode, 403);
      t.equal(other.json().error.param, 'client');

      const all = await app.inject({
        method: 'GET',
        url: '/v1/usage?group_by=provider',
        headers: as('admin-secret-0123456789'),
      });
      t.same(
        all
          .json()
          .data.map((row: { client: string; provider: string; images: number }) => [
            row.client,
            row.provider,
            row.images,
          ]),
        [
          ['design', 'openai', 1],
          ['web', 'openai', 2],
        ],
      );
      const one = await app.inject({
        method: 'GET',
        url: '/v1/usage?client=web',
        headers: as('admin-secret-0123456789'),
      });
      t.same(
        one.json().data.map((row: { client: string }) => row.client),
        ['web'],
      );
      t.match(one.json().data[0], { day: /^\d{4}-\d{2}-\d{2}$/, images: 2 });

      const csv = await app.inject({
        method: 'GET',
        url: '/v1/usage?format=csv&group_by=model',
        headers: as('admin-secret-0123456789'),
      });
      t.match(csv.headers['content-type'], /^text\/csv/);
      const lines = csv.body.trim().split('\n');
      t.equal(lines[0], 'client,model,requests,failed_requests,images,cost_usd,input_tokens,output_tokens');
      t.match(lines[1], /^design,openai\/gpt-image-1,\d+,\d+,1,0\.166415,3,4160$/);
      t.match(lines[2], /^web,openai\/gpt-image-1,\d+,\d+,2,0\.332815,3,8320$/);
      t.equal(lines.length, 3);

      for (const [query, param] of [
        ['group_by=week', 'group_by'],
        ['from=yesterday', 'from'],
        ['from=2026-11-02&to=2026-11-01', 'to'],
        ['format=xml', 'format'],
        ['limit=3', 'limit'],
      ] as const) {
        const bad = await app.inject({ method: 'GET', url: `/v1/usage?${query}`, headers: as('key-design') });
        t.equal(bad.statusCode, 400, query);
        t.equal(bad.json().error.param, param, query);
      }
      t.equal((await app.inject({ method: 'GET', url: '/v1/usage' })).statusCode, 401, 'no key');
      t.equal((await app.inject({ method: 'GET', url: '/v1/usage', headers: as('nope') })).statusCode, 401);
    },
  );
}

t.test('postgres: two gateway instances on one database show one usage total and one budget', async (t) => {
  const fake = await createOpenAIFake().start();
  t.teardown(() => fake.close());
  const url = await postgresUrl(t);
  const one = await gateway(t, fake, url);
  const two = await gateway(t, fake, url);
  const first = await one.app.inject({
    method: 'POST',
    url: '/v1/images',
    headers: as('key-design'),
    payload: image,
  });
  t.equal(first.statusCode, 200);
  // No flush: the usage row is written before the answer is sent.
  // The other instance sees the spend: the budget is the database's, not the process's.
  const refused = await two.app.inject({
    method: 'POST',
    url: '/v1/images',
    headers: as('key-design'),
    payload: image,
  });
  t.equal(refused.statusCode, 429);
  t.equal(refused.json().error.code, 'budget_exceeded');
  t.equal(fake.callsTo('/images/generations').length, 1);
  const web = await two.app.inject({
    method: 'POST',
    url: '/v1/images',
    headers: as('key-web'),
    payload: image,
  });
  t.equal(web.statusCode, 200);
  for (const instance of [one, two]) {
    const usage = await instance.app.inject({
      method: 'GET',
      url: '/v1/usage',
      headers: as('admin-secret-0123456789'),
    });
    t.same(
      usage.json().data.map((row: { client: string; images: number }) => [row.client, row.images]),
      [
        ['design', 1],
        ['web', 1],
      ],
      'both instances report the same rows',
    );
  }
});
