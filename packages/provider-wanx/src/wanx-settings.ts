import { z } from 'zod';
import { wanxRegions } from './wanx-regions.js';

/**
 * `providers.wanx.options` in the config file. The poll schedule starts at
 * `pollInitialIntervalMs` and doubles every `pollDoublingEvery` polls up to
 * `pollMaxIntervalMs` (docs/providers/wanx.md §4.6: the Python SDK starts at 1 s, doubles every 3 polls, caps
 * at 5 s; we double every poll by default, so a slow task costs fewer requests sooner).
 */
export const wanxSettingsSchema = z
  .strictObject({
    /** The host for credentials without their own base URL; an explicit `baseURL` wins. */
    region: z.enum(wanxRegions).optional(),
    /** docs/providers/wanx.md §4.1: sent as `X-DashScope-WorkSpace` when set. */
    workspaceId: z.string().min(1).optional(),
    pollInitialIntervalMs: z.number().int().min(10).max(60_000).default(1_000),
    pollMaxIntervalMs: z.number().int().min(10).max(60_000).default(5_000),
    pollDoublingEvery: z.number().int().min(1).max(100).default(1),
    /**
     * Give up on a task after this long, and cancel it if it is still PENDING.
     * docs/providers/wanx.md §4.8: text-to-image takes 1–3 min including queueing; the ECNU provider waits 300 s (docs/providers/wanx.md §4.6).
     */
    taskDeadlineMs: z.number().int().min(1_000).max(3_600_000).default(300_000),
  })
  .refine((settings) => settings.pollMaxIntervalMs >= settings.pollInitialIntervalMs, {
    path: ['pollMaxIntervalMs'],
    message: 'must be at least pollInitialIntervalMs',
  });

export type WanxSettings = z.infer<typeof wanxSettingsSchema>;
