import t from 'tap';
import OpenAI, { toFile } from 'openai';
import { sniffImage, solidPng } from '@uig/core';
import { startGateway } from './helpers.js';
import { scriptedPlugin, triggers } from './scripted-provider.js';

t.test('the openai client generates and edits through the gateway with a client key', async (t) => {
  const scripted = scriptedPlugin();
  const { url } = await startGateway(
    t,
    { SCRIPTED_API_KEY: 'v', UIG_API_KEYS: 'sk-sdk' },
    { plugins: [scripted.plugin], listen: true },
  );
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'sk-sdk', maxRetries: 0 });

  const generated = await client.images.generate({
    model: 'scripted/painter',
    prompt: 'a lighthouse',
    size: '256x256',
    response_format: 'b64_json',
    n: 2,
  });
  t.equal(generated.data!.length, 2);
  t.match(sniffImage(Buffer.from(generated.data![0]!.b64_json!, 'base64')), {
    mimeType: 'image/png',
    width: 256,
    height: 256,
  });

  const edited = await client.images.edit({
    model: 'scripted/painter',
    image: await toFile(solidPng(32, 32), 'input.png', { type: 'image/png' }),
    mask: await toFile(solidPng(32, 32, [0, 0, 0, 0]), 'mask.png', { type: 'image/png' }),
    prompt: 'add a hat',
    size: '512x512',
    n: 1,
    response_format: 'url',
  });
  t.equal(edited.data!.length, 1);
  const call = scripted.calls.at(-1)!;
  t.equal(call.prompt, 'add a hat');
  t.equal(call.images.length, 1);
  t.ok(call.mask, 'the mask arrived');
  const fetched = await fetch(edited.data![0]!.url!);
  t.equal(fetched.status, 200, 'the signed URL works without the key');
  t.match(sniffImage(Buffer.from(await fetched.arrayBuffer())), { width: 512, height: 512 });

  const several = await client.images.edit({
    model: 'scripted/painter',
    image: [
      await toFile(solidPng(32, 32), 'a.png', { type: 'image/png' }),
      await toFile(solidPng(16, 16), 'b.png', { type: 'image/png' }),
    ],
    prompt: 'merge them',
    response_format: 'b64_json',
  });
  t.equal(several.data!.length, 1);
  t.equal(scripted.calls.at(-1)!.images.length, 2, 'image[] from the SDK');

  const unauthorized = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'sk-wrong', maxRetries: 0 });
  const denied = await unauthorized.images.generate({ prompt: 'x' }).catch((error: unknown) => error);
  t.ok(denied instanceof OpenAI.AuthenticationError);
  t.equal((denied as InstanceType<typeof OpenAI.APIError>).code, 'invalid_api_key');

  const refused = await client.images.generate({ prompt: triggers.refuse }).catch((error: unknown) => error);
  t.ok(refused instanceof OpenAI.BadRequestError);
  t.equal((refused as InstanceType<typeof OpenAI.APIError>).code, 'content_policy_violation');

  const badEdit = await client.images
    .edit({ image: await toFile(Buffer.from('not an image'), 'x.png'), prompt: 'x' })
    .catch((error: unknown) => error);
  t.ok(badEdit instanceof OpenAI.BadRequestError);
  t.equal((badEdit as InstanceType<typeof OpenAI.APIError>).param, 'image');
});
