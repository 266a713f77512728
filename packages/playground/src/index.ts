import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The page's three files, ready to serve. */
export interface PlaygroundAssets {
  html: string;
  script: string;
  css: string;
}

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The playground's assets. A built package (dist/) carries them prebuilt next to this
 * module; from source (the workspace, tests) the page is bundled in memory with esbuild,
 * which takes about 50 ms, once per process.
 */
export async function loadPlaygroundAssets(): Promise<PlaygroundAssets> {
  const prebuilt = join(here, 'assets');
  try {
    const [html, script, css] = await Promise.all(
      ['index.html', 'app.js', 'app.css'].map((name) => readFile(join(prebuilt, name), 'utf8')),
    );
    return { html: html!, script: script!, css: css! };
  } catch {
    const { bundlePlayground } = await import('./bundle-playground.js');
    return bundlePlayground();
  }
}
