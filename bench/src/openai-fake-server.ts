import { createOpenAIFake } from '@uig/testkit';

/**
 * Child process: the testkit OpenAI fake in zero-work mode (`tiny` or `large`, the first
 * argument) with every image different (`uniqueImages`), answering after the second
 * argument's milliseconds (0: at once; 3000 for the slow-vendor cases). Prints its base
 * URL (`http://127.0.0.1:<port>/v1`) as its first line, then serves until SIGTERM.
 */
const body = process.argv[2];
const latencyMs = Number(process.argv[3] ?? 0);
if ((body !== 'tiny' && body !== 'large') || !Number.isFinite(latencyMs))
  throw new Error('usage: openai-fake-server.js tiny|large [latencyMs]');

const fake = await createOpenAIFake({ zeroWork: body, uniqueImages: true, latencyMs }).start();
// The fake records every request for tests to inspect; over a benchmark that log
// would grow by hundreds of thousands of entries and slow the fake's GC as it goes.
setInterval(() => {
  fake.requests.length = 0;
}, 500).unref();
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
process.stdout.write(`${fake.apiBaseURL}\n`);
