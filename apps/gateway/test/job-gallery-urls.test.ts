import t from 'tap';
import { realSleep } from '@uig/core';
import { startGateway } from './helpers.js';

/**
 * Jobs and the gallery hand out image URLs on the Host the client called, like the image
 * routes (packages/runtime/src/public-url.ts): a client on `http://localhost:<port>` gets
 * `localhost` URLs from `/v1/jobs…` and `GET /v1/images`, not the listen address.
 */
interface JobBody {
  id: string;
  status: string;
  result: { data: { url: string }[] } | null;
}

async function json(response: Response) {
  return { status: response.status, headers: response.headers, body: await response.json() };
}

t.test('jobs and the gallery answer with URLs on the Host the client called', async (t) => {
  const { url } = await startGateway(t, {}, { listen: true, runtime: { jobPollMs: 20 } });
  const port = new URL(url).port;
  const base = `http://localhost:${port}`;
  const onLocalhost = new RegExp(`^http://localhost:${port}/v1/images/[0-9a-f]{32}/content\\?`);

  const submitted = await json(
    await fetch(`${base}/v1/images/generations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', prefer: 'respond-async' },
      body: JSON.stringify({ prompt: 'a harbour at dusk', size: '256x256', response_format: 'url' }),
    }),
  );
  t.equal(submitted.status, 202);
  const id = (submitted.body as JobBody).id;
  t.equal(submitted.headers.get('location'), `/v1/jobs/${id}`, 'Location is relative: on the Host called');

  let job: JobBody | undefined;
  for (let tries = 0; tries < 200 && job?.status !== 'succeeded'; tries++) {
    job = (await json(await fetch(`${base}/v1/jobs/${id}`))).body as JobBody;
    if (job.status !== 'succeeded') await realSleep(20);
  }
  t.equal(job?.status, 'succeeded');
  const resultUrl = job!.result!.data[0]!.url;
  t.match(resultUrl, onLocalhost, 'GET /v1/jobs/{id}: result URL on localhost');
  const image = await fetch(resultUrl);
  t.equal(image.status, 200, 'and it serves the image');
  t.equal(image.headers.get('content-type'), 'image/png');

  const events = await (await fetch(`${base}/v1/jobs/${id}/events`)).text();
  const completed = /event: completed\ndata: (.*)\n/.exec(events);
  t.ok(completed, 'the events stream ends with completed');
  t.match(JSON.parse(completed![1]!).data[0].url, onLocalhost, 'events: completed carries localhost URLs');

  const gallery = (await json(await fetch(`${base}/v1/images?limit=5`))).body as { data: { url: string }[] };
  t.equal(gallery.data.length, 1);
  t.match(gallery.data[0]!.url, onLocalhost, 'GET /v1/images: localhost URLs');

  // The same server called on its listen address answers with that one.
  const direct = (await json(await fetch(`${url}/v1/images?limit=5`))).body as { data: { url: string }[] };
  t.match(direct.data[0]!.url, new RegExp(`^${url}/v1/images/`));
  const directJob = (await json(await fetch(`${url}/v1/jobs/${id}`))).body as JobBody;
  t.match(directJob.result!.data[0]!.url, new RegExp(`^${url}/v1/images/`));
});
