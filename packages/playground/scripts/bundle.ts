// `pnpm build`: writes the bundled page into dist/assets, where loadPlaygroundAssets finds it.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePlayground } from '../src/bundle-playground.js';

const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'assets');
const assets = await bundlePlayground();
await mkdir(target, { recursive: true });
await Promise.all([
  writeFile(join(target, 'index.html'), assets.html),
  writeFile(join(target, 'app.js'), assets.script),
  writeFile(join(target, 'app.css'), assets.css),
]);
