import t from 'tap';
import { writeFileSync } from 'node:fs';
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
