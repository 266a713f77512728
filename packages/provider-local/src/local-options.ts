import { z } from 'zod';

/**
 * `provider_options.local`. Strict: a typo is a 400, never a setting silently
 * dropped. `null` means "not given", as everywhere in the API.
 */
export const localOptionsSchema = z.strictObject({
  /**
   * Stamp the "UIG PLACEHOLDER / SEED n" plate (default true). Off is for
   * screenshots and layout mock-ups where the plate is in the way.
   */
  mark: z.boolean().nullish(),
});

export type LocalOptions = z.infer<typeof localOptionsSchema>;

/** `providers.local.options` in the config file: nothing to set yet, and a typo says so. */
export const localSettingsSchema = z.strictObject({});

export type LocalSettings = z.infer<typeof localSettingsSchema>;
