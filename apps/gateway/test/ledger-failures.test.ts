import t from 'tap';
import { readFileSync, symlinkSync, unlinkSync } from 'node:fs';
import type { RequestRecord } from '@uig/core';
import { loggerOptions } from '../src/logger-options.js';
import { startGateway } from './helpers.js';
import { scriptedPlugin } from './scripted-provider.js';

/**
 * docs/operations.md "The usage ledger cannot write": a full disk under usage.jsonl
 * (here /dev/full, which answers every write with ENOSPC) is one error line with the OS
 * code and the path, /readyz names `ledger`, answers still go out, the process stays up,
 * and the kept records reach the file once the disk takes them again.
 */
t.test('a full disk under the ledger: answers go out, error log, /readyz, recovery', async (t) => {
  const lines: string[] = [];
  const { app, runtime } = await startGateway(
    t,
    { SCRIPTED_API_KEY: 'v' },
    {
      plugins: [scriptedPlugin().plugin],
      logger: loggerOptions('info', { write: (line: string) => void lines.push(line) }),
      runtime: { ledgerRetryMs: 30 },
    },
  );
  const path = runtime.ledger.path;
  symlinkSync('/dev/full', path);
  const first = await app.inject({ method: 'POST', url: '/v1/images', payload: { prompt: 'a fox' } });
  t.equal(first.statusCode, 200, 'the client still gets the image it paid for');
  const second = await app.inject({
    method: 'POST',
    url: '/v1/images',
    payload: { prompt: 'a fox', size: '1x1' },
  });
  t.equal(second.statusCode, 400);
  const logs = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  const errors = logs.filter((line) => line.level === 'error' || line.level === 50);
  t.match(
    errors,
    [{ os_code: 'ENOSPC', path, msg: /usage ledger unavailable/ }],
    'one error line, OS code and path',
  );
  const down = await app.inject({ method: 'GET', url: '/readyz' });
  t.equal(down.statusCode, 503);
  t.match(down.json(), {
    status: 'not_ready',
    ledger: { writable: false, os_code: 'ENOSPC', path, pending_records: 2 },
  });

  unlinkSync(path);
  for (let wait = 0; wait < 200 && !runtime.ledger.health().ok; wait++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  const up = await app.inject({ method: 'GET', url: '/readyz' });
  t.equal(up.statusCode, 200, 'ready again by itself');
  t.match(up.json(), { ledger: { writable: true } });
  const records = readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RequestRecord);
  t.same(
    records.map((record) => [record.requestId, record.status]),
    [
      [first.headers['x-request-id'], 200],
      [second.headers['x-request-id'], 400],
    ],
    'no record lost',
  );
});
