import t from 'tap';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isUigError } from '@uig/core';
import { InputFileReader } from '../src/input-file-reader.js';

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return isUigError(error) ? error.code : 'NOT_A_UIG_ERROR';
  }
}

t.test('files are read only from the allowed roots, after resolving .. and symlinks', async (t) => {
  const base = t.testdir({
    root: { 'in.png': 'inside', nested: { 'deep.png': 'deep' } },
    outside: { 'secret.png': 'secret' },
  });
  const root = join(base, 'root');
  symlinkSync(join(base, 'outside', 'secret.png'), join(root, 'escape.png'));
  symlinkSync(join(base, 'outside'), join(root, 'escape-dir'));
  symlinkSync(join(root, 'in.png'), join(base, 'outside', 'link-in.png'));
  const reader = new InputFileReader([root], 1000, base);

  t.equal((await reader.read(join(root, 'in.png'), 'image')).toString(), 'inside');
  t.equal(
    (await reader.read('root/nested/deep.png', 'image')).toString(),
    'deep',
    'relative to the working directory',
  );
  t.equal((await reader.read(`file://${join(root, 'in.png')}`, 'image')).toString(), 'inside', 'file:// URL');
  t.equal(
    (await reader.read(join(base, 'outside', 'link-in.png'), 'image')).toString(),
    'inside',
    'a link from outside to a file inside is the file inside',
  );

  t.equal(
    await codeOf(reader.read(join(base, 'outside', 'secret.png'), 'image')),
    'PATH_NOT_ALLOWED',
    'outside the root',
  );
  t.equal(
    await codeOf(reader.read(join(root, '..', 'outside', 'secret.png'), 'image')),
    'PATH_NOT_ALLOWED',
    '.. escape',
  );
  t.equal(
    await codeOf(reader.read(join(root, 'escape.png'), 'image')),
    'PATH_NOT_ALLOWED',
    'symlinked file escape',
  );
  t.equal(
    await codeOf(reader.read(join(root, 'escape-dir', 'secret.png'), 'image')),
    'PATH_NOT_ALLOWED',
    'symlinked folder escape',
  );
  t.equal(await codeOf(reader.read(join(root, 'missing.png'), 'image')), 'FILE_NOT_FOUND');
  t.equal(
    await codeOf(reader.read(join(root, 'nested'), 'image')),
    'INVALID_IMAGE',
    'a folder is not a file',
  );
});

t.test('a root that is a prefix of another folder name does not admit that folder', async (t) => {
  const base = t.testdir({ out: {}, 'out-other': { 'x.png': 'x' } });
  const reader = new InputFileReader([join(base, 'out')], 1000, base);
  t.equal(await codeOf(reader.read(join(base, 'out-other', 'x.png'), 'image')), 'PATH_NOT_ALLOWED');
});

t.test('files over the size limit are refused before reading', async (t) => {
  const base = t.testdir({});
  mkdirSync(join(base, 'root'));
  writeFileSync(join(base, 'root', 'big.png'), Buffer.alloc(2000));
  const reader = new InputFileReader([join(base, 'root')], 1000, base);
  t.equal(await codeOf(reader.read(join(base, 'root', 'big.png'), 'image')), 'PAYLOAD_TOO_LARGE');
});
