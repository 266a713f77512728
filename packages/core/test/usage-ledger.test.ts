import t from 'tap';
import { readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageLedger, type RequestRecord } from '@uig/core';

const record = (time: string, client: string, images: number): RequestRecord => ({
  time,
  requestId: 'r',
  client,
  route: '/v1/images',
  kind: 'generate',
  status: 200,
  attempts: 1,
  vendorCalls: 1,
  provider: 'local',
  model: 'm',
  imagesAsked: images,
  images,
  estimatedCostUsd: 0,
  latencyMs: 1,
});

t.test("a restart reads today's image counts back from the ledger", async (t) => {
  const dir = t.testdir();
  const now = () => Date.UTC(2026, 2, 5, 18, 0, 0);
  const first = new UsageLedger(dir, now);
  await first.record(record('2026-03-05T09:00:00.000Z', 'design', 3));
  await first.record(record('2026-03-05T10:00:00.000Z', 'ops', 1));
  await first.close();
  const second = new UsageLedger(dir, now);
  t.equal(second.imagesToday('design'), 3);
  t.equal(second.imagesToday('ops'), 1);
  await second.record(record('2026-03-05T18:00:00.000Z', 'design', 2));
  t.equal(second.imagesToday('design'), 5);
  await second.close();
});

t.test('only today counts, across many chunks, and broken lines are skipped', async (t) => {
  const dir = t.testdir();
  const lines: string[] = [];
  for (let index = 0; index < 3000; index++)
    lines.push(JSON.stringify(record('2026-03-04T23:59:59.000Z', 'design', 7)));
  lines.push('{"time": "2026-03-05T00:00:01.000Z", "cli');
  for (let index = 0; index < 3000; index++)
    lines.push(JSON.stringify(record('2026-03-05T00:00:01.000Z', 'design', 1)));
  writeFileSync(join(dir, 'usage.jsonl'), `${lines.join('\n')}\n`);
  const ledger = new UsageLedger(dir, () => Date.UTC(2026, 2, 5, 12));
  t.equal(ledger.imagesToday('design'), 3000);
  t.equal(ledger.imagesToday('nobody'), 0);
  await ledger.close();
});

t.test(
  'a full disk never crashes the process or loses a line: kept, reported, written when it frees',
  async (t) => {
    const dir = t.testdir();
    const path = join(dir, 'usage.jsonl');
    // /dev/full answers every write with ENOSPC: a real full disk under the ledger's file.
    symlinkSync('/dev/full', path);
    const failures: Array<{ osCode?: string; path: string }> = [];
    const recovered: number[] = [];
    const ledger = new UsageLedger(dir, {
      now: () => Date.UTC(2026, 2, 5, 12),
      retryMs: 20,
      onFailure: (health) =>
        failures.push({ ...(health.osCode ? { osCode: health.osCode } : {}), path: health.path }),
      onRecovered: (written) => recovered.push(written),
    });
    await ledger.record(record('2026-03-05T11:00:00.000Z', 'design', 2));
    await ledger.record(record('2026-03-05T11:01:00.000Z', 'design', 1));
    t.same(failures, [{ osCode: 'ENOSPC', path }], 'reported once, with the OS code and the path');
    t.match(ledger.health(), { ok: false, osCode: 'ENOSPC', pending: 2 });
    t.equal(ledger.imagesToday('design'), 3, 'the daily count still holds');
    // Still failing at the next retries: still kept, and counted as pending even while a
    // retry is writing them (health() is what /readyz shows).
    const seen = new Set<string>();
    for (const until = Date.now() + 70; Date.now() < until; ) {
      const { ok, pending } = ledger.health();
      seen.add(JSON.stringify({ ok, pending }));
      await new Promise((resolve) => setImmediate(resolve));
    }
    t.same([...seen], [JSON.stringify({ ok: false, pending: 2 })]);
    // Space again.
    unlinkSync(path);
    for (let wait = 0; wait < 100 && recovered.length === 0; wait++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    t.same(recovered, [2]);
    t.match(ledger.health(), { ok: true, pending: 0 });
    await ledger.record(record('2026-03-05T12:00:00.000Z', 'ops', 1));
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RequestRecord);
    t.same(
      lines.map((line) => [line.client, line.images]),
      [
        ['design', 2],
        ['design', 1],
        ['ops', 1],
      ],
    );
    await ledger.close();
  },
);

t.test('record() resolves only once the line is in the file', async (t) => {
  const dir = t.testdir();
  const ledger = new UsageLedger(dir);
  await ledger.record(record('2026-03-05T09:00:00.000Z', 'design', 3));
  t.match(JSON.parse(readFileSync(join(dir, 'usage.jsonl'), 'utf8')), { client: 'design', images: 3 });
  await ledger.close();
});
