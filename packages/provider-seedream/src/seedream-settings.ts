import { z } from 'zod';
import { seedreamRegions } from './seedream-regions.js';

/** `providers.seedream.options` in the config file. */
export const seedreamSettingsSchema = z.strictObject({
  /** The host when no explicit base URL is set (docs/providers/seedream.md §11.1). */
  region: z.enum(seedreamRegions).optional(),
  /**
   * docs/providers/seedream.md §11.2: Volcengine Ark (CN) ids start with `doubao-`, BytePlus
   * ids do not. Default: `cn` on a `volces.com` host, `intl` elsewhere.
   */
  modelIds: z.enum(['cn', 'intl']).optional(),
});
