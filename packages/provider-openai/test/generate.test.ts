import t from 'tap';
import { sniffImage } from '@uig/core';
import { tinyPng } from '@uig/testkit';
import { call, providerFor, startFake } from './helpers.js';

t.test('a GPT-image generation: body shape, headers, b64 result, usage and request id', async (t) => {
  const fake = await startFake(t);
  const provider = providerFor(fake, { organization: 'org-123', project: 'proj-9' });
  const result = await provider.generate(
    call({
      n: 2,
      size: { width: 1536, height: 1024 },
      quality: 'high',
      providerOptions: {
        background: 'transparent',
        output_format: 'webp',
        output_compression: 80,
        moderation: 'low',
        user: 'end-user-7',
      },
    }),
  );
  const request = fake.requests[0]!;
  t.equal(request.path, '/v1/images/generations');
  t.same(request.json, {
    model: 'gpt-image-1',
    prompt: 'a red fox in the snow',
    n: 2,
    size: '1536x1024',
    quality: 'high',
    user: 'end-user-7',
    background: 'transparent',
    output_format: 'webp',
    output_compression: 80,
    moderation: 'low',
  });
  t.notOk('response_format' in (request.json as object), 'never response_format for GPT image');
  t.equal(request.headers.authorization, 'Bearer sk-test-key');
  t.equal(request.headers['openai-organization'], 'org-123');
  t.equal(request.headers['openai-project'], 'proj-9');
  t.equal(request.headers['x-client-request-id'], 'req-uig-1');

  t.equal(result.images.length, 2);
  const image = result.images[0]!;
  t.equal(image.kind, 'base64');
  if (image.kind === 'base64') {
    t.same(Buffer.from(image.data, 'base64'), tinyPng());
    t.equal(image.mimeType, 'image/webp');
  }
  t.equal(result.usage?.outputTokens, 2 * 6208);
  t.equal(result.usage?.totalTokens, (result.usage?.inputTokens ?? 0) + 2 * 6208);
  t.same(
    result.usage?.inputTokensDetails,
    { textTokens: result.usage?.inputTokens, imageTokens: 0 },
    "the vendor's input split passes through",
  );
  t.same(result.usage?.outputTokensDetails, { textTokens: 0, imageTokens: 2 * 6208 });
  t.match(result.vendorRequestId, /^req_/);
  t.same(result.metadata, {
    background: 'transparent',
    output_format: 'webp',
    quality: 'high',
    size: '1536x1024',
  });
  t.same(result.warnings, []);
  t.notOk(result.revisedPrompt);
});

t.test('unset options are not sent; no quality means the vendor default', async (t) => {
  const fake = await startFake(t);
  await providerFor(fake).generate(call({ providerOptions: { style: null, background: null } }));
  t.same(fake.requests[0]!.json, {
    model: 'gpt-image-1',
    prompt: 'a red fox in the snow',
    n: 1,
    size: '1024x1024',
  });
});

t.test('DALL·E asks for b64_json by default and passes revised_prompt through', async (t) => {
  const fake = await startFake(t);
  const result = await providerFor(fake).generate(
    call({
      model: 'dall-e-3',
      quality: 'hd',
      size: { width: 1024, height: 1792 },
      providerOptions: { style: 'natural' },
    }),
  );
  t.same(fake.requests[0]!.json, {
    model: 'dall-e-3',
    prompt: 'a red fox in the snow',
    n: 1,
    size: '1024x1792',
    quality: 'hd',
    response_format: 'b64_json',
    style: 'natural',
  });
  t.equal(result.images[0]!.kind, 'base64');
  t.equal(result.images[0]!.mimeType, 'image/png');
  t.type(result.revisedPrompt, 'string');
  t.notOk(result.usage, 'DALL·E reports no tokens');
});

t.test('with dalleResponseFormat url, DALL·E results are URLs for core to download', async (t) => {
  const fake = await startFake(t);
  const provider = providerFor(fake, { dalleResponseFormat: 'url' });
  t.equal(provider.models.find((model) => model.id === 'dall-e-2')!.capabilities.delivery, 'url');
  t.equal(provider.models.find((model) => model.id === 'gpt-image-1')!.capabilities.delivery, 'base64');
  const result = await provider.generate(
    call({ model: 'dall-e-2', n: 2, size: { width: 256, height: 256 } }),
  );
  t.equal((fake.requests[0]!.json as Record<string, unknown>).response_format, 'url');
  t.equal(result.images.length, 2);
  const image = result.images[0]!;
  t.equal(image.kind, 'url');
  if (image.kind === 'url') {
    const download = await fetch(image.url);
    t.equal(sniffImage(new Uint8Array(await download.arrayBuffer()))?.mimeType, 'image/png');
  }
});

t.test('a server that answers with fewer images than asked gives a partial_failure warning', async (t) => {
  const fake = await startFake(t);
  fake.inject({
    fault: {
      kind: 'status',
      status: 200,
      body: { created: 1, data: [{ b64_json: tinyPng().toString('base64') }, { unexpected: true }] },
    },
  });
  const result = await providerFor(fake).generate(call({ n: 3 }));
  t.equal(result.images.length, 1);
  t.equal(result.warnings[0]?.type, 'partial_failure');
  t.equal(result.warnings[0]?.feature, 'n');
});

t.test('the SDK does not retry: one failure is one request (core retries)', async (t) => {
  const fake = await startFake(t);
  fake.failWith('server_error', { times: 1 });
  await t.rejects(providerFor(fake).generate(call()));
  t.equal(fake.requests.length, 1);
});
