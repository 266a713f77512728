// `pnpm bundle:mcpb`: packs/uig.mcpb, the Claude Desktop extension. It holds
// mcpb/manifest.json and the packed `uig` tarball installed exactly as users install it
// (scripts/install-packed.sh), so the bundle runs the same code as `npx -y uig mcp`.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDirectory = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(packageDirectory, '..', '..');
const { version } = JSON.parse(readFileSync(join(packageDirectory, 'package.json'), 'utf8'));
const { $schema, ...manifest } = JSON.parse(
  readFileSync(join(packageDirectory, 'mcpb', 'manifest.json'), 'utf8'),
);
if (manifest.version !== version)
  throw new Error(
    `mcpb/manifest.json has version ${manifest.version}, package.json ${version}: make them equal`,
  );

execFileSync(process.execPath, [join(packageDirectory, 'scripts', 'pack.mjs')], { stdio: 'inherit' });
const tarball = join(root, 'packs', `uig-${version}.tgz`);
// Outside the checkout: npm would read the workspace's .npmrc in a folder inside it.
const stage = mkdtempSync(join(tmpdir(), 'uig-mcpb-'));
try {
  execFileSync('sh', [join(root, 'scripts', 'install-packed.sh'), stage, tarball], { stdio: 'inherit' });
  // npm's record of the install, not part of the extension.
  rmSync(join(stage, 'package.json'));
  rmSync(join(stage, 'package-lock.json'), { force: true });
  writeFileSync(join(stage, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  copyFileSync(join(root, 'LICENSE'), join(stage, 'LICENSE'));
  const output = join(root, 'packs', 'uig.mcpb');
  execFileSync('mcpb', ['pack', stage, output], { stdio: ['ignore', 'ignore', 'inherit'] });
  console.log('uig: packs/uig.mcpb');
} finally {
  rmSync(stage, { recursive: true, force: true });
}
