import t from 'tap';
import { startGateway } from './helpers.js';

const keys = { UIG_API_KEYS: 'key-a,key-b' };
const as = (key: string) => ({ authorization: `Bearer ${key}` });

t.test("GET /v1/images lists the caller's images, newest first, in pages", async (t) => {
  const { app } = await startGateway(t, keys);
  const made: string[] = [];
  for (const prompt of ['first', 'second', 'third']) {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/images',
      headers: as('key-a'),
      payload: { prompt, n: 2, size: '256x256' },
    });
    t.equal(response.statusCode, 200);
    made.push(...(response.json().data as Array<{ id: string }>).map((image) => image.id));
  }
  await app.inject({ method: 'POST', url: '/v1/images', headers: as('key-b'), payload: { prompt: 'other' } });

  const first = await app.inject({ method: 'GET', url: '/v1/images?limit=4', headers: as('key-a') });
  t.equal(first.statusCode, 200);
  const page = first.json();
  t.equal(page.object, 'list');
  t.equal(page.has_more, true);
  const newestFirst = [made[4], made[5], made[2], made[3]];
  t.same(
    page.data.map((image: { id: string }) => image.id),
    newestFirst,
    'newest request first, its images in answer order',
  );
  t.match(page.data[0], {
    object: 'image',
    prompt: 'third',
    model: 'local/placeholder',
    width: 256,
    height: 256,
    mime_type: 'image/png',
    url: /\/v1\/images\/[0-9a-f]{32}\/content\?expires=\d+&signature=/,
  });
  const content = await app.inject({
    method: 'GET',
    url: new URL(page.data[0].url).pathname + new URL(page.data[0].url).search,
  });
  t.equal(content.statusCode, 200, 'the signed URL works without the key');

  const second = await app.inject({
    method: 'GET',
    url: `/v1/images?limit=4&before=${page.data[3].id}`,
    headers: as('key-a'),
  });
  t.same(
    second.json().data.map((image: { id: string }) => image.id),
    [made[0], made[1]],
  );
  t.equal(second.json().has_more, false);

  const other = await app.inject({ method: 'GET', url: '/v1/images', headers: as('key-b') });
  t.equal(other.json().data.length, 1, 'another key sees only its own images');
  t.equal(other.json().data[0].prompt, 'other');
});

t.test('GET /v1/images refuses a bad limit or cursor, and needs a key', async (t) => {
  const { app } = await startGateway(t, keys);
  for (const query of ['limit=0', 'limit=101', 'limit=abc', 'before=not-an-id']) {
    const response = await app.inject({ method: 'GET', url: `/v1/images?${query}`, headers: as('key-a') });
    t.equal(response.statusCode, 400, query);
    t.equal(response.json().error.param, query.split('=')[0], `${query}: names the field`);
  }
  const anonymous = await app.inject({ method: 'GET', url: '/v1/images' });
  t.equal(anonymous.statusCode, 401);
});
