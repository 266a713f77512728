import t from 'tap';
import { type RecordedRequest, UsageStore } from '@uig/core';
import { backends, freshDatabase } from './backends.js';

t.setTimeout(180_000);

const hex = (n: number) => n.toString(16).padStart(32, '0');

function request(overrides: Partial<RecordedRequest> & { requestId: string }): RecordedRequest {
  return {
    time: '2026-11-20T10:00:00.000Z',
    client: 'design',
    provider: 'cogview',
    model: 'cogview-4',
    images: 1,
    estimatedCostUsd: 0.01,
    latencyMs: 1200,
    route: '/v1/images',
    kind: 'generate',
    status: 200,
    ...overrides,
  };
}

for (const backend of backends) {
  t.test(`${backend}: every record is a row; the gallery pages newest first from an index`, async (t) => {
    const database = await freshDatabase(t, backend);
    const store = new UsageStore(database);
    await store.record(
      request({
        requestId: 'r1',
        time: '2026-11-20T10:00:00.000Z',
        imageIds: [hex(1), hex(2)],
        images: 2,
        estimatedCostUsd: 0.08,
        prompt: 'a cat',
      }),
    );
    await store.record(
      request({ requestId: 'r2', time: '2026-11-20T11:00:00.000Z', imageIds: [hex(3)], prompt: 'a dog' }),
    );
    await store.record(
      request({
        requestId: 'r3',
        time: '2026-11-20T12:00:00.000Z',
        images: 0,
        status: 429,
        errorCode: 'rate_limit_exceeded',
        estimatedCostUsd: 0,
      }),
    );
    await store.record(request({ requestId: 'r4', client: 'other', imageIds: [hex(4)] }));
    // The same request id again (a write sent again after a lost connection) is not a second row.
    await store.record(request({ requestId: 'r2', time: '2026-11-20T11:00:00.000Z', imageIds: [hex(3)] }));

    const rows = await database.query<{
      request_id: string;
      status: number;
      error_code: string | null;
      record: { prompt?: string };
    }>('SELECT request_id, status, error_code, record FROM usage_requests ORDER BY request_id');
    t.same(
      rows.map((row) => [row.request_id, row.status, row.error_code]),
      [
        ['r1', 200, null],
        ['r2', 200, null],
        ['r3', 429, 'rate_limit_exceeded'],
        ['r4', 200, null],
      ],
    );
    t.equal(rows[0]!.record.prompt, 'a cat', 'the whole record is kept');

    const first = await store.recentImages('design', { limit: 2 });
    t.same(
      first.images.map((image) => image.id),
      [hex(3), hex(1)],
    );
    t.equal(first.hasMore, true);
    t.same(first.images[0], {
      id: hex(3),
      time: '2026-11-20T11:00:00.000Z',
      prompt: 'a dog',
      model: 'cogview/cogview-4',
      estimatedCostUsd: 0.01,
    });
    t.equal(first.images[1]!.estimatedCostUsd, 0.04, 'the request cost shared over its images');
    const second = await store.recentImages('design', { limit: 2, before: hex(1) });
    t.same(
      second.images.map((image) => image.id),
      [hex(2)],
    );
    t.equal(second.hasMore, false);
    t.same(
      (await store.recentImages('design', { limit: 5, before: hex(4) })).images,
      [],
      "another client's image is no cursor",
    );

    // The gallery's query is an index scan (seq scans priced out: the table is tiny here).
    const plan = await database.transaction(async (transaction) => {
      await transaction.query('SET LOCAL enable_seqscan = off');
      await transaction.query('SET LOCAL enable_bitmapscan = off');
      return transaction.query<Record<string, string>>(
        `EXPLAIN SELECT image_id FROM usage_images WHERE client = 'design' ORDER BY time DESC, request_seq DESC, position LIMIT 3`,
      );
    });
    t.match(
      plan.map((row) => Object.values(row).join(' ')).join('\n'),
      /Index (Only )?Scan using usage_images_gallery/,
    );
  });

  t.test(`${backend}: usage grouped by day, model and provider, per client`, async (t) => {
    const database = await freshDatabase(t, backend);
    const store = new UsageStore(database);
    await Promise.all([
      store.record(
        request({
          requestId: 'a',
          time: '2026-11-01T00:00:00.000Z',
          estimatedCostUsd: 0.5,
          inputTokens: 10,
          outputTokens: 100,
        }),
      ),
      store.record(
        request({
          requestId: 'b',
          time: '2026-11-01T23:59:59.000Z',
          provider: 'openai',
          model: 'gpt-image-1',
          images: 2,
          estimatedCostUsd: 0.25,
        }),
      ),
      store.record(
        request({
          requestId: 'c',
          time: '2026-11-02T08:00:00.000Z',
          images: 0,
          status: 502,
          errorCode: 'upstream_error',
          estimatedCostUsd: 0,
        }),
      ),
      store.record(
        request({ requestId: 'd', time: '2026-11-02T09:00:00.000Z', client: 'other', estimatedCostUsd: 1 }),
      ),
      store.record(request({ requestId: 'e', time: '2026-12-01T00:00:00.000Z', estimatedCostUsd: 9 })),
    ]);
    const range = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') };
    const byDay = await store.usage({ ...range, groupBy: 'day', client: 'design' });
    t.same(byDay, [
      {
        client: 'design',
        key: '2026-11-01',
        requests: 2,
        failedRequests: 0,
        images: 3,
        costUsd: 0.75,
        inputTokens: 10,
        outputTokens: 100,
      },
      {
        client: 'design',
        key: '2026-11-02',
        requests: 1,
        failedRequests: 1,
        images: 0,
        costUsd: 0,
        inputTokens: 0,
        outputTokens: 0,
      },
    ]);
    const byModel = await store.usage({ ...range, groupBy: 'model' });
    t.same(
      byModel.map((row) => [row.client, row.key, row.requests, row.costUsd]),
      [
        ['design', 'cogview/cogview-4', 2, 0.5],
        ['design', 'openai/gpt-image-1', 1, 0.25],
        ['other', 'cogview/cogview-4', 1, 1],
      ],
    );
    const byProvider = await store.usage({ ...range, groupBy: 'provider', client: 'other' });
    t.same(
      byProvider.map((row) => [row.key, row.images]),
      [['cogview', 1]],
    );
  });
}

