import t from 'tap';
import { ConfigError, loadConfig } from '@uig/core';
import { parseCliOptions } from '../src/cli-options.js';
import { loadMcpSettings } from '../src/mcp-settings.js';
import { hostAllowed, originAllowed } from '../src/request-guard.js';

t.test('Host and Origin checks', async (t) => {
  const loopback = ['localhost', '127.0.0.1', '[::1]'];
  t.ok(hostAllowed('127.0.0.1:8081', loopback));
  t.ok(hostAllowed('[::1]:8081', loopback));
  t.ok(hostAllowed('LOCALHOST', loopback));
  t.notOk(hostAllowed('evil.example:8081', loopback), 'DNS rebinding shows up as a foreign Host');
  t.notOk(hostAllowed(undefined, loopback));
  t.ok(hostAllowed('anything', undefined), 'no allowlist: any host');

  const origins = ['http://localhost:*', 'https://app.example.com'];
  t.ok(originAllowed(undefined, origins), 'non-browser clients send no Origin');
  t.ok(originAllowed('http://localhost:6274', origins));
  t.ok(originAllowed('https://app.example.com', origins));
  t.notOk(originAllowed('https://app.example.com:8443', origins));
  t.notOk(originAllowed('https://evil.example', origins));
  t.notOk(originAllowed('http://localhost.evil.example:80', origins));
  t.notOk(originAllowed('null', origins));
});

t.test('settings: output root, input roots and allowlists', async (t) => {
  const dir = t.testdir({});
  const config = loadConfig({ env: { UIG_DATA_DIR: dir }, plugins: [] });
  const stdio = loadMcpSettings({ env: { HOME: '/home/ada' }, config, transport: 'stdio', cwd: '/work' });
  t.equal(stdio.outputRoot, `${dir}/output`);
  t.same(
    stdio.inputRoots,
    [`${dir}/output`, '/home/ada', '/work'],
    'stdio: the output root, the home folder and the working directory',
  );
  const desktop = loadMcpSettings({ env: { HOME: '/home/ada' }, config, transport: 'stdio', cwd: '/' });
  t.same(
    desktop.inputRoots,
    [`${dir}/output`, '/home/ada'],
    'a working directory of / (as desktop clients start servers) is not an input root',
  );
  const inHome = loadMcpSettings({ env: {}, config, transport: 'stdio', cwd: '/home/bo', home: '/home/bo' });
  t.same(inHome.inputRoots, [`${dir}/output`, '/home/bo'], 'each root once');
  const http = loadMcpSettings({
    env: { OUTPUT_IMAGE_PATH: 'pictures' },
    config,
    transport: 'http',
    cwd: '/work',
  });
  t.equal(http.outputRoot, '/work/pictures', 'OUTPUT_IMAGE_PATH, relative to the working directory');
  t.same(http.inputRoots, ['/work/pictures'], 'http: only the output root by default');
  t.same(http.allowedHosts, ['localhost', '127.0.0.1', '[::1]']);
  const configured = loadMcpSettings({
    env: { UIG_MCP_INPUT_ROOTS: '/a:/b', UIG_MCP_ALLOWED_ORIGINS: 'https://x.example' },
    config,
    transport: 'http',
    host: '0.0.0.0',
  });
  t.same(configured.inputRoots, ['/a', '/b']);
  t.same(configured.allowedOrigins, ['https://x.example']);
  t.equal(configured.allowedHosts, undefined, 'bound beyond loopback: any Host unless configured');
  t.throws(
    () => loadMcpSettings({ env: { UIG_MCP_ALLOWED_ORIGINS: 'evil' }, config, transport: 'http' }),
    ConfigError,
  );
  t.throws(
    () => loadMcpSettings({ env: { UIG_MCP_PROGRESS_INTERVAL_MS: '9000' }, config, transport: 'http' }),
    ConfigError,
    'progress gaps over 5 s are refused',
  );
  t.throws(
    () => loadMcpSettings({ env: { IMAGE_PROVIDER: 'midjourney' }, config, transport: 'stdio' }),
    ConfigError,
    'a bad IMAGE_PROVIDER stops startup',
  );
});

t.test('command line', async (t) => {
  t.match(parseCliOptions([], {}), { transport: 'stdio', host: '127.0.0.1', port: 8081 });
  t.match(parseCliOptions(['--http', '--port', '0', '--host=::1'], {}), {
    transport: 'http',
    host: '::1',
    port: 0,
  });
  t.match(parseCliOptions(['--http'], { UIG_MCP_PORT: '9000' }), { port: 9000 });
  t.throws(() => parseCliOptions(['--port'], {}), ConfigError);
  t.throws(() => parseCliOptions(['--bogus'], {}), ConfigError);
  t.throws(() => parseCliOptions(['--port', '70000'], {}), ConfigError);
});
