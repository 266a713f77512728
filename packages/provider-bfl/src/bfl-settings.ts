import { z } from 'zod';
import { bflRegions } from './bfl-regions.js';

/**
 * `providers.bfl.options` in the config file. docs/providers/bfl.md §7.4: the AI SDK polls
 * every 500 ms and gives up after 60 s; BFL suggests 0.5–10 s. We start at 500 ms and
 * double up to 5 s, so a slow task costs few polls.
 */
export const bflSettingsSchema = z
  .strictObject({
    /** The host for credentials without their own base URL; an explicit `baseURL` wins. */
    region: z.enum(bflRegions).optional(),
    pollInitialIntervalMs: z.number().int().min(10).max(60_000).default(500),
    pollMaxIntervalMs: z.number().int().min(10).max(60_000).default(5_000),
    /** Give up on a task after this long (docs/providers/bfl.md §7.7: seconds typically). */
    taskDeadlineMs: z.number().int().min(1_000).max(3_600_000).default(120_000),
  })
  .refine((settings) => settings.pollMaxIntervalMs >= settings.pollInitialIntervalMs, {
    path: ['pollMaxIntervalMs'],
    message: 'must be at least pollInitialIntervalMs',
  });
