import t from 'tap';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { closeGracefully } from '../src/shutdown.js';
import { startGateway } from './helpers.js';
import { scriptedPlugin, triggers } from './scripted-provider.js';

const listFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [entry.name],
  );

t.test(
  'on close the gateway stops accepting, finishes in-flight requests, then releases the runtime',
  async (t) => {
    const scripted = scriptedPlugin();
    const { app, runtime, url } = await startGateway(
      t,
      { SCRIPTED_API_KEY: 'v' },
      { plugins: [scripted.plugin], listen: true },
    );
    const inFlight = fetch(`${url}/v1/images`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: triggers.hold, n: 2 }),
    });
    await scripted.held();
    const closing = closeGracefully(app, runtime, 5000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const late = await fetch(`${url}/healthz`).then(
      (response) => response.status,
      (error: Error) => error,
    );
    t.ok(late instanceof Error || late === 503, 'a new request is not served');
    scripted.release();
    const response = await inFlight;
    t.equal(response.status, 200, 'the in-flight request completed');
    const body = (await response.json()) as { data: { id: string }[] };
    t.equal(body.data.length, 2);
    t.equal(await closing, 'drained');
    const files = listFiles(runtime.store.location);
    t.same(
      files.filter((name) => name.endsWith('.tmp')),
      [],
      'no partial files',
    );
    for (const image of body.data) t.ok(files.includes(`${image.id}.png`), `${image.id} is on disk`);
    t.ok((await runtime.store.read(body.data[0]!.id))!.data.length > 0);
  },
);

t.test('requests still running after the grace period have their connections cut', async (t) => {
  const scripted = scriptedPlugin();
  const { app, runtime, url } = await startGateway(
    t,
    { SCRIPTED_API_KEY: 'v' },
    { plugins: [scripted.plugin], listen: true },
  );
  t.teardown(() => scripted.release());
  const stuck = fetch(`${url}/v1/images`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: triggers.hold }),
  }).then(
    (response) => response.status,
    (error: Error) => error,
  );
  await scripted.held();
  const started = Date.now();
  t.equal(await closeGracefully(app, runtime, 100), 'forced');
  t.ok(Date.now() - started < 3000, 'bounded by the grace period');
  t.ok((await stuck) instanceof Error, 'the stuck client saw its connection close');
});

t.test('readyz answers 503 once closing has begun', async (t) => {
  const { app } = await startGateway(t, { SCRIPTED_API_KEY: 'v' }, { plugins: [scriptedPlugin().plugin] });
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
  app.uig.closing = true;
  const response = await app.inject({ method: 'GET', url: '/readyz' });
  t.equal(response.statusCode, 503);
  t.match(response.json(), { status: 'not_ready', closing: true });
  app.uig.closing = false;
});
