import { InvalidRequestError, PermissionDeniedError, type UsageGrouping, type UsageRow } from '@uig/core';
import type { FastifyInstance } from 'fastify';

interface UsageQuerystring {
  from?: string;
  to?: string;
  group_by?: string;
  client?: string;
  format?: string;
}

const groupings: readonly UsageGrouping[] = ['day', 'model', 'provider'];
const known = new Set(['from', 'to', 'group_by', 'client', 'format']);
const dayPattern = /^\d{4}-\d{2}-\d{2}$/;
const dayMs = 86_400_000;

/** `YYYY-MM-DD` (a whole UTC day) or an ISO 8601 time; `end` makes a day mean its end. */
function parseTime(value: string, param: string, end: boolean): Date {
  const time = Date.parse(dayPattern.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(time) || !/^\d{4}-\d{2}-\d{2}/.test(value))
    throw new InvalidRequestError(
      `${param} must be a date (2026-11-01) or an ISO 8601 time (2026-11-01T12:00:00Z); got ${JSON.stringify(value)}.`,
      { param },
    );
  return new Date(end && dayPattern.test(value) ? time + dayMs : time);
}

function parseQuery(query: UsageQuerystring, now: number) {
  for (const name of Object.keys(query)) {
    if (!known.has(name))
      throw new InvalidRequestError(`Unknown query parameter ${name}; known: ${[...known].join(', ')}.`, {
        param: name,
        code: 'UNKNOWN_PARAMETER',
      });
  }
  const today = new Date(now);
  const monthStart = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1));
  const from = query.from !== undefined ? parseTime(query.from, 'from', false) : monthStart;
  const to = query.to !== undefined ? parseTime(query.to, 'to', true) : new Date(now);
  if (to <= from) throw new InvalidRequestError('to must be after from.', { param: 'to' });
  const groupBy = (query.group_by ?? 'day') as UsageGrouping;
  if (!groupings.includes(groupBy))
    throw new InvalidRequestError(`group_by must be one of ${groupings.join(', ')}.`, { param: 'group_by' });
  const format = query.format ?? 'json';
  if (format !== 'json' && format !== 'csv')
    throw new InvalidRequestError('format must be json or csv.', { param: 'format' });
  if (query.client !== undefined && query.client.length === 0)
    throw new InvalidRequestError('client must name a client.', { param: 'client' });
  return { from, to, groupBy, format, client: query.client };
}

const csvField = (value: string | number) => {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

function entry(row: UsageRow, groupBy: UsageGrouping) {
  return {
    client: row.client,
    [groupBy]: row.key,
    requests: row.requests,
    failed_requests: row.failedRequests,
    images: row.images,
    cost_usd: row.costUsd,
    input_tokens: row.inputTokens,
    output_tokens: row.outputTokens,
  };
}

/**
 * GET /v1/usage?from=&to=&group_by=day|model|provider[&client=][&format=csv]: requests,
 * images, cost and tokens from the usage store (docs/accounting.md#the-usage-api). A client
 * key sees its own usage; the admin key (UIG_ADMIN_KEY) sees every client, or one with
 * `client=`.
 */
export async function usageRoutes(app: FastifyInstance): Promise<void> {
  const { runtime } = app.uig;
  // Access is decided here: a client key, or the admin key (which is no client key).
  app.get<{ Querystring: UsageQuerystring }>(
    '/v1/usage',
    { config: { access: 'public' } },
    async (request, reply) => {
      const admin = runtime.authenticator.isAdmin(request.headers.authorization);
      if (!admin) request.client = runtime.authenticator.authenticate(request.headers.authorization);
      const query = parseQuery(request.query, Date.now());
      if (!admin && query.client !== undefined && query.client !== (request.client?.name ?? 'anonymous'))
        throw new PermissionDeniedError('Only the admin key may read other clients’ usage.', {
          param: 'client',
          code: 'CLIENT_NOT_ALLOWED',
        });
      const client = admin ? query.client : (request.client?.name ?? 'anonymous');
      await runtime.usage.flush();
      const rows = await runtime.usage.usage({
        from: query.from,
        to: query.to,
        groupBy: query.groupBy,
        ...(client !== undefined ? { client } : {}),
      });
      const data = rows.map((row) => entry(row, query.groupBy));
      if (query.format === 'csv') {
        const columns = [
          'client',
          query.groupBy,
          'requests',
          'failed_requests',
          'images',
          'cost_usd',
          'input_tokens',
          'output_tokens',
        ];
        const lines = [
          columns.join(','),
          ...data.map((row) =>
            columns.map((column) => csvField((row as Record<string, string | number>)[column]!)).join(','),
          ),
        ];
        return reply.header('content-type', 'text/csv; charset=utf-8').send(`${lines.join('\n')}\n`);
      }
      const total = rows.reduce(
        (sum, row) => ({
          requests: sum.requests + row.requests,
          failed_requests: sum.failed_requests + row.failedRequests,
          images: sum.images + row.images,
          cost_usd: Math.round((sum.cost_usd + row.costUsd) * 1e6) / 1e6,
        }),
        { requests: 0, failed_requests: 0, images: 0, cost_usd: 0 },
      );
      return {
        object: 'usage',
        from: query.from.toISOString(),
        to: query.to.toISOString(),
        group_by: query.groupBy,
        ...(client !== undefined ? { client } : {}),
        data,
        total,
      };
    },
  );
}
