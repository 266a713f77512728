import t from 'tap';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sniffImage, solidPng } from '@uig/core';
import { createCogviewFake, type CogviewFake } from '@uig/testkit';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import {
  connectStdio,
  imageBlocks,
  pngSignature,
  textOf,
  waitFor,
  watchAbandonedRequests,
} from './helpers.js';

/**
 * One `uig-mcp` process over stdio for the whole file (spawning costs a second or
 * two): local for images, CogView behind its fake, and the seed's environment.
 */
const dir = t.testdir({ input: {}, outside: {}, out: {}, data: {} });
const source = solidPng(96, 64, [200, 40, 40, 255]);
writeFileSync(join(dir, 'input', 'photo.png'), source);
writeFileSync(join(dir, 'outside', 'secret.png'), source);
symlinkSync(join(dir, 'outside', 'secret.png'), join(dir, 'input', 'link.png'));
mkdirSync(join(dir, 'input', 'sub'));

let fake: CogviewFake;
let client: Client;
let abandoned: ReturnType<typeof watchAbandonedRequests>;
let localModel: string;

const call = async (name: string, args: Record<string, unknown>) =>
  (await client.callTool({ name, arguments: args })) as CallToolResult;

t.before(async () => {
  fake = await createCogviewFake().start();
  abandoned = watchAbandonedRequests(fake);
  ({ client } = await connectStdio(
    t,
    {
      UIG_DATA_DIR: join(dir, 'data'),
      OUTPUT_IMAGE_PATH: join(dir, 'out'),
      UIG_MCP_INPUT_ROOTS: [join(dir, 'input'), join(dir, 'out')].join(':'),
      IMAGE_PROVIDER: 'cogview-4',
      ZHIPU_API_KEY: 'test-key',
      ZHIPU_BASE_URL: fake.apiBaseURL,
    },
    dir,
  ));
  const listed = await call('list_models', {});
  localModel = (listed.structuredContent as { models: Array<{ id: string; provider: string }> }).models.find(
    (model) => model.provider === 'local',
  )!.id;
});
t.teardown(() => fake.close());

t.test('tools/list over stdio has the new and the seed tools', async (t) => {
  const { tools } = await client.listTools();
  t.same(tools.map((tool) => tool.name).sort(), [
    'edit_image',
    'generate_image',
    'generate_image_from_text',
    'get_image_job',
    'list_models',
    'transform_image_from_encoded',
    'transform_image_from_file',
    'transform_image_from_url',
  ]);
  t.match(
    tools.find((tool) => tool.name === 'generate_image_from_text')!.description,
    /IMAGE_PROVIDER=zhipuai/,
  );
});

t.test('generate through local: a valid PNG image block and a file under OUTPUT_IMAGE_PATH', async (t) => {
  const result = await call('generate_image', { prompt: 'a red kite', model: localModel, size: '320x240' });
  t.notOk(result.isError, textOf(result));
  const bytes = Buffer.from(imageBlocks(result)[0]!.data, 'base64');
  t.same(bytes.subarray(0, 8), pngSignature);
  t.match(sniffImage(bytes), { width: 320, height: 240 });
  const image = (result.structuredContent as { images: Array<{ path: string; url: string }> }).images[0]!;
  t.equal(image.path.startsWith(join(dir, 'out')), true);
  t.match(image.url, /^file:\/\//, 'on stdio without a gateway URL, the URL is the saved file');
  t.ok(readdirSync(join(dir, 'out')).length >= 1);
});

t.test('edit_image reads files only under the allowed roots', async (t) => {
  const fromFile = await call('edit_image', {
    prompt: 'blue',
    model: localModel,
    image: join(dir, 'input', 'photo.png'),
  });
  t.notOk(fromFile.isError, textOf(fromFile));
  const relative = await call('edit_image', { prompt: 'blue', model: localModel, image: 'input/photo.png' });
  t.notOk(relative.isError, `relative to the server's working directory: ${textOf(relative)}`);
  const fromDataUri = await call('edit_image', {
    prompt: 'blue',
    model: localModel,
    image: `data:image/png;base64,${source.toString('base64')}`,
  });
  t.notOk(fromDataUri.isError, textOf(fromDataUri));

  for (const [label, path] of [
    ['outside', join(dir, 'outside', 'secret.png')],
    ['..', join(dir, 'input', 'sub', '..', '..', 'outside', 'secret.png')],
    ['symlink', join(dir, 'input', 'link.png')],
  ] as const) {
    const refused = await call('edit_image', { prompt: 'x', model: localModel, image: path });
    t.ok(refused.isError, label);
    t.match(textOf(refused), /PATH_NOT_ALLOWED/, label);
  }
});

t.test(
  'seed tools: IMAGE_PROVIDER picks CogView, the text names the saved file, a transform it cannot do names the fix',
  async (t) => {
    const before = fake.callsTo('/images/generations').length;
    const generated = await call('generate_image_from_text', { prompt: '一只猫' });
    t.notOk(generated.isError, textOf(generated));
    t.match(textOf(generated), new RegExp(`^Image saved to: ${join(dir, 'out')}/\\S+\\.png`));
    t.equal(fake.callsTo('/images/generations').length, before + 1);
    t.match(fake.callsTo('/images/generations').at(-1)!.json, {
      model: 'cogview-4-250304',
      prompt: '一只猫',
    });

    const transformed = await call('transform_image_from_file', {
      image_file_path: join(dir, 'input', 'photo.png'),
      prompt: 'x',
    });
    t.ok(transformed.isError, 'CogView cannot edit');
    t.match(textOf(transformed), /^Error transforming image: .*edit/);
  },
);

t.test(
  'progress resets the client timeout: a 12 s CogView call completes under an 8 s timeout',
  async (t) => {
    fake.latencyMs = 12_000;
    t.teardown(() => void (fake.latencyMs = 0));
    const progress: string[] = [];
    const started = Date.now();
    const result = (await client.callTool(
      { name: 'generate_image', arguments: { prompt: 'slow cat', model: 'cogview/cogview-4-250304' } },
      CallToolResultSchema,
      {
        timeout: 8_000,
        resetTimeoutOnProgress: true,
        onprogress: (notification) => progress.push(notification.message ?? ''),
      },
    )) as CallToolResult;
    const elapsed = Date.now() - started;
    t.notOk(result.isError, textOf(result));
    t.ok(elapsed >= 12_000, `took ${elapsed} ms`);
    t.ok(progress.length >= 3, `${progress.length} progress notifications`);
    t.match(progress[0], /cogview\/cogview-4-250304/);
  },
);

t.test('cancelling a call over stdio closes the vendor connection', async (t) => {
  fake.inject({ fault: { kind: 'delay', ms: 30_000 } });
  const before = fake.callsTo('/images/generations').length;
  const closedBefore = abandoned.count();
  const controller = new AbortController();
  const pending = client.callTool(
    { name: 'generate_image', arguments: { prompt: 'never', model: 'cogview/cogview-4-250304' } },
    CallToolResultSchema,
    { signal: controller.signal },
  );
  t.ok(
    await waitFor(() => fake.callsTo('/images/generations').length === before + 1),
    'the vendor call started',
  );
  controller.abort();
  await t.rejects(pending);
  t.ok(
    await waitFor(() => abandoned.count() === closedBefore + 1, 3000),
    'the fake saw the connection close before answering',
  );
});
