import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { solidPng } from '@uig/core';
import { createDashScopeFake } from '@uig/testkit';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { connectStdio, textOf } from './helpers.js';

/**
 * The seed's four tools as a desktop user runs them: `uig-mcp` over stdio with
 * IMAGE_PROVIDER=bailian and no UIG_PUBLIC_URL. Input images reach DashScope through its
 * temporary upload (docs/providers/wanx.md §13.1), so no public gateway address is needed.
 */
t.test('IMAGE_PROVIDER=bailian without UIG_PUBLIC_URL: all four seed tools work', async (t) => {
  const fake = await createDashScopeFake({ pendingPolls: 0, runningPolls: 0 }).start();
  t.teardown(() => fake.close());
  const dir = t.testdir({ input: {}, out: {}, data: {} });
  // docs/providers/wanx.md §4.4: wanx2.1-imageedit wants 512–4096 px per side.
  const photo = solidPng(640, 640, [30, 120, 200, 255]);
  writeFileSync(join(dir, 'input', 'photo.png'), photo);
  // The caller's URL is on loopback here, so the config lets the gateway fetch it.
  writeFileSync(join(dir, 'uig.yaml'), 'limits:\n  allowPrivateInputUrls: true\n');
  const { client, stderr } = await connectStdio(
    t,
    {
      UIG_DATA_DIR: join(dir, 'data'),
      UIG_CONFIG: join(dir, 'uig.yaml'),
      OUTPUT_IMAGE_PATH: join(dir, 'out'),
      UIG_MCP_INPUT_ROOTS: join(dir, 'input'),
      IMAGE_PROVIDER: 'bailian',
      DASHSCOPE_API_KEY: 'sk-dashscope-test',
      DASHSCOPE_BASE_URL: fake.apiBaseURL,
    },
    dir,
  );
  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;

  const generated = await call('generate_image_from_text', { prompt: '一间花店' });
  t.notOk(generated.isError, textOf(generated));
  t.match(textOf(generated), /^Image saved to: /);

  const transforms: Array<[string, Record<string, unknown>]> = [
    ['transform_image_from_file', { image_file_path: join(dir, 'input', 'photo.png'), prompt: '变成陶瓷' }],
    [
      'transform_image_from_encoded',
      { encoded_image: `data:image/png;base64,${photo.toString('base64')}`, prompt: '变成陶瓷' },
    ],
    ['transform_image_from_url', { image_url: fake.serveFile(photo), prompt: '变成陶瓷' }],
  ];
  for (const [tool, args] of transforms) {
    const before = fake.uploads.files.size;
    const result = await call(tool, args);
    t.notOk(result.isError, `${tool}: ${textOf(result)} ${stderr().slice(-500)}`);
    t.match(textOf(result), /^Image transformed and saved to: /, tool);
    t.equal(fake.uploads.files.size, before + 1, `${tool}: the input went through the temporary upload`);
    const task = fake.lastTask!;
    t.equal(task.model, 'wanx2.1-imageedit', tool);
    t.match((task.body.input as { base_image_url: string }).base_image_url, /^oss:\/\//, tool);
    t.equal(task.outcome.kind, 'succeed', `${tool}: the fake read the uploaded file back`);
  }
  t.notOk(/PUBLIC_URL_REQUIRED|set UIG_PUBLIC_URL/.test(stderr()), 'nothing asks for a public URL');
});
