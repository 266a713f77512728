import t from 'tap';
import OpenAI from 'openai';
import { sniffImage } from '@uig/core';
import { startGateway } from './helpers.js';

t.test('the official openai client works unchanged but for baseURL', async (t) => {
  const { url } = await startGateway(t, {}, { listen: true });
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'not-checked-when-open', maxRetries: 0 });

  const b64 = await client.images.generate({
    prompt: 'a lighthouse',
    size: '1024x1024',
    response_format: 'b64_json',
  });
  const png = Buffer.from(b64.data![0]!.b64_json!, 'base64');
  t.match(sniffImage(png), { mimeType: 'image/png', width: 1024, height: 1024 });

  const viaUrl = await client.images.generate({ prompt: 'a lighthouse', n: 2, response_format: 'url' });
  t.equal(viaUrl.data!.length, 2);
  const fetched = await fetch(viaUrl.data![0]!.url!);
  t.equal(fetched.status, 200);
  t.equal(fetched.headers.get('content-type'), 'image/png');

  const error = await client.images
    .generate({ prompt: 'x', model: 'no-such-model' })
    .catch((caught: unknown) => caught);
  t.ok(error instanceof OpenAI.NotFoundError, "a 404 becomes the SDK's NotFoundError");
  t.equal((error as InstanceType<typeof OpenAI.APIError>).code, 'model_not_found');
});
