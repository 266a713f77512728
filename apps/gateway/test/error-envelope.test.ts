import t from 'tap';
import { startGateway } from './helpers.js';

const post = (url: string, payload: unknown) => ({
  method: 'POST' as const,
  url,
  payload: payload as object,
});

t.test('bad input is a 400 in the OpenAI envelope naming the field', async (t) => {
  const { app } = await startGateway(t);
  const cases: Array<[string, unknown, string, string | null]> = [
    ['/v1/images/generations', { prompt: 'x', colour: 'red' }, 'unknown_parameter', 'colour'],
    ['/v1/images/generations', {}, 'missing_parameter', 'prompt'],
    ['/v1/images/generations', { prompt: 'x', n: 0 }, 'invalid_parameter', 'n'],
    ['/v1/images/generations', { prompt: 'x', size: 'big' }, 'invalid_parameter', 'size'],
    ['/v1/images/generations', { prompt: 'x', size: '99999x3' }, 'invalid_size', 'size'],
    [
      '/v1/images',
      { prompt: 'x', provider_options: { local: { nonsense: 1 } } },
      'unknown_parameter',
      'provider_options.local.nonsense',
    ],
    [
      '/v1/images',
      { prompt: 'x', provider_options: { nosuch: {} } },
      'unknown_provider_options',
      'provider_options.nosuch',
    ],
    ['/v1/images', { prompt: 'x', image: 'ftp://example/a.png' }, 'invalid_image_url', 'image'],
    ['/v1/images', { prompt: 'x', image: 'data:image/png;base64,aGVsbG8=' }, 'invalid_image', 'image'],
    ['/v1/images', { prompt: 'x', mask: 'data:image/png;base64,aGVsbG8=' }, 'missing_parameter', 'mask'],
  ];
  for (const [url, payload, code, param] of cases) {
    const response = await app.inject(post(url, payload));
    t.equal(response.statusCode, 400, `${url} ${JSON.stringify(payload)}`);
    const body = response.json();
    t.match(body, { error: { type: 'invalid_request_error', code, param }, request_id: String });
    t.type(body.error.message, 'string');
  }
});

t.test('null means "not given" for optional fields, as the openai SDK sends', async (t) => {
  const { app } = await startGateway(t);
  const response = await app.inject(
    post('/v1/images/generations', {
      prompt: 'x',
      n: null,
      size: null,
      quality: null,
      response_format: null,
      user: null,
    }),
  );
  t.equal(response.statusCode, 200);
});

t.test('unknown models and images are 404s; unknown routes too', async (t) => {
  const { app } = await startGateway(t);
  const model = await app.inject(post('/v1/images/generations', { prompt: 'x', model: 'nosuch-model' }));
  t.equal(model.statusCode, 404);
  t.match(model.json(), { error: { code: 'model_not_found', param: 'model' } });
  const provider = await app.inject(
    post('/v1/images/generations', { prompt: 'x', model: 'openai/gpt-image-1' }),
  );
  t.equal(provider.statusCode, 404, 'a provider with no key configured is not there');
  const image = await app.inject({ method: 'GET', url: `/v1/images/${'a'.repeat(32)}/content` });
  t.equal(image.statusCode, 404);
  t.match(image.json(), { error: { code: 'image_not_found' } });
  t.equal((await app.inject({ method: 'GET', url: '/v2/nothing' })).statusCode, 404);
});

t.test('a body that is not JSON, or too large, is refused cleanly', async (t) => {
  const { app } = await startGateway(t);
  const broken = await app.inject({
    method: 'POST',
    url: '/v1/images/generations',
    headers: { 'content-type': 'application/json' },
    payload: '{"prompt": ',
  });
  t.equal(broken.statusCode, 400);
  t.match(broken.json(), { error: { code: 'invalid_json' } });
  const array = await app.inject({
    method: 'POST',
    url: '/v1/images/generations',
    payload: [1, 2] as unknown as object,
  });
  t.equal(array.statusCode, 400);
  const huge = await app.inject({
    method: 'POST',
    url: '/v1/images',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ prompt: 'x'.repeat(51 * 1024 * 1024) }),
  });
  t.equal(huge.statusCode, 413);
  t.match(huge.json(), { error: { code: 'payload_too_large' } });
});
