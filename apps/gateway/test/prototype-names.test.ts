import t from 'tap';
import type { InjectOptions } from 'fastify';
import { startGateway } from './helpers.js';

/**
 * Names that exist on every JavaScript object (`constructor`, `toString`, `__proto__`,
 * ...) are ordinary unknown names wherever a client gives a name: a 4xx in the
 * envelope, never a 500 from a lookup that found Object.prototype's machinery.
 */
const names = Object.getOwnPropertyNames(Object.prototype);

t.test('every Object.prototype name is an unknown name, on every route that looks one up', async (t) => {
  t.ok(names.includes('constructor') && names.includes('__proto__') && names.length >= 10);
  const { app } = await startGateway(
    t,
    {
      UIG_API_KEYS: 'sk-real',
    },
    {
      configFile: {
        models: {
          aliases: { fast: 'local/local-sketch' },
          fallbacks: { 'local/local-sketch': ['local/local-sketch'] },
        },
      },
    },
  );
  const auth = { authorization: 'Bearer sk-real' };
  const seen: string[] = [];
  const expect = async (label: string, request: InjectOptions, status: number | number[], code?: string) => {
    const response = await app.inject(request);
    const statuses = Array.isArray(status) ? status : [status];
    const body = response.json();
    t.ok(
      statuses.includes(response.statusCode),
      `${label}: ${response.statusCode} ${response.body.slice(0, 200)}`,
    );
    t.ok(body.error ? typeof body.error.code === 'string' && body.request_id : true, `${label}: envelope`);
    if (code) t.equal(body.error?.code, code, `${label}: code`);
    seen.push(label);
    return body;
  };
  const post = (url: string, payload: unknown) => ({
    method: 'POST' as const,
    url,
    headers: auth,
    payload: payload as object,
  });
  for (const name of names) {
    await expect(
      `generations model=${name}`,
      post('/v1/images/generations', { prompt: 'x', model: name }),
      404,
      'model_not_found',
    );
    await expect(
      `native model=${name}`,
      post('/v1/images', { prompt: 'x', model: name }),
      404,
      'model_not_found',
    );
    await expect(
      `native model=local/${name}`,
      post('/v1/images', { prompt: 'x', model: `local/${name}` }),
      404,
      'model_not_found',
    );
    await expect(
      `native model=${name}/x`,
      post('/v1/images', { prompt: 'x', model: `${name}/x` }),
      404,
      'model_not_found',
    );
    const fallback = await expect(
      `fallback_models=[${name}]`,
      post('/v1/images', { prompt: 'x', fallback_models: [name], response_format: 'b64_json' }),
      200,
    );
    t.equal(fallback.data?.length, 1, `fallback ${name}: the primary answered`);
    // A key named like Object.prototype's members: JSON.parse makes `__proto__` an own key,
    // which Fastify's parser refuses (400); every other name is an unknown provider.
    await expect(
      `provider_options.${name}`,
      post('/v1/images', { prompt: 'x', ...JSON.parse(`{"provider_options":{"${name}":{}}}`) }),
      400,
    );
    await expect(
      `provider_options.local.${name}`,
      post('/v1/images', { prompt: 'x', ...JSON.parse(`{"provider_options":{"local":{"${name}":1}}}`) }),
      400,
    );
    await expect(
      `GET /v1/models/${name}`,
      { method: 'GET', url: `/v1/models/${encodeURIComponent(name)}`, headers: auth },
      404,
    );
    await expect(
      `client key ${name}`,
      { method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${name}` } },
      401,
      'invalid_api_key',
    );
    await expect(
      `image id ${name}`,
      { method: 'GET', url: `/v1/images/${encodeURIComponent(name)}/content`, headers: auth },
      404,
    );
  }
  t.equal(seen.length, names.length * 10);
});
