import t from 'tap';
import { solidPng, sniffImage } from '@uig/core';
import { createFalFake, createReplicateFake, falTriggers } from '@uig/testkit';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { connectHttp, imageBlocks, startHttp, textOf } from './helpers.js';

t.test(
  'fal and Replicate through MCP: generate_image, edit_image, list_models with slashed ids',
  async (t) => {
    const fal = await createFalFake().start();
    const replicate = await createReplicateFake().start();
    t.teardown(() => Promise.all([fal.close(), replicate.close()]));
    const { endpoint } = await startHttp(
      t,
      {
        FAL_KEY: 'fal-test',
        FAL_BASE_URL: fal.url,
        REPLICATE_API_TOKEN: 'r8_test',
        REPLICATE_BASE_URL: replicate.apiBaseURL,
      },
      { runtime: { sleep: async () => {} } },
    );
    const client = await connectHttp(t, endpoint);
    const call = async (name: string, args: Record<string, unknown>) =>
      (await client.callTool({ name, arguments: args })) as CallToolResult;

    const models = await call('list_models', {});
    t.notOk(models.isError, textOf(models));
    const listed = JSON.stringify(models.structuredContent);
    t.match(listed, /fal\/fal-ai\/flux\/dev/);
    t.match(listed, /replicate\/black-forest-labs\/flux-schnell/);

    const viaFal = await call('generate_image', { prompt: 'a lighthouse', model: 'fal/fal-ai/flux/dev' });
    t.notOk(viaFal.isError, textOf(viaFal));
    t.ok(sniffImage(Buffer.from(imageBlocks(viaFal)[0]!.data, 'base64')));
    t.match(viaFal.structuredContent, { provider: 'fal', model: 'fal/fal-ai/flux/dev' });

    const viaReplicate = await call('generate_image', {
      prompt: 'a lighthouse',
      model: 'replicate/black-forest-labs/flux-schnell',
    });
    t.notOk(viaReplicate.isError, textOf(viaReplicate));
    t.match(viaReplicate.structuredContent, {
      provider: 'replicate',
      model: 'replicate/black-forest-labs/flux-schnell',
    });

    const source = `data:image/png;base64,${solidPng(64, 64, [10, 200, 10, 255]).toString('base64')}`;
    const falEdit = await call('edit_image', {
      prompt: 'make it night',
      model: 'fal/fal-ai/flux-pro/kontext',
      image: source,
    });
    t.notOk(falEdit.isError, textOf(falEdit));
    t.equal(
      fal.requests.filter((request) => request.method === 'POST').at(-1)!.path,
      '/fal-ai/flux-pro/kontext',
    );
    const replicateEdit = await call('edit_image', {
      prompt: 'make it night',
      model: 'replicate/black-forest-labs/flux-kontext-pro',
      image: source,
    });
    t.notOk(replicateEdit.isError, textOf(replicateEdit));
    t.equal(
      replicate.requests.filter((request) => request.method === 'POST').at(-1)!.path,
      '/v1/models/black-forest-labs/flux-kontext-pro/predictions',
    );

    const refused = await call('generate_image', {
      prompt: falTriggers.contentPolicy,
      model: 'fal/fal-ai/flux/dev',
    });
    t.equal(refused.isError, true);
    t.match(textOf(refused), /refused/);
  },
);
