import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createDatabase, type Database, type RequestRecord, UsageStore } from '@uig/core';

/**
 * What one usage row costs the process that owns the embedded database (PGlite runs in
 * it), in CPU µs per record, for the levers named after issue 21's run:
 * - as shipped: `pg` over the owner's own socket, the schema of the migrations;
 * - PGlite's own `query` API instead of `pg` and the socket (same schema, same SQL);
 * - as shipped without the images' foreign key and two indexes (`usage_requests (time)`,
 *   `usage_images (client, image_id)`).
 *
 * Each round hands `UsageStore.record` n records at once, as n requests ending together
 * would: the first goes alone (an idle store writes at once), the other n − 1 in the next
 * statement (group commit).
 */
export interface UsageRowCost {
  variant: string;
  /** Records handed over at once. */
  together: number;
  /** CPU µs per record, one figure per round. */
  rounds: number[];
}

const variants = [
  'pg over the owner socket (as shipped)',
  "PGlite's query API",
  'as shipped, without the foreign key and two indexes',
] as const;

function record(): RequestRecord {
  const requestId = randomUUID();
  return {
    time: new Date().toISOString(),
    requestId,
    client: 'bench',
    route: '/v1/images/generations',
    kind: 'generate',
    status: 200,
    attempts: 1,
    vendorCalls: 1,
    modelAsked: 'openai/gpt-image-1',
    modelResolved: 'openai/gpt-image-1',
    provider: 'openai',
    model: 'gpt-image-1',
    imagesAsked: 1,
    images: 1,
    estimatedCostUsd: 0.042,
    prompt: 'a red fox in fresh snow, morning light',
    imageIds: [`${requestId.replaceAll('-', '')}${'0'.repeat(32)}`],
    vendorRequestIds: ['req_0123456789abcdef'],
    latencyMs: 12,
  };
}

/** PGlite's own API behind the Database interface (only what UsageStore calls). */
function directDatabase(pglite: PGlite): Database {
  const query = async <Row extends object>(text: string, values?: unknown[]) =>
    (await pglite.query<Row>(text, values)).rows;
  return {
    kind: 'pglite',
    ready: async () => undefined,
    query,
    transaction: (work) =>
      pglite.transaction((transaction) =>
        work({
          query: async <Row extends object>(text: string, values?: unknown[]) =>
            (await transaction.query<Row>(text, values)).rows,
        }),
      ),
    close: () => pglite.close(),
  };
}

async function openVariant(variant: (typeof variants)[number], dataDir: string): Promise<Database> {
  const shipped = createDatabase({ dataDir });
  await shipped.ready();
  if (variant === variants[0]) return shipped;
  if (variant === variants[2]) {
    await shipped.query(`ALTER TABLE usage_images DROP CONSTRAINT usage_images_request_id_fkey;
      DROP INDEX usage_requests_time; DROP INDEX usage_images_id`);
    return shipped;
  }
  // The migrated folder, opened by PGlite directly once its owner has closed it.
  await shipped.close();
  return directDatabase(await PGlite.create(join(dataDir, 'usage-db')));
}

async function cpuPerRecord(store: UsageStore, together: number, records: number): Promise<number> {
  const round = () => Promise.all(Array.from({ length: together }, () => store.record(record())));
  for (let index = 0; index < Math.max(3, 300 / together); index++) await round();
  const rounds = Math.max(1, Math.round(records / together));
  const start = process.cpuUsage();
  for (let index = 0; index < rounds; index++) await round();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / (rounds * together);
}

export async function measureUsageRowCost(rounds: number, records: number): Promise<UsageRowCost[]> {
  const results: UsageRowCost[] = [];
  for (const variant of variants) {
    const dataDir = await mkdtemp(join(tmpdir(), 'uig-bench-usage-'));
    const database = await openVariant(variant, dataDir);
    try {
      const store = new UsageStore(database, (error) => {
        throw error;
      });
      for (const together of [1, 16, 64]) {
        const entry: UsageRowCost = { variant, together, rounds: [] };
        for (let round = 0; round < rounds; round++)
          entry.rounds.push(await cpuPerRecord(store, together, records));
        results.push(entry);
      }
    } finally {
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  return results;
}

export function usageRowTable(costs: UsageRowCost[]): string {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const lines = [
    '| how | records at once | CPU µs per record (each round) | median | × as shipped |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const cost of costs) {
    const shipped = costs.find((entry) => entry.variant === variants[0] && entry.together === cost.together)!;
    lines.push(
      `| ${cost.variant} | ${cost.together} | ${cost.rounds.map((value) => Math.round(value)).join(' / ')} | ${Math.round(median(cost.rounds))} | ${(median(cost.rounds) / median(shipped.rounds)).toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}
