import { createOpenAIFake } from '@uig/testkit';
import { addUniqueImageRoute } from './unique-image-route.js';

/**
 * Child process: the testkit OpenAI fake in zero-work mode (`tiny` or `large`, the
 * first argument), plus the unique-image path. Prints the base URL every target
 * uses (`http://127.0.0.1:<port>/bench/v1`) as its first line, then serves until
 * SIGTERM.
 */
const body = process.argv[2];
if (body !== 'tiny' && body !== 'large') throw new Error('usage: openai-fake-server.js tiny|large');

const fake = await createOpenAIFake({ zeroWork: body }).start();
const baseURL = await addUniqueImageRoute(fake);
// The fake records every request for tests to inspect; over a benchmark that log
// would grow by hundreds of thousands of entries and slow the fake's GC as it goes.
setInterval(() => {
  fake.requests.length = 0;
}, 500).unref();
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
process.stdout.write(`${baseURL}\n`);
