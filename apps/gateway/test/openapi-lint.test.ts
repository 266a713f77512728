import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import t from 'tap';

/**
 * `pnpm lint:openapi` (Redocly CLI's recommended rules on the document /openapi.json
 * serves) passes, and works offline: every TCP connection the command tries (usage data,
 * a version check, a remote ruleset) is refused by a preloaded module and reported.
 */
t.test('pnpm lint:openapi: Redocly CLI finds no error, without the network', async (t) => {
  const result = spawnSync('pnpm', ['-s', 'run', 'lint:openapi'], {
    cwd: join(import.meta.dirname, '..'),
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: `--require ${join(import.meta.dirname, 'no-network.cjs')}` },
    timeout: 120_000,
  });
  const output = `${result.stdout}\n${result.stderr}`;
  t.equal(result.status, 0, output);
  t.match(output, /Your API description is valid/);
  // --format=summary prints one "error <rule>: N" or "warning <rule>: N" line per rule hit.
  t.notMatch(output, /^\s*(error|warning) [\w-]+: \d+/m, 'no error and no warning');
  t.notMatch(output, /uig-test: network attempt/, 'nothing went to the network');
});
