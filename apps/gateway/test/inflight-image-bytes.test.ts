import t from 'tap';
import OpenAI from 'openai';
import { imageDefect } from '@uig/core';
import { createOpenAIFake } from '@uig/testkit';
import { startGateway } from './helpers.js';

/**
 * server.maxInflightImageBytes: requests whose vendor answers do not fit wait (their
 * bodies unread) and go on as bytes are given back; none fails. Ordered by events, not
 * by time: the test holds the whole limit itself, then lets go.
 */
t.test('large answers beyond the limit queue, then all complete', async (t) => {
  // About 1.5 MB of base64 per answer, a different image each time.
  const fake = await createOpenAIFake({ zeroWork: 'large', uniqueImages: true }).start();
  t.teardown(() => fake.close());
  const limit = 2 * 1024 * 1024;
  const { runtime, url } = await startGateway(
    t,
    { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.apiBaseURL },
    { listen: true, configFile: { server: { maxInflightImageBytes: limit } } },
  );
  t.equal(runtime.inflightBytes.limit, limit);
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });

  const holder = runtime.inflightBytes.lease();
  await holder.reserve(limit);
  let finished = 0;
  const requests = Array.from({ length: 3 }, (_, index) =>
    client.images
      .generate({ model: 'gpt-image-1', prompt: `fox ${index}`, response_format: 'b64_json' } as never)
      .then((answer) => {
        finished += 1;
        return answer;
      }),
  );
  // Every vendor has answered, and every request waits to read its answer.
  while (runtime.inflightBytes.waiting < 3) await new Promise((resolve) => setTimeout(resolve, 5));
  t.equal(fake.callsTo('/images/generations').length, 3);
  t.equal(finished, 0, 'nothing is read while the limit is full');
  t.equal(runtime.inflightBytes.held, limit);

  holder.release();
  const answers = await Promise.all(requests);
  const images = answers.map((answer) => answer.data![0]!.b64_json!);
  t.equal(new Set(images).size, 3, 'three different images');
  for (const image of images) t.equal(imageDefect(Buffer.from(image, 'base64')), undefined);
  // Each answer's bytes are given back once it is written.
  while (runtime.inflightBytes.held > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  t.equal(runtime.inflightBytes.waiting, 0);
});