for (const backend of backends) {
  t.test(
    `${backend}: concurrent records share a statement; a refused one costs the others nothing`,
    async (t) => {
      const database = await freshDatabase(t, backend);
      const statements: string[] = [];
      const query = database.query.bind(database);
      database.query = (text, values) => {
        if (/INSERT INTO usage_requests/.test(text)) statements.push(text);
        return query(text, values);
      };
      const failed: string[] = [];
      const store = new UsageStore(database, (_error, requestId) => failed.push(requestId));
      const ids = Array.from({ length: 40 }, (_, index) => `batch-${index}`);
      await Promise.all(
        ids.map((requestId, index) =>
          store.record(
            request({ requestId, imageIds: [hex(100 + index * 2), hex(101 + index * 2)], images: 2 }),
          ),
        ),
      );
      t.equal(statements.length, 1, '40 records written at once went in one statement');
      const counted = await database.query<{ requests: number; images: number }>(
        `SELECT (SELECT count(*)::int FROM usage_requests) AS requests, (SELECT count(*)::int FROM usage_images) AS images`,
      );
      t.same(counted, [{ requests: 40, images: 80 }]);

      // PostgreSQL refuses a NUL character in text: that record alone is reported, the rest are rows.
      statements.length = 0;
      await Promise.all([
        store.record(request({ requestId: 'good-1', imageIds: [hex(900)] })),
        store.record(request({ requestId: 'bad', prompt: 'a \u0000 cat', imageIds: [hex(901)] })),
        store.record(request({ requestId: 'good-2', imageIds: [hex(902)] })),
      ]);
      t.same(failed, ['bad']);
      const rows = await database.query<{ request_id: string }>(
        `SELECT request_id FROM usage_requests WHERE request_id IN ('good-1', 'bad', 'good-2') ORDER BY request_id`,
      );
      t.same(
        rows.map((row) => row.request_id),
        ['good-1', 'good-2'],
      );
      t.same((await store.recentImages('design', { limit: 2 })).images.map((image) => image.id).sort(), [
        hex(900),
        hex(902),
      ]);
      t.equal(statements.length, 4, 'the batch, then each of its three records alone');
    },
  );
}
