import { InvalidRequestError, PermissionDeniedError, type UsageGrouping, type UsageRow } from '@uig/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { errorResponses } from '../error-responses.js';

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
const totals = {
  requests: z.number().int(),
  failed_requests: z.number().int(),
  images: z.number().int(),
  cost_usd: z.number().describe('From list prices; an estimate, not a bill.'),
};

// The handler checks the query itself (its own words for each field, unknown names refused);
// the schema states it for the document, as loose strings so nothing is judged twice.
const schema = {
  summary: 'Usage and cost: the key’s own, or with the admin key every client’s',
  operationId: 'getUsage',
  tags: ['usage'],
  security: [{ clientKey: [] }, { adminKey: [] }] as Array<Record<string, string[]>>,
  querystring: z
    .object({
      from: z
        .string()
        .optional()
        .describe('A date (2026-11-01) or an ISO 8601 time; default: the month’s start.'),
      to: z.string().optional().describe('A date (its whole day counts) or an ISO 8601 time; default: now.'),
      group_by: z.string().optional().describe('day, model or provider; default: day.'),
      client: z.string().optional().describe('Admin key: one client; a client key: only its own name.'),
      format: z.string().optional().describe('json or csv; default: json.'),
    })
    .loose(),
  response: {
    200: {
      description: 'The usage rows and their total (JSON), or the rows as CSV with format=csv.',
      content: {
        'application/json': {
          schema: z
            .object({
              object: z.literal('usage'),
              from: z.string(),
              to: z.string(),
              group_by: z.enum(['day', 'model', 'provider']),
              client: z.string().optional(),
              data: z.array(
                z
                  .object({
                    client: z.string(),
                    ...totals,
                    input_tokens: z.number().int(),
                    output_tokens: z.number().int(),
                  })
                  .loose()
                  .describe('One row per client and group (its key is named by group_by).'),
              ),
              total: z.object(totals),
            })
            .meta({ id: 'Usage' }),
        },
        'text/csv': { schema: z.string() },
      },
    },
    ...errorResponses([400, 401, 403], {
      403: 'A client key asked for another client (client_not_allowed).',
    }),
  },
};

export async function usageRoutes(app: FastifyInstance): Promise<void> {
  const { runtime } = app.uig;
  // Access is decided here: a client key, or the admin key (which is no client key).
  app.get<{ Querystring: UsageQuerystring }>(
    '/v1/usage',
    { config: { access: 'public' }, schema },
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
