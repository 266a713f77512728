import { estimateCost, type CostInput, type ProviderPlugin } from '@uig/core';

/**
 * A provider's price test table (docs/accounting.md, Prices): each row is a model, what the
 * call was (size, tier, quality, images, the vendor's tokens) and the USD worked out by hand
 * from the documented price. Rows run through `estimateCost`, the one cost function answers
 * and the ledger use, against the models and chat prices the plugin itself declares.
 */
export interface PriceRow {
  model: string;
  input: CostInput;
  /** `undefined`: no price is known, and none may be guessed. */
  usd: number | undefined;
  /** The hand calculation, shown when the row fails. */
  why: string;
}

/** The part of a tap `Test` the table needs (testkit does not depend on tap). */
interface Assertions {
  equal(found: unknown, wanted: unknown, message: string): unknown;
  match(found: unknown, pattern: RegExp, message: string): unknown;
}

/**
 * Checks every row against the plugin's catalog (image models, then its prompt chat models),
 * and that each price used names the day (`YYYY-MM-DD`) and the page it was read from.
 */
export function checkPriceTable(
  t: Assertions,
  plugin: ProviderPlugin,
  rows: readonly PriceRow[],
  /** `providers.<id>.options` as the config file gives them (models declared with a price). */
  options: Record<string, unknown> = {},
): void {
  const settings = plugin.settingsSchema ? plugin.settingsSchema.parse(options) : options;
  const provider = plugin.create({
    id: plugin.type,
    baseURL: plugin.defaultBaseURL,
    fetch: () => Promise.reject(new Error('a price table never calls the vendor')),
    options: settings,
  });
  const chatPrices = plugin.promptChat?.(settings)?.prices ?? {};
  for (const row of rows) {
    const model = provider.models.find((candidate) => candidate.id === row.model);
    if (!model && !chatPrices[row.model]) throw new Error(`${plugin.type} has no model ${row.model}`);
    const price = model ? model.price : chatPrices[row.model];
    t.equal(estimateCost(price ? { price } : {}, row.input).usd, row.usd, `${row.model}: ${row.why}`);
    if (price) {
      t.match(price.readOn, /^\d{4}-\d{2}-\d{2}$/, `${row.model}: the day its price was read`);
      t.match(price.source, /\S/, `${row.model}: where its price was read`);
    }
  }
}
