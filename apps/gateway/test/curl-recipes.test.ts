import t from 'tap';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sniffImage } from '@uig/core';
import { startGateway } from './helpers.js';

/**
 * Shell recipes run as users run them (curl, jq, base64 from the system; .ci/run
 * installs them): OpenAI's documented b64_json pipeline, and README's first curl.
 */
const run = promisify(execFile);
const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');

t.test("OpenAI's documented curl | jq .data[0].b64_json | base64 --decode writes a PNG", async (t) => {
  const { url } = await startGateway(t, {}, { listen: true });
  const dir = t.testdir();
  // As in OpenAI's image generation guide, with only the host changed; no response_format.
  const script = `curl -s ${url}/v1/images/generations -H "Content-Type: application/json" \
    -d '{"model": "local/placeholder", "prompt": "a lighthouse at dusk", "size": "256x256"}' \
    | jq -r '.data[0].b64_json' | base64 --decode > out.png`;
  await run('sh', ['-c', script], { cwd: dir });
  t.match(sniffImage(readFileSync(join(dir, 'out.png'))), { mimeType: 'image/png', width: 256, height: 256 });
});

t.test(
  "README's first curl (response_format url, then the image behind the URL) keeps working",
  async (t) => {
    const { url } = await startGateway(t, {}, { listen: true });
    const dir = t.testdir();
    const block = /```sh\n(curl [\s\S]*?)```/.exec(readme)?.[1];
    t.ok(block, "README's curl block");
    const script = block!.replaceAll('localhost:8080', url.replace('http://', ''));
    await run('sh', ['-c', script], { cwd: dir });
    t.match(
      sniffImage(readFileSync(join(dir, 'lighthouse.png'))),
      { mimeType: 'image/png', width: 512, height: 512 },
      'lighthouse.png is the 512×512 PNG',
    );
  },
);
