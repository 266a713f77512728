/**
 * `pnpm docs:providers`: rewrites the capability table in docs/providers/README.md from the
 * registered provider plugins' catalogs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withCapabilityTable } from '../src/capability-table.js';
import { providerPlugins } from '../src/provider-plugins.js';

const path = fileURLToPath(new URL('../../../docs/providers/README.md', import.meta.url));
const before = readFileSync(path, 'utf8');
const after = withCapabilityTable(before, providerPlugins);
if (after !== before) writeFileSync(path, after);
process.stdout.write(`${path}: ${after === before ? 'up to date' : 'rewritten'}\n`);
