import t from 'tap';
import OpenAI, { toFile } from 'openai';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { decodePng, encodePng, realSleep, sniffImage } from '@uig/core';
import { createOpenAIFake, parseMultipart } from '@uig/testkit';
import { multipartBody, startGateway } from './helpers.js';

/**
 * POST /v1/images/variations through the real openai SDK's `images.createVariation`: the
 * offline `local` models vary the image themselves, an OpenAI-type dall-e-2 goes to the
 * vendor's /images/variations, and any other model is a 400 naming `model` and the models
 * that can.
 */
type APIError = InstanceType<typeof OpenAI.APIError>;

/** Left half red, right half blue. */
function halves(size: number): Buffer {
  const pixels = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      pixels.set(x < size / 2 ? [220, 30, 30] : [20, 40, 200], (y * size + x) * 3);
  return Buffer.from(encodePng({ width: size, height: size, channels: 3, pixels }));
}

const upload = (data: Buffer, name = 'input.png') => toFile(data, name, { type: 'image/png' });

/** The mean absolute difference per sample of two PNGs of the same size. */
function difference(left: Buffer, right: Buffer): number {
  const a = decodePng(left, { maxPixels: 1 << 22 }).pixels;
  const b = decodePng(right, { maxPixels: 1 << 22 }).pixels;
  let total = 0;
  for (let index = 0; index < a.length; index++) total += Math.abs(a[index]! - b[index]!);
  return total / a.length;
}

t.test('the openai SDK makes variations with the local models', async (t) => {
  const { url, runtime } = await startGateway(t, { UIG_API_KEYS: 'sk-v' }, { listen: true });
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'sk-v', maxRetries: 0 });
  const input = halves(128);

  const varied = await client.images.createVariation({
    image: await upload(input),
    model: 'local/placeholder',
    n: 2,
    size: '256x256',
    user: 'user-1',
  });
  t.equal(varied.data!.length, 2);
  const [first, second] = varied.data!.map((image) => Buffer.from(image.b64_json!, 'base64'));
  t.notOk(varied.data![0]!.url, 'b64_json by default (not a dall-e name), as the other OpenAI routes');
  t.match(sniffImage(first!), { mimeType: 'image/png', width: 256, height: 256 });
  t.ok(difference(first!, second!) > 5, 'two variations differ');
  t.match(varied, { size: '256x256', output_format: 'png' });

  // Deterministic: the same image gives the same first variation; no size keeps the input's.
  const again = await client.images.createVariation({ image: await upload(input), model: 'placeholder' });
  const kept = Buffer.from(again.data![0]!.b64_json!, 'base64');
  t.match(sniffImage(kept), { width: 128, height: 128 });
  t.ok(difference(kept, input) > 20, 'not a copy of the input');
  const repeat = await client.images.createVariation({ image: await upload(input), model: 'placeholder' });
  t.equal(repeat.data![0]!.b64_json, again.data![0]!.b64_json, 'the same image, the same variation');

  // No model: OpenAI's default is the one model it has that varies; here the default (local) can.
  const asUrl = await client.images.createVariation({ image: await upload(input), response_format: 'url' });
  const fetched = await fetch(asUrl.data![0]!.url!);
  t.equal(fetched.status, 200, 'the signed URL serves the image without the key');
  t.match(sniffImage(Buffer.from(await fetched.arrayBuffer())), { mimeType: 'image/png', width: 128 });

  // Ledger, gallery and metrics count variations as they count edits.
  await runtime.ledger.close();
  const lines = readFileSync(join(runtime.config.dataDir, 'usage.jsonl'), 'utf8').trim().split('\n');
  const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  t.equal(records.length, 4);
  t.match(records[0], { kind: 'variation', model: 'placeholder', provider: 'local', images: 2 });
  t.notOk('prompt' in records[0]!, 'a variation has no prompt to record');
  const gallery = (await (
    await fetch(`${url}/v1/images?limit=10`, { headers: { authorization: 'Bearer sk-v' } })
  ).json()) as { data: unknown[] };
  t.equal(gallery.data.length, 5, 'every variation is stored and listed');
  const metrics = await (await fetch(`${url}/metrics`)).text();
  t.match(
    metrics,
    /uig_http_requests_total\{route="\/v1\/images\/variations",method="POST",status="200",provider="local",model="local\/placeholder"\} 4/,
  );
});

