import t from 'tap';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * The published package as a user gets it: `pnpm pack:all` writes packs/uig-<version>.tgz,
 * scripts/install-packed.sh (the Dockerfile's install step too) installs it with plain
 * npm into an empty folder, third-party packages from the registry. Then, as a user would:
 * `npx uig --version`; `uig mcp` started the way Claude Desktop starts it (a normal user,
 * working directory `/`, a HOME of its own) answering an MCP client's tools/list and
 * generating an image; `uig serve` answering the README's curl and serving the playground, with nothing on stderr.
 * Needs the npm registry; run by `pnpm test:packed` (CI runs it after `pnpm test`).
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, 'packages/uig/package.json'), 'utf8')) as {
  version: string;
};
const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const testUser = 'uig-packed-test';

const started = Date.now();
const timings: string[] = [];
const step = <T>(name: string, work: () => T): T => {
  const from = Date.now();
  const result = work();
  timings.push(`${name} ${((Date.now() - from) / 1000).toFixed(1)} s`);
  return result;
};

step('pack', () =>
  execFileSync('pnpm', ['-s', 'pack:all'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] }),
);
const tarball = join(root, 'packs', `uig-${version}.tgz`);
const installDir = mkdtempSync(join(tmpdir(), 'uig-packed-'));
// mkdtemp makes the folder private to its owner: the test user must be able to read it.
chmodSync(installDir, 0o755);
step('npm install', () =>
  execFileSync('sh', [join(root, 'scripts/install-packed.sh'), installDir, tarball], {
    stdio: ['ignore', 'ignore', 'inherit'],
  }),
);
const bin = join(installDir, 'node_modules', '.bin', 'uig');
t.teardown(() => rmSync(installDir, { recursive: true, force: true }));

/**
 * The account the servers run as. CI runs as root, which could write anywhere and hide
 * the first-run problems users meet: then a system user is made for the test (once per
 * machine) and the commands run through setpriv; otherwise the current (normal) user.
 */
function normalUser(): { uid: number; gid: number } {
  const uid = process.getuid?.() ?? 0;
  if (uid !== 0) return { uid, gid: process.getgid?.() ?? 0 };
  try {
    execFileSync('id', ['-u', testUser], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      testUser,
    ]);
  }
  const id = (flag: string) => Number(execFileSync('id', [flag, testUser], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}
const user = normalUser();
/**
 * `command args` as the normal user with exactly `env`: `env -i` also drops what the test
 * runner adds to its children's environment (NODE_OPTIONS hooks that write into the checkout).
 */
const asUser = (env: Record<string, string>, command: string, args: string[]): [string, string[]] => {
  const clean = ['-i', ...Object.entries(env).map(([name, value]) => `${name}=${value}`), command, ...args];
  return process.getuid?.() === 0
    ? ['setpriv', [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', 'env', ...clean]]
    : ['env', clean];
};

/** A HOME of the user's own, as a fresh account has: nothing in it yet. */
function freshHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'uig-home-'));
  chownSync(home, user.uid, user.gid);
  t.teardown(() => rmSync(home, { recursive: true, force: true }));
  return home;
}
const userEnv = (home: string): Record<string, string> => ({
  HOME: home,
  PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
});

t.test('npx uig --version prints the package version', async (t) => {
  const output = step('npx uig --version', () =>
    execFileSync('npx', ['--no-install', 'uig', '--version'], { cwd: installDir, encoding: 'utf8' }),
  );
  t.equal(output, `${version}\n`);
});

t.test('uig mcp as a normal user in / with its own HOME: tools/list and an image', async (t) => {
  const home = freshHome();
  const [command, args] = asUser(userEnv(home), bin, ['mcp']);
  const transport = new StdioClientTransport({ command, args, cwd: '/', stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'uig-packed-test', version: '1.0.0' });
  const from = Date.now();
  await client.connect(transport);
  t.teardown(() => client.close());
  const { tools } = await client.listTools();
  timings.push(`uig mcp start + tools/list ${((Date.now() - from) / 1000).toFixed(1)} s`);
  t.ok(
    ['generate_image', 'edit_image', 'list_models'].every((name) => tools.some((tool) => tool.name === name)),
    'the image tools are listed',
  );
  const result = (await client.callTool({
    name: 'generate_image',
    arguments: { prompt: 'a lighthouse at dusk', size: '256x256' },
  })) as CallToolResult;
  t.notOk(result.isError, JSON.stringify(result.content).slice(0, 500));
  const saved = (result.structuredContent as { images: Array<{ path: string }> }).images[0]!.path;
  t.ok(
    saved.startsWith(join(home, '.local', 'share', 'uig', 'output')),
    `saved under the user's data folder: ${saved}`,
  );
  t.same(readFileSync(saved).subarray(0, 8), pngSignature);
  t.notMatch(stderr, /"level":"(warn|error)"|Warning|EACCES/, 'no warning or error on stderr');
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Waits for `pattern` on the child's stdout; rejects if it exits first. */
function waitForOutput(child: ChildProcess, pattern: RegExp, seen: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pattern.test(seen())) {
        child.stdout?.off('data', check);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => reject(new Error(`uig serve exited with ${code}: ${seen()}`)));
  });
}

t.test('uig serve answers the README’s curl, and starts without a warning', async (t) => {
  const home = freshHome();
  const port = await freePort();
  const [command, args] = asUser({ ...userEnv(home), PORT: String(port) }, bin, ['serve']);
  const from = Date.now();
  const server = spawn(command, args, { cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  server.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  server.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
  t.teardown(() => {
    if (server.exitCode === null) server.kill('SIGKILL');
  });
  await waitForOutput(server, /uig gateway ready/, () => stdout);
  timings.push(`uig serve ready ${((Date.now() - from) / 1000).toFixed(1)} s`);

  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
    .map((match) => match[1]!)
    .find((text) => text.includes('curl -s localhost:8080/v1/images/generations'));
  t.ok(block, 'the README has the curl');
  const workDir = mkdtempSync(join(tmpdir(), 'uig-readme-'));
  t.teardown(() => rmSync(workDir, { recursive: true, force: true }));
  execFileSync('bash', ['-euo', 'pipefail', '-c', block!.replaceAll('localhost:8080', `127.0.0.1:${port}`)], {
    cwd: workDir,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const png = join(workDir, 'lighthouse.png');
  t.ok(existsSync(png), 'lighthouse.png written');
  t.same(readFileSync(png).subarray(0, 8), pngSignature, 'and it is a PNG');

  // The playground ships prebuilt in the bundle (from source it is built on the fly with esbuild,
  // which the published package does not have).
  for (const [path, type] of [
    ['/', 'text/html'],
    ['/playground/app.js', 'text/javascript'],
  ] as const) {
    const answer = await fetch(`http://127.0.0.1:${port}${path}`);
    t.equal(answer.status, 200, `GET ${path}`);
    t.match(answer.headers.get('content-type'), type);
    t.ok((await answer.text()).length > 100, `GET ${path} has a body`);
  }

  server.kill('SIGTERM');
  t.equal(await exited, 0, 'SIGTERM closes it cleanly');
  t.equal(stderr, '', 'nothing on stderr: no deprecation or other warning');
  t.comment(
    `packed install, step by step: ${timings.join(', ')}; total ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
});
