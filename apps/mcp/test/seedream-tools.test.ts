import t from 'tap';
import { solidPng, sniffImage } from '@uig/core';
import { createSeedreamFake } from '@uig/testkit';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { connectHttp, imageBlocks, startHttp, textOf } from './helpers.js';

t.test('Seedream through MCP: generate_image and edit_image against the fake', async (t) => {
  const fake = await createSeedreamFake().start();
  t.teardown(() => fake.close());
  const { endpoint } = await startHttp(t, { ARK_API_KEY: 'ark-test', ARK_BASE_URL: fake.apiBaseURL });
  const client = await connectHttp(t, endpoint);
  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;

  const generated = await call('generate_image', {
    prompt: 'a tea house',
    model: 'seedream/seedream-4-5-251128',
  });
  t.notOk(generated.isError, textOf(generated));
  t.ok(sniffImage(Buffer.from(imageBlocks(generated)[0]!.data, 'base64')));
  t.match(generated.structuredContent, { provider: 'seedream' });
  t.equal(fake.calls[0]!.model, 'seedream-4-5-251128');

  const png = solidPng(64, 64, [10, 200, 10, 255]).toString('base64');
  const edited = await call('edit_image', {
    prompt: 'in winter',
    model: 'seedream/seedream-4-0-250828',
    image: `data:image/png;base64,${png}`,
  });
  t.notOk(edited.isError, textOf(edited));
  t.match(fake.calls[1]!.body, { image: /^data:image\/png;base64,/ });
});
