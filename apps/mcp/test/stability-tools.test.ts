import t from 'tap';
import { solidPng, sniffImage } from '@uig/core';
import { createStabilityFake } from '@uig/testkit';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { connectHttp, imageBlocks, startHttp, textOf } from './helpers.js';

t.test('Stability through MCP: generate_image and an inpaint edit_image against the fake', async (t) => {
  const fake = await createStabilityFake().start();
  t.teardown(() => fake.close());
  const { endpoint } = await startHttp(t, {
    STABILITY_API_KEY: 'sk-test',
    STABILITY_BASE_URL: fake.apiBaseURL,
  });
  const client = await connectHttp(t, endpoint);
  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;

  const generated = await call('generate_image', {
    prompt: 'a red fox',
    model: 'stability/sd3.5-large',
    aspect_ratio: '3:2',
    seed: 5,
  });
  t.notOk(generated.isError, textOf(generated));
  t.ok(sniffImage(Buffer.from(imageBlocks(generated)[0]!.data, 'base64')));
  t.match(generated.structuredContent, { provider: 'stability' });
  t.match(fake.generations[0]!.fields, { model: 'sd3.5-large', aspect_ratio: '3:2', seed: '5' });

  const png = solidPng(64, 64, [10, 200, 10, 255]).toString('base64');
  const edited = await call('edit_image', {
    prompt: 'a blue door',
    model: 'stability/inpaint',
    image: `data:image/png;base64,${png}`,
    mask: `data:image/png;base64,${png}`,
  });
  t.notOk(edited.isError, textOf(edited));
  t.equal(fake.generations[1]!.endpoint, 'inpaint');
});
