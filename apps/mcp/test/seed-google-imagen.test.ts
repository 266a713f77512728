import t from 'tap';
import { join } from 'node:path';
import { createGeminiFake } from '@uig/testkit';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { connectStdio, textOf } from './helpers.js';

/**
 * The seed's `GOOGLE_MODEL=imagen`, as a desktop user has it in an old MCP config: Google shut
 * Imagen down on the Gemini API (docs/providers/gemini.md §15; the fake answers 404 for it, as
 * Google does), so `generate_image_from_text` is served by the current Gemini image model, and
 * the answer says so in a warning instead of failing.
 */
t.test('GOOGLE_MODEL=imagen generates with gemini-3.1-flash-image and warns', async (t) => {
  const fake = await createGeminiFake().start();
  t.teardown(() => fake.close());
  const dir = t.testdir({ out: {}, data: {} });
  const { client, stderr } = await connectStdio(
    t,
    {
      UIG_DATA_DIR: join(dir, 'data'),
      OUTPUT_IMAGE_PATH: join(dir, 'out'),
      IMAGE_PROVIDER: 'google',
      GOOGLE_MODEL: 'imagen',
      GEMINI_API_KEY: 'test-gemini-key-0123456789',
      GEMINI_BASE_URL: fake.apiBaseURL,
    },
    dir,
  );
  const result = (await client.callTool({
    name: 'generate_image_from_text',
    arguments: { prompt: 'a lighthouse at dawn' },
  })) as CallToolResult;
  t.notOk(result.isError, `${textOf(result)} ${stderr().slice(-500)}`);
  t.match(textOf(result), /^Image saved to: /);
  const structured = result.structuredContent as {
    model: string;
    warnings: Array<{ type: string; feature?: string; message: string }>;
  };
  t.equal(structured.model, 'gemini/gemini-3.1-flash-image');
  const mapped = structured.warnings.filter((warning) => warning.feature === 'model_type');
  t.equal(mapped.length, 1, 'one warning says what happened');
  t.match(mapped[0], { type: 'adjusted', message: /Imagen was shut down.*gemini\/gemini-3\.1-flash-image/ });
  t.match(textOf(result), /Imagen was shut down/, 'the text a model reads says it too');
  // (The seed's prompt optimisation may also ask a Gemini text model first.)
  const paths = fake.requests.map((request) => request.path);
  t.same(
    paths.filter((path) => path.includes('image')),
    ['/v1beta/models/gemini-3.1-flash-image:generateContent'],
    'one image call, to the current Gemini model',
  );
  t.notOk(
    paths.some((path) => path.includes('imagen') || path.endsWith(':predict')),
    'none to Imagen',
  );

  // model_type=gemini on the same server: no mapping, no warning.
  const gemini = (await client.callTool({
    name: 'generate_image_from_text',
    arguments: { prompt: 'a lighthouse at dawn', model_type: 'gemini' },
  })) as CallToolResult;
  t.notOk(gemini.isError, textOf(gemini));
  t.notOk(
    (gemini.structuredContent as { warnings: Array<{ feature?: string }> }).warnings.some(
      (warning) => warning.feature === 'model_type',
    ),
  );
});
