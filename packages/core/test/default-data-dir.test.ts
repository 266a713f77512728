import t from 'tap';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, defaultDataDir, ensureWritableFolder, loadConfig } from '@uig/core';

t.test('the default data folder is the platform’s per-user data folder', async (t) => {
  t.equal(defaultDataDir({ platform: 'linux', env: { HOME: '/home/ada' } }), '/home/ada/.local/share/uig');
  t.equal(
    defaultDataDir({ platform: 'linux', env: { HOME: '/home/ada', XDG_DATA_HOME: '/data/ada' } }),
    '/data/ada/uig',
  );
  t.equal(
    defaultDataDir({ platform: 'linux', env: { HOME: '/home/ada', XDG_DATA_HOME: 'relative' } }),
    '/home/ada/.local/share/uig',
    'a relative XDG_DATA_HOME is ignored, as the XDG spec says',
  );
  t.equal(
    defaultDataDir({ platform: 'darwin', env: { HOME: '/Users/ada' } }),
    '/Users/ada/Library/Application Support/uig',
  );
  t.equal(
    defaultDataDir({ platform: 'win32', env: { LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' } }),
    'C:\\Users\\ada\\AppData\\Local\\uig',
  );
  t.equal(
    defaultDataDir({ platform: 'win32', env: { USERPROFILE: 'C:\\Users\\ada' } }),
    'C:\\Users\\ada\\AppData\\Local\\uig',
  );
});

t.test('UIG_DATA_DIR and server.dataDir still win, relative to the working directory', async (t) => {
  const plugins = [
    {
      type: 'local',
      keyless: true,
      defaultBaseURL: 'local:',
      create: () => {
        throw new Error('not used');
      },
    },
  ];
  t.equal(loadConfig({ env: { UIG_DATA_DIR: 'data' }, plugins, cwd: '/srv' }).dataDir, '/srv/data');
  t.equal(loadConfig({ env: { UIG_DATA_DIR: '/var/uig', HOME: '/h' }, plugins }).dataDir, '/var/uig');
});

t.test('a folder that cannot be written is a ConfigError naming the setting', async (t) => {
  const dir = t.testdir({ file: 'not a folder' });
  const fresh = join(dir, 'a', 'b');
  ensureWritableFolder(fresh, 'UIG_DATA_DIR');
  t.ok(existsSync(fresh), 'created, parents included');
  t.throws(() => ensureWritableFolder(join(dir, 'file', 'sub'), 'UIG_DATA_DIR'), ConfigError);
  t.throws(() => ensureWritableFolder(join(dir, 'file', 'sub'), 'OUTPUT_IMAGE_PATH'), {
    message: /^OUTPUT_IMAGE_PATH: cannot write to .*\(ENOTDIR\)/,
  });
  if (process.getuid?.() !== 0) {
    // root writes anywhere: the permission case only means something for a normal user.
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    t.throws(() => ensureWritableFolder(locked, 'UIG_DATA_DIR'), { message: /EACCES/ });
  }
});
