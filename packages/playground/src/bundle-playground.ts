import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlaygroundAssets } from './index.js';

const browserSource = join(dirname(fileURLToPath(import.meta.url)), 'browser');

/** Bundles src/browser with esbuild (a dev dependency: built packages ship dist/assets). */
export async function bundlePlayground(): Promise<PlaygroundAssets> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(browserSource, 'app.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const [html, css] = await Promise.all([
    readFile(join(browserSource, 'index.html'), 'utf8'),
    readFile(join(browserSource, 'app.css'), 'utf8'),
  ]);
  return { html, css, script: result.outputFiles[0]!.text };
}