t.test('a model that cannot vary images is a 400 naming model and the models that can', async (t) => {
  const fake = await createOpenAIFake().start();
  t.teardown(() => fake.close());
  const { url } = await startGateway(
    t,
    { OPENAI_API_KEY: 'sk-up', OPENAI_BASE_URL: fake.apiBaseURL },
    { listen: true },
  );
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
  const error = (await client.images
    .createVariation({ image: await upload(halves(64)), model: 'openai/gpt-image-1' })
    .catch((caught: unknown) => caught)) as APIError;
  t.ok(error instanceof OpenAI.BadRequestError);
  t.equal(error.param, 'model');
  t.equal(error.code, 'variation_not_supported');
  t.match(error.message, /local\/placeholder, local\/placeholder-blocks/);
  t.notMatch(error.message, /openai\/dall-e-2/, 'a retired model is not offered');
  t.equal(fake.requests.length, 0, 'no vendor call');

  const retired = (await client.images
    .createVariation({ image: await upload(halves(64)), model: 'openai/dall-e-2' })
    .catch((caught: unknown) => caught)) as APIError;
  t.equal(retired.status, 400);
  t.equal(retired.code, 'model_retired', 'OpenAI shut dall-e-2 down: refused before any call');
});

t.test('an OpenAI-type dall-e-2 sends the variation to the vendor', async (t) => {
  const fake = await createOpenAIFake({ retiredModels: [] }).start();
  t.teardown(() => fake.close());
  const { url } = await startGateway(
    t,
    { OPENAI_API_KEY: 'sk-up', OPENAI_BASE_URL: fake.apiBaseURL },
    {
      listen: true,
      // An OpenAI-compatible server that still serves DALL·E 2 (declared models carry no retirement).
      configFile: {
        providers: { openai: { options: { models: [{ id: 'dall-e-2' }, { id: 'gpt-image-1' }] } } },
      },
    },
  );
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
  const input = halves(64);
  const varied = await client.images.createVariation({
    image: await upload(input),
    model: 'dall-e-2',
    n: 2,
    size: '256x256',
    user: 'end-user-7',
  });
  t.equal(varied.data!.length, 2);
  t.match(
    varied.data![0]!.url,
    new RegExp(`^${url}/v1/images/[0-9a-f]{32}/content\\?`),
    'dall-e names default to url',
  );
  const calls = fake.requests.filter((request) => request.path.endsWith('/images/variations'));
  t.equal(calls.length, 1, 'one call to /images/variations');
  const parts = parseMultipart(calls[0]!.body, String(calls[0]!.headers['content-type']))!;
  const fields = Object.fromEntries(
    parts.filter((part) => part.name !== 'image').map((part) => [part.name, part.data.toString()]),
  );
  t.same(fields, {
    model: 'dall-e-2',
    n: '2',
    size: '256x256',
    response_format: 'b64_json',
    user: 'end-user-7',
  });
  t.ok(parts.find((part) => part.name === 'image')!.data.equals(input), 'the image as uploaded');

  // dall-e-2 takes one square PNG (docs/providers/openai.md §2.5): refused before any call.
  const oblong = encodePng({ width: 64, height: 32, channels: 3, pixels: new Uint8Array(64 * 32 * 3) });
  const refused = (await client.images
    .createVariation({ image: await upload(Buffer.from(oblong)), model: 'dall-e-2' })
    .catch((caught: unknown) => caught)) as APIError;
  t.equal(refused.status, 400);
  t.equal(refused.param, 'image');
  t.equal(
    calls.length,
    fake.requests.filter((request) => request.path.endsWith('/images/variations')).length,
  );

  const listed = await client.models.retrieve('openai/dall-e-2');
  t.match(listed, { capabilities: { variation: true } });
});

