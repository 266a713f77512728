import { loadConfig } from '@uig/core';
import { createRuntime, providerPlugins } from '@uig/runtime';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { buildApp } from '../src/app.js';

/**
 * Writes the document GET /openapi.json serves to the file named on the command line:
 * the app is built as the server builds it (on a throwaway data folder, no vendor keys,
 * nothing listening), so `pnpm lint:openapi` lints exactly what clients get.
 */
const target = resolve(process.argv[2] ?? 'openapi.json');
const dataDir = mkdtempSync(join(tmpdir(), 'uig-openapi-'));
try {
  const runtime = createRuntime(loadConfig({ env: { UIG_DATA_DIR: dataDir }, plugins: providerPlugins }));
  const app = await buildApp({ runtime });
  const response = await app.inject({ method: 'GET', url: '/openapi.json' });
  await app.close();
  await runtime.close();
  if (response.statusCode !== 200) throw new Error(`GET /openapi.json answered ${response.statusCode}`);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, response.body);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
