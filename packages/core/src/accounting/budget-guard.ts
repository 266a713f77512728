import { randomUUID } from 'node:crypto';
import type { Database } from '../database/database.js';
import { BudgetExceededError } from '../errors.js';

/** A client key's spending limits (`clients[].limits`), in USD, per UTC day and UTC month. */
export interface BudgetLimits {
  budgetUsdPerDay?: number;
  budgetUsdPerMonth?: number;
}

export interface BudgetGuardOptions {
  now?: () => number;
  /**
   * How long an unsettled reservation counts. A process that dies between reserving and
   * settling leaves its reservation; it stops counting after this (default 15 min).
   */
  reservationTtlMs?: number;
  /** A settlement that could not be written (the reservation then expires on its own). */
  onError?: (error: Error) => void;
}

/** One request's hold on its client's budget: settled once, with what the request actually cost. */
export interface BudgetReservation {
  settle(actualUsd: number): Promise<void>;
}

const roundUsd = (value: number) => Math.round(value * 1e6) / 1e6;

function periodStarts(now: number): { day: number; nextDay: number; month: number; nextMonth: number } {
  const date = new Date(now);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const day = Date.UTC(year, month, date.getUTCDate());
  return {
    day,
    nextDay: day + 86_400_000,
    month: Date.UTC(year, month, 1),
    nextMonth: Date.UTC(year, month + 1, 1),
  };
}

/**
 * Budgets (docs/accounting.md): before a request's vendor calls, its estimated cost is
 * reserved in `budget_charges`, in one transaction that first takes an advisory lock on
 * the client, sums what the client's settled charges and live reservations already hold for
 * today and this month, and refuses when the new reservation would pass a limit. Every
 * instance on one database takes the same lock, so two instances cannot both spend the
 * last dollar. After the calls the reservation is settled with the actual cost.
 */
export class BudgetGuard {
  private readonly now: () => number;
  private readonly ttlMs: number;

  constructor(
    private readonly database: Database,
    private readonly options: BudgetGuardOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.ttlMs = options.reservationTtlMs ?? 15 * 60_000;
  }

  /**
   * Reserves `estimateUsd` for the client, or throws BudgetExceededError (429, Retry-After
   * until the period resets). No limits: nothing is reserved and the database is not asked.
   */
  async reserve(
    client: string,
    limits: BudgetLimits | undefined,
    estimateUsd: number,
  ): Promise<BudgetReservation> {
    const perDay = limits?.budgetUsdPerDay;
    const perMonth = limits?.budgetUsdPerMonth;
    if (perDay === undefined && perMonth === undefined) return { settle: async () => undefined };
    const now = this.now();
    const periods = periodStarts(now);
    const id = randomUUID();
    const usd = roundUsd(Math.max(0, estimateUsd));
    await this.database.transaction(async (transaction) => {
      await transaction.query(`SELECT pg_advisory_xact_lock(hashtext('uig-budget:' || $1::text))`, [client]);
      const [spent] = await transaction.query<{ day: number; month: number }>(
        `SELECT coalesce(sum(usd) FILTER (WHERE time >= $2), 0)::float8 AS day, coalesce(sum(usd), 0)::float8 AS month
         FROM budget_charges
         WHERE client = $1 AND time >= $3 AND (settled OR expires_at > $4)`,
        [client, new Date(periods.day), new Date(periods.month), new Date(now)],
      );
      const checks = [
        {
          limit: perDay,
          used: spent!.day,
          period: 'day',
          field: 'budgetUsdPerDay',
          resetsAt: periods.nextDay,
        },
        {
          limit: perMonth,
          used: spent!.month,
          period: 'month',
          field: 'budgetUsdPerMonth',
          resetsAt: periods.nextMonth,
        },
      ];
      for (const { limit, used, period, field, resetsAt } of checks) {
        if (limit === undefined) continue;
        // A spent budget refuses even requests whose price is unknown (estimated at 0).
        if (used + usd > limit + 1e-9 || used >= limit) {
          throw new BudgetExceededError(
            `This key's budget of $${limit} per ${period} (UTC) is used up: $${roundUsd(used)} spent or reserved, and this request is estimated at $${usd}. It resets at ${new Date(resetsAt).toISOString()}.`,
            { param: `clients[].limits.${field}`, retryAfterMs: resetsAt - now },
          );
        }
      }
      await transaction.query(
        'INSERT INTO budget_charges (id, client, time, usd, settled, expires_at) VALUES ($1, $2, $3, $4, false, $5)',
        [id, client, new Date(now), usd, new Date(now + this.ttlMs)],
      );
    });
    let settled = false;
    return {
      settle: async (actualUsd: number) => {
        if (settled) return;
        settled = true;
        await this.database
          .query('UPDATE budget_charges SET usd = $2, settled = true WHERE id = $1', [
            id,
            roundUsd(Math.max(0, actualUsd)),
          ])
          .catch((error: Error) => this.options.onError?.(error));
      },
    };
  }

  /** What the client has spent or reserved today and this month (UTC). */
  async spent(client: string): Promise<{ day: number; month: number }> {
    const now = this.now();
    const periods = periodStarts(now);
    const [row] = await this.database.query<{ day: number; month: number }>(
      `SELECT coalesce(sum(usd) FILTER (WHERE time >= $2), 0)::float8 AS day, coalesce(sum(usd), 0)::float8 AS month
       FROM budget_charges WHERE client = $1 AND time >= $3 AND (settled OR expires_at > $4)`,
      [client, new Date(periods.day), new Date(periods.month), new Date(now)],
    );
    return { day: roundUsd(row!.day), month: roundUsd(row!.month) };
  }
}