t.test('bad variation requests are 400s naming the field', async (t) => {
  const { app } = await startGateway(t, {}, { runtime: { jobPollMs: 20 } });
  const post = (parts: Parameters<typeof multipartBody>[0]) => {
    const body = multipartBody(parts);
    return app.inject({
      method: 'POST',
      url: '/v1/images/variations',
      payload: body.payload,
      headers: body.headers,
    });
  };
  const image = { name: 'image', filename: 'a.png', data: halves(32), type: 'image/png' };

  const notImage = await post([{ name: 'image', filename: 'a.png', data: Buffer.from('not a picture') }]);
  t.equal(notImage.statusCode, 400);
  t.match(notImage.json().error, { code: 'invalid_image', param: 'image' });

  const missing = await post([{ name: 'model', value: 'local/placeholder' }]);
  t.match(missing.json().error, { code: 'missing_parameter', param: 'image' });

  const prompt = await post([image, { name: 'prompt', value: 'a cat' }]);
  t.equal(prompt.statusCode, 400);
  t.match(prompt.json().error, { code: 'unknown_parameter', param: 'prompt' });

  const twice = await post([image, image]);
  t.match(twice.json().error, { param: 'image' });
  t.equal(twice.statusCode, 400);

  const mask = await post([image, { name: 'mask', filename: 'm.png', data: halves(32), type: 'image/png' }]);
  t.match(mask.json().error, { code: 'unknown_parameter', param: 'mask' });

  const badN = await post([image, { name: 'n', value: '11' }]);
  t.match(badN.json().error, { param: 'n' });

  const json = await app.inject({ method: 'POST', url: '/v1/images/variations', payload: { image: 'x' } });
  t.equal(json.statusCode, 400);
  t.match(json.json().error, { code: 'invalid_content_type' });

  // Prefer: respond-async works here as on the other image routes.
  const body = multipartBody([image, { name: 'size', value: '64x64' }]);
  const accepted = await app.inject({
    method: 'POST',
    url: '/v1/images/variations',
    payload: body.payload,
    headers: { ...body.headers, prefer: 'respond-async' },
  });
  t.equal(accepted.statusCode, 202);
  let job = accepted.json();
  for (let tries = 0; tries < 200 && job.status !== 'succeeded'; tries++) {
    await realSleep(20);
    job = (await app.inject({ method: 'GET', url: accepted.headers.location as string })).json();
  }
  t.equal(job.status, 'succeeded');
  t.match(sniffImage(Buffer.from(job.result.data[0].b64_json, 'base64')), { width: 64, height: 64 });
});

t.test('variations obey the input limits and the key limits as edits do', async (t) => {
  const { app, runtime } = await startGateway(
    t,
    {},
    {
      configFile: {
        limits: { maxInputImageBytes: 4096, maxInputPixels: 64 * 64 },
        clients: [{ name: 'daily', key: 'sk-day', limits: { imagesPerDay: 3 } }],
      },
    },
  );
  const post = (data: Buffer, fields: Array<{ name: string; value: string }> = []) => {
    const body = multipartBody([{ name: 'image', filename: 'a.png', data, type: 'image/png' }, ...fields]);
    return app.inject({
      method: 'POST',
      url: '/v1/images/variations',
      payload: body.payload,
      headers: { ...body.headers, authorization: 'Bearer sk-day' },
    });
  };
  // Random pixels do not compress: about 12 KB of PNG.
  const noise = Buffer.from(
    encodePng({ width: 64, height: 64, channels: 3, pixels: randomBytes(64 * 64 * 3) }),
  );
  t.ok(noise.length > 4096, 'a file over maxInputImageBytes');
  t.equal((await post(noise)).statusCode, 413);
  const tooManyPixels = await post(halves(80));
  t.equal(tooManyPixels.statusCode, 400);
  t.match(tooManyPixels.json().error, { code: 'image_too_large', param: 'image' });

  t.equal((await post(halves(32), [{ name: 'n', value: '2' }])).statusCode, 200);
  const over = await post(halves(32), [{ name: 'n', value: '2' }]);
  t.equal(over.statusCode, 429, 'images per day count variations');
  t.equal((await post(halves(32))).statusCode, 200, 'the last image of the day');
  t.equal(runtime.ledger.recentImages('daily', { limit: 10 }).images.length, 3);
});
