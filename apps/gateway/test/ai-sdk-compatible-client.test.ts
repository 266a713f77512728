import t from 'tap';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateImage } from 'ai';
import { sniffImage, solidPng } from '@uig/core';
import { startGateway } from './helpers.js';
import { scriptedPlugin } from './scripted-provider.js';

/**
 * `@ai-sdk/openai-compatible` with `baseURL: http://localhost:<port>/v1`. It fetches a
 * returned image URL only from the origin it called (any other, such as 127.0.0.1, is
 * refused as a private address), so image URLs must be on the Host the client called.
 */
t.test('openai-compatible: n above the per-call maximum, providerOptions, URLs on localhost', async (t) => {
  const scripted = scriptedPlugin();
  const { url } = await startGateway(
    t,
    { SCRIPTED_API_KEY: 'v' },
    { listen: true, plugins: [scripted.plugin] },
  );
  const port = new URL(url).port;
  const uig = createOpenAICompatible({
    name: 'uig',
    baseURL: `http://localhost:${port}/v1`,
    apiKey: 'unused',
  });

  // scripted/painter makes 2 images per vendor call: the gateway splits n = 3.
  const generated = await generateImage({
    model: uig.imageModel('scripted/painter'),
    prompt: 'a lighthouse',
    n: 3,
    size: '256x256',
  });
  t.equal(generated.images.length, 3);
  t.equal(scripted.calls.length, 2, 'two vendor calls');
  t.match(sniffImage(Buffer.from(generated.image.uint8Array)), { mimeType: 'image/png', width: 256 });

  // An edit as URLs (providerOptions go into the body as they are): the SDK downloads them.
  const edited = await generateImage({
    model: uig.imageModel('scripted/painter'),
    prompt: { text: 'add a hat', images: [solidPng(32, 32, [9, 9, 9, 255])] },
    size: '512x512',
    providerOptions: { uig: { response_format: 'url' } },
  });
  t.match(sniffImage(Buffer.from(edited.image.uint8Array)), { mimeType: 'image/png', width: 512 });
});

t.test('image URLs use the Host only when it names this server', async (t) => {
  const { app, url } = await startGateway(
    t,
    {},
    { listen: true, configFile: { server: { publicHosts: ['uig'] } } },
  );
  const port = new URL(url).port;
  const ask = async (host: string) =>
    (
      await app.inject({
        method: 'POST',
        url: '/v1/images/generations',
        headers: { host },
        payload: { prompt: 'x', size: '256x256', response_format: 'url' },
      })
    ).json().data[0].url as string;
  t.match(await ask(`localhost:${port}`), new RegExp(`^http://localhost:${port}/v1/images/`));
  t.match(await ask('localhost:9999'), /^http:\/\/localhost:9999\//, 'a port forward');
  t.match(await ask(`uig:${port}`), new RegExp(`^http://uig:${port}/`), 'a name in server.publicHosts');
  t.match(await ask('evil.example:80'), new RegExp(`^${url}/`), 'any other Host gets the listen address');
});

t.test('UIG_PUBLIC_URL wins over the Host', async (t) => {
  const { app } = await startGateway(t, { UIG_PUBLIC_URL: 'https://images.example.com' });
  const response = await app.inject({
    method: 'POST',
    url: '/v1/images/generations',
    headers: { host: 'localhost:8080' },
    payload: { prompt: 'x', size: '256x256', response_format: 'url' },
  });
  t.match(response.json().data[0].url, /^https:\/\/images\.example\.com\/v1\/images\//);
});
