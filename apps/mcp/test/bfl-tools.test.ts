import t from 'tap';
import { solidPng, sniffImage } from '@uig/core';
import { bflTriggers, createBflFake } from '@uig/testkit';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { connectHttp, imageBlocks, startHttp, textOf } from './helpers.js';

t.test(
  'BFL through MCP: generate_image and edit_image against the fake, a refusal as a tool error',
  async (t) => {
    const fake = await createBflFake().start();
    t.teardown(() => fake.close());
    const { endpoint } = await startHttp(
      t,
      { BFL_API_KEY: 'bfl_test', BFL_BASE_URL: fake.apiBaseURL },
      { runtime: { sleep: async () => {} } },
    );
    const client = await connectHttp(t, endpoint);
    const call = async (name: string, args: Record<string, unknown>) =>
      (await client.callTool({ name, arguments: args })) as CallToolResult;

    const generated = await call('generate_image', { prompt: 'a lighthouse', model: 'bfl/flux-2-pro' });
    t.notOk(generated.isError, textOf(generated));
    t.ok(sniffImage(Buffer.from(imageBlocks(generated)[0]!.data, 'base64')));
    t.match(generated.structuredContent, { provider: 'bfl', model: 'bfl/flux-2-pro' });
    t.equal(fake.submits[0]!.headers['x-key'], 'bfl_test');

    const source = solidPng(64, 64, [10, 200, 10, 255]).toString('base64');
    const edited = await call('edit_image', {
      prompt: 'make it night',
      model: 'bfl/flux-kontext-pro',
      image: `data:image/png;base64,${source}`,
    });
    t.notOk(edited.isError, textOf(edited));
    t.equal(fake.submits[1]!.path, '/v1/flux-kontext-pro');

    const refused = await call('generate_image', {
      prompt: `x ${bflTriggers.requestModerated}`,
      model: 'bfl/flux-2-pro',
    });
    t.equal(refused.isError, true);
    t.match(textOf(refused), /Request Moderated/);
  },
);
