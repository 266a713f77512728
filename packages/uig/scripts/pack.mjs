// `pnpm pack:all`: bundles the `uig` command and writes packs/uig-<version>.tgz, the
// one published package. Its package.json is this package's, with the workspace-only
// fields dropped and `dependencies` = the third-party packages the bundle imports.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from './bundle.mjs';

const packageDirectory = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(packageDirectory, '..', '..');
const packs = join(root, 'packs');

/**
 * The workspace's pnpm overrides (pnpm-workspace.yaml), which keep dependencies of
 * dependencies on versions that run on Node 20. npm ignores `overrides` in a dependency's
 * package.json, so the published package lists them as dependencies of its own: npm then
 * installs them once at the top, and the packages that need them take that copy.
 */
function workspaceOverrides() {
  const text = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const block = text.match(/^overrides:\n((?:[ \t]+.*\n?)*)/m)?.[1] ?? '';
  return Object.fromEntries(
    [...block.matchAll(/^[ \t]+['"]?([^'":\s]+)['"]?:[ \t]*['"]?([^'"\s#]+)/gm)].map((match) => [
      match[1],
      match[2],
    ]),
  );
}

const dependencies = { ...(await bundle()), ...workspaceOverrides() };
const { devDependencies, scripts, tap, ...manifest } = JSON.parse(
  readFileSync(join(packageDirectory, 'package.json'), 'utf8'),
);
const stage = mkdtempSync(join(tmpdir(), 'uig-pack-'));
try {
  cpSync(join(packageDirectory, 'dist'), join(stage, 'dist'), { recursive: true });
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify({ ...manifest, dependencies }, null, 2)}\n`);
  for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md'])
    copyFileSync(join(root, file), join(stage, file));
  mkdirSync(packs, { recursive: true });
  const name = execFileSync('npm', ['pack', '--pack-destination', packs, '--loglevel=error'], {
    cwd: stage,
    encoding: 'utf8',
  }).trim();
  console.log(`uig: packs/${name}`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
