import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ProviderPlugin } from '@uig/core';
import { renderCapabilityTable, tableEnd, tableStart, withCapabilityTable } from '../src/capability-table.js';
import { providerPlugins } from '../src/provider-plugins.js';

const readme = fileURLToPath(new URL('../../../docs/providers/README.md', import.meta.url));

t.test(
  'docs/providers/README.md holds the table of the registered catalogs (run `pnpm docs:providers`)',
  async (t) => {
    const document = readFileSync(readme, 'utf8');
    t.equal(document, withCapabilityTable(document, providerPlugins), 'stale: run `pnpm docs:providers`');
    for (const plugin of providerPlugins) t.match(document, `\`${plugin.type}/`, `${plugin.type} has rows`);
  },
);

t.test(
  'the table comes from the catalogs: a model added to a plugin appears, with what it can do',
  async (t) => {
    const local = providerPlugins.find((plugin) => plugin.type === 'local')!;
    const extra: ProviderPlugin = {
      type: 'extra',
      defaultBaseURL: 'http://127.0.0.1:1',
      create: (settings) => ({
        ...local.create(settings),
        id: settings.id,
        models: [
          {
            id: 'painter-1',
            description: 'A test model.',
            capabilities: {
              generate: false,
              edit: true,
              mask: true,
              variation: true,
              maxImagesPerCall: 2,
              maxImagesPerRequest: 8,
              maxInputImages: 3,
              aspectRatios: ['1:1', '16:9'],
              seed: true,
              negativePrompt: false,
              delivery: 'url',
              maxPromptLength: 100,
            },
            lifecycle: { status: 'deprecated', shutdownDate: '2027-01-01', replacement: 'extra/painter-2' },
            price: {
              readOn: '2026-11-27',
              source: 'https://example.test/prices',
              perImage: [{ usd: 0.04, size: '1024x1024' }],
            },
          },
        ],
      }),
    };
    const table = renderCapabilityTable([extra]);
    const cells = (line: string) =>
      line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim());
    const rendered = table.split('\n');
    t.equal(rendered.length, 3, 'a header, the rule and one row');
    t.same(cells(rendered[2]!), [
      '`extra/painter-1`',
      '—',
      'yes (≤ 3 images)',
      'yes',
      'yes',
      '2 / 8',
      'ratios 1:1, 16:9',
      'yes',
      '—',
      'deprecated until 2027-01-01 → extra/painter-2',
      '$0.04/image (1024x1024) (read 2026-11-27)',
    ]);
    t.equal(new Set(rendered.map((line) => [...line].length)).size, 1, 'columns padded to one width');
    t.throws(() => withCapabilityTable('no markers here', [extra]));
    const document = `intro\n${tableStart}\nold\n${tableEnd}\nafter\n`;
    t.equal(withCapabilityTable(document, [extra]), `intro\n${tableStart}\n${table}\n${tableEnd}\nafter\n`);
  },
);
