import t from 'tap';
import { BudgetGuard } from '@uig/core';
import { backends, freshDatabase } from './backends.js';

t.setTimeout(180_000);

for (const backend of backends) {
  t.test(
    `${backend}: reservations count until settled; over budget is 429 budget_exceeded until the reset`,
    async (t) => {
      const database = await freshDatabase(t, backend);
      let now = Date.parse('2026-11-27T22:00:00Z');
      const guard = new BudgetGuard(database, { now: () => now, reservationTtlMs: 60_000 });
      const limits = { budgetUsdPerDay: 1, budgetUsdPerMonth: 1.5 };
      const first = await guard.reserve('design', limits, 0.6);
      // Reserved, not settled yet: a second 0.6 would pass the day's 1.
      await t.rejects(guard.reserve('design', limits, 0.6), {
        code: 'BUDGET_EXCEEDED',
        status: 429,
        retryAfterMs: 2 * 3_600_000,
        param: 'clients[].limits.budgetUsdPerDay',
      });
      // Settled lower than estimated: room again.
      await first.settle(0.3);
      t.same(await guard.spent('design'), { day: 0.3, month: 0.3 });
      const second = await guard.reserve('design', limits, 0.6);
      await second.settle(0.7);
      await t.rejects(
        guard.reserve('design', limits, 0),
        { code: 'BUDGET_EXCEEDED' },
        'a spent budget refuses unpriced requests too',
      );
      // Another client, or none of these limits: untouched.
      await (await guard.reserve('other', limits, 0.9)).settle(0.9);
      await (await guard.reserve('design', undefined, 100)).settle(100);
      // The next UTC day: the day budget resets, the month's does not.
      now = Date.parse('2026-11-28T01:00:00Z');
      const third = await guard.reserve('design', limits, 0.4);
      await t.rejects(guard.reserve('design', limits, 0.2), {
        code: 'BUDGET_EXCEEDED',
        param: 'clients[].limits.budgetUsdPerMonth',
        retryAfterMs: Date.parse('2026-12-01T00:00:00Z') - now,
      });
      await third.settle(0.4);
      // A reservation never settled (its process died) stops counting after its TTL.
      now = Date.parse('2026-12-02T10:00:00Z');
      await guard.reserve('design', { budgetUsdPerDay: 1 }, 0.9);
      await t.rejects(guard.reserve('design', { budgetUsdPerDay: 1 }, 0.2), { code: 'BUDGET_EXCEEDED' });
      now += 61_000;
      await guard.reserve('design', { budgetUsdPerDay: 1 }, 0.2);
    },
  );

  t.test(`${backend}: concurrent reservations never pass the budget together`, async (t) => {
    const database = await freshDatabase(t, backend);
    const guards = [new BudgetGuard(database), new BudgetGuard(database)];
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) =>
        guards[index % 2]!.reserve('design', { budgetUsdPerDay: 1 }, 0.1),
      ),
    );
    t.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 10);
    t.equal((await guards[0]!.spent('design')).day, 1);
  });
}
