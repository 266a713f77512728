import t from 'tap';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@uig/core';
import { parseCliArguments } from '../src/cli-arguments.js';
import { withoutUnresolvedPlaceholders } from '../src/unresolved-placeholders.js';

/** `${user_config.<name>}`, as Claude Desktop can leave an optional setting the user skipped. */
const placeholder = (name: string) => `$\{user_config.${name}}`;

/** The `uig` command from source, as its bundle runs it; each run is a new process. */
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const tsxLoader = import.meta.resolve('tsx');
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `uig ...args`; `until` ends it (SIGTERM) once stderr matches, for commands that keep serving. */
function run(args: string[], env: Record<string, string>, until?: RegExp): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=uig-source', '--import', tsxLoader, cli, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      cwd: '/',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (until?.test(stderr)) child.kill('SIGTERM');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

t.test('arguments: commands, their options, and mistakes as ConfigErrors', async (t) => {
  t.same(parseCliArguments([]), { command: 'help' });
  t.same(parseCliArguments(['-v']), { command: 'version' });
  t.same(parseCliArguments(['mcp', '--http', '--port', '0']), {
    command: 'mcp',
    argv: ['--http', '--port', '0'],
  });
  t.same(parseCliArguments(['serve', '--port', '9000', '--host=::1']), {
    command: 'serve',
    env: { PORT: '9000', HOST: '::1' },
  });
  t.throws(() => parseCliArguments(['start']), ConfigError);
  t.throws(() => parseCliArguments(['serve', '--verbose']), ConfigError);
  t.throws(() => parseCliArguments(['serve', '--port']), ConfigError);
});

t.test('a placeholder Claude Desktop left unresolved counts as not set', async (t) => {
  t.same(
    withoutUnresolvedPlaceholders({
      ZHIPU_API_KEY: placeholder('zhipu_api_key'),
      OPENAI_API_KEY: 'sk-real',
      OUTPUT_IMAGE_PATH: placeholder('output_folder'),
      PROMPT: `a ${placeholder('x')} in the text is kept`,
    }),
    { OPENAI_API_KEY: 'sk-real', PROMPT: `a ${placeholder('x')} in the text is kept` },
  );
});

t.test('--version and --help', async (t) => {
  const shown = await run(['--version'], {});
  t.equal(shown.code, 0);
  t.equal(shown.stdout, `${version}\n`);
  const help = await run(['--help'], {});
  t.equal(help.code, 0);
  t.match(help.stdout, /serve \[--port N\]/);
  t.match(help.stdout, /mcp --http/);
});

t.test('startup problems: one line on stderr naming the setting, exit code 2', async (t) => {
  const dir = t.testdir({ 'a-file': 'x', 'bad.yaml': 'server: { port: "eighty" }\n' });
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  t.teardown(() => taken.close());
  const takenPort = String((taken.address() as { port: number }).port);
  const cases: Array<{ name: string; args: string[]; env: Record<string, string>; names: RegExp }> = [
    { name: 'unknown command', args: ['start'], env: {}, names: /^uig: unknown command "start"/ },
    {
      name: 'data folder that cannot be created',
      args: ['serve'],
      env: { UIG_DATA_DIR: join(dir, 'a-file', 'data') },
      names: /^uig: UIG_DATA_DIR: cannot write to /,
    },
    {
      name: 'a bad config file',
      args: ['serve'],
      env: { UIG_DATA_DIR: join(dir, 'data'), UIG_CONFIG: join(dir, 'bad.yaml') },
      names: /^uig: UIG_CONFIG .*server\.port/,
    },
    {
      name: 'a port in use',
      args: ['serve', '--port', takenPort],
      env: { UIG_DATA_DIR: join(dir, 'data') },
      names: /^uig: PORT: 127\.0\.0\.1:\d+ is already in use/,
    },
    {
      name: 'a default model nobody offers',
      args: ['mcp'],
      env: { UIG_DATA_DIR: join(dir, 'data'), UIG_DEFAULT_MODEL: 'openai/gpt-image-1' },
      names: /^uig: UIG_DEFAULT_MODEL/,
    },
    {
      name: 'a forced provider without its key',
      args: ['mcp'],
      env: { UIG_DATA_DIR: join(dir, 'data'), IMAGE_PROVIDER: 'google' },
      names: /^uig: IMAGE_PROVIDER=google needs GEMINI_API_KEY/,
    },
    {
      name: 'an output folder that cannot be created',
      args: ['mcp'],
      env: { UIG_DATA_DIR: join(dir, 'data'), OUTPUT_IMAGE_PATH: join(dir, 'a-file', 'out') },
      names: /^uig: OUTPUT_IMAGE_PATH: cannot write to /,
    },
  ];
  for (const { name, args, env, names } of cases) {
    const result = await run(args, env);
    t.equal(result.code, 2, `${name}: exit code 2`);
    t.match(result.stderr, names, name);
    t.equal(result.stderr.trim().split('\n').length, 1, `${name}: one line, no stack trace`);
  }
});

t.test('uig mcp starts in / with unresolved bundle placeholders and only the local provider', async (t) => {
  const dir = t.testdir({});
  const result = await run(
    ['mcp'],
    {
      HOME: dir,
      ZHIPU_API_KEY: placeholder('zhipu_api_key'),
      OUTPUT_IMAGE_PATH: placeholder('output_folder'),
    },
    /uig mcp ready/,
  );
  const ready = JSON.parse(result.stderr.split('\n').find((line) => line.includes('uig mcp ready'))!) as {
    providers: string[];
    data_dir: string;
    output: string;
  };
  t.same(ready.providers, ['local']);
  t.equal(ready.data_dir, join(dir, '.local', 'share', 'uig'), 'data in the per-user folder of HOME');
  t.equal(ready.output, join(dir, '.local', 'share', 'uig', 'output'));
});
