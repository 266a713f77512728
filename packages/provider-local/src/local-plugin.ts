import type { ProviderPlugin } from '@uig/core';
import { localSettingsSchema } from './local-options.js';
import { createLocalProvider } from './local-provider.js';

/** How the apps wire the local provider in (docs/configuration.md: always available, needs no key, no env). */
export const localPlugin: ProviderPlugin = {
  type: 'local',
  defaultBaseURL: '',
  settingsSchema: localSettingsSchema,
  keyless: true,
  create: createLocalProvider,
};
