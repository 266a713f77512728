import { z } from 'zod';

/** `providers.stability.options` in the config file. */
export const stabilitySettingsSchema = z.strictObject({
  /** docs/providers/stability.md §8.1: sent as `stability-client-id` (≤ 256 characters) to label the app. */
  clientId: z.string().min(1).max(256).optional(),
});
