import t, { type Test } from 'tap';
import { loadConfig } from '@uig/core';
import { createRuntime } from '@uig/runtime';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { loggerOptions } from '../src/logger-options.js';
import { startGateway } from './helpers.js';
import { scriptedPlugin } from './scripted-provider.js';

/**
 * docs/operations.md "The image store cannot write": a full, read-only or forbidden disk
 * is a 503 storage_unavailable with Retry-After and an error log line naming the OS code
 * (never a 500, never blamed on the vendor); b64_json answers still deliver what the
 * vendor made; /readyz says `storage` until a write probe succeeds again.
 */
async function gatewayOnFailingDisk(t: Test) {
  const lines: string[] = [];
  let failing: string | undefined = 'ENOSPC';
  let now = Date.now();
  const scripted = scriptedPlugin();
  const gateway = await startGateway(
    t,
    { SCRIPTED_API_KEY: 'v' },
    {
      plugins: [scripted.plugin],
      logger: loggerOptions('info', { write: (line: string) => void lines.push(line) }),
      runtime: {
        imageStore: {
          now: () => now,
          writeFile: async (path, data) => {
            if (failing) throw Object.assign(new Error(`${failing}: simulated`), { code: failing });
            await writeFile(path, data);
          },
        },
      },
    },
  );
  return {
    ...gateway,
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    heal: () => {
      failing = undefined;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

t.test('URL answers: 503 storage_unavailable, Retry-After, one error line with the OS code', async (t) => {
  const { app, logs } = await gatewayOnFailingDisk(t);
  for (const [url, payload] of [
    ['/v1/images/generations', { prompt: 'a fox', response_format: 'url' }],
    ['/v1/images', { prompt: 'a fox' }],
  ] as const) {
    const response = await app.inject({
      method: 'POST',
      url,
      payload,
      headers: { 'x-request-id': `disk-${url.length}` },
    });
    t.equal(response.statusCode, 503, url);
    t.match(response.json(), {
      error: { type: 'server_error', code: 'storage_unavailable', param: null },
      request_id: `disk-${url.length}`,
    });
    t.notOk(response.json().error.provider, 'not attributed to the vendor');
    t.ok(Number(response.headers['retry-after']) > 0, 'Retry-After');
    const line = logs().find((entry) => entry.request_id === `disk-${url.length}` && entry.level === 50);
    t.match(line, { msg: 'image store unavailable', os_code: 'ENOSPC', path: /images/ });
  }
  t.notOk(
    logs().some((entry) => entry.msg === 'request failed upstream'),
    'nothing says the vendor failed',
  );
});

t.test('b64_json answers deliver the images the vendor made, with a not_stored warning', async (t) => {
  const { app, logs } = await gatewayOnFailingDisk(t);
  const native = await app.inject({
    method: 'POST',
    url: '/v1/images',
    payload: { prompt: 'a fox', n: 2, response_format: 'b64_json' },
    headers: { 'x-request-id': 'b64-native' },
  });
  t.equal(native.statusCode, 200);
  const body = native.json();
  t.equal(body.data.length, 2);
  for (const image of body.data) {
    t.ok(Buffer.from(image.b64_json, 'base64').length > 0);
    t.notOk(image.url, 'no URL to an image that was not kept');
  }
  t.match(body.warnings, [{ type: 'not_stored', feature: 'storage' }]);
  t.match(
    logs().find((entry) => entry.request_id === 'b64-native' && entry.level === 50),
    { os_code: 'ENOSPC' },
    'logged at error level even though the answer is 200',
  );
  const openai = await app.inject({
    method: 'POST',
    url: '/v1/images/generations',
    payload: { prompt: 'a fox', response_format: 'b64_json' },
  });
  t.equal(openai.statusCode, 200);
  t.ok(openai.json().data[0].b64_json);
  t.match(openai.json().warnings, [{ type: 'not_stored' }]);
});

t.test('/readyz names storage while the write probe fails, and recovers by itself', async (t) => {
  const { app, heal, advance } = await gatewayOnFailingDisk(t);
  const down = await app.inject({ method: 'GET', url: '/readyz' });
  t.equal(down.statusCode, 503);
  t.match(down.json(), { status: 'not_ready', storage: { writable: false, os_code: 'ENOSPC' } });
  heal();
  advance(10_000);
  const up = await app.inject({ method: 'GET', url: '/readyz' });
  t.equal(up.statusCode, 200);
  t.match(up.json(), { status: 'ready', storage: { writable: true } });
  const image = await app.inject({ method: 'POST', url: '/v1/images', payload: { prompt: 'a fox' } });
  t.equal(image.statusCode, 200, 'image requests work again without a restart');
});

t.test('deleting the images folder while serving: every request still stored and served', async (t) => {
  const { app, runtime } = await startGateway(
    t,
    { SCRIPTED_API_KEY: 'v' },
    { plugins: [scriptedPlugin().plugin] },
  );
  for (let index = 0; index < 20; index++) {
    if (index % 4 === 1) rmSync(runtime.store.location, { recursive: true, force: true });
    const response = await app.inject({
      method: 'POST',
      url: '/v1/images',
      payload: { prompt: `fox ${index}` },
    });
    t.equal(response.statusCode, 200, `request ${index}`);
    const url = new URL(response.json().data[0].url);
    const content = await app.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
    t.equal(content.statusCode, 200, `image ${index} is there`);
  }
});

t.test('a restart removes the temporary files a killed process left in the images folder', async (t) => {
  const dir = t.testdir();
  const shard = join(dir, 'data', 'images', '0a');
  mkdirSync(shard, { recursive: true });
  const id = '0a'.repeat(16);
  writeFileSync(join(shard, `${id}.png`), 'an image');
  for (let index = 0; index < 16; index++)
    writeFileSync(join(shard, `.${id}.4194321.${'c'.repeat(12)}${index}.tmp`), 'half');
  const lines: string[] = [];
  const config = loadConfig({
    env: { UIG_DATA_DIR: join(dir, 'data'), SCRIPTED_API_KEY: 'v' },
    plugins: [scriptedPlugin().plugin],
  });
  const runtime = createRuntime(config);
  const app = await buildApp({
    runtime,
    logger: loggerOptions('info', { write: (line: string) => void lines.push(line) }),
  });
  t.teardown(async () => {
    await app.close();
    await runtime.close();
  });
  t.equal(await runtime.startup, 16);
  t.same(readdirSync(shard), [`${id}.png`]);
  t.match(
    lines.map((line) => JSON.parse(line)),
    [{ level: 40, removed: 16, msg: /temporary image files/ }],
  );
});
