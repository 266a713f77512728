/**
 * Serves one vendor fake on a fixed loopback port, to try the gateway by hand:
 *   node --conditions=uig-source --import tsx packages/testkit/src/serve-fake.ts cogview 9100
 * then start the gateway with that vendor's key and base URL (printed here).
 */
import { createBflFake } from './bfl/bfl-fake.js';
import { createCogviewFake } from './cogview/cogview-fake.js';
import { createDashScopeFake } from './dashscope/dashscope-fake.js';
import { createGeminiFake } from './gemini/gemini-fake.js';
import { createOpenAIFake } from './openai/openai-fake.js';
import { createSeedreamFake } from './seedream/seedream-fake.js';
import { createStabilityFake } from './stability/stability-fake.js';

const fakes = {
  cogview: { create: createCogviewFake, env: 'ZHIPU' },
  openai: { create: createOpenAIFake, env: 'OPENAI' },
  gemini: { create: createGeminiFake, env: 'GEMINI' },
  dashscope: { create: createDashScopeFake, env: 'DASHSCOPE' },
  bfl: { create: createBflFake, env: 'BFL' },
  stability: { create: createStabilityFake, env: 'STABILITY' },
  seedream: { create: createSeedreamFake, env: 'ARK' },
} as const;

const [name, portText = '0'] = process.argv.slice(2);
const entry = fakes[name as keyof typeof fakes];
if (!entry || !/^\d+$/.test(portText)) {
  process.stderr.write(`usage: serve-fake.ts <${Object.keys(fakes).join('|')}> [port]\n`);
  process.exit(2);
}
const fake = await entry.create().start(Number(portText));
process.stdout.write(
  `${name} fake listening: ${entry.env}_API_KEY=any ${entry.env}_BASE_URL=${fake.apiBaseURL}\n`,
);
const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
