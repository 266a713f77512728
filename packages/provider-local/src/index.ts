export { createLocalProvider } from './local-provider.js';
export { localPlugin } from './local-plugin.js';
export { localModels, defaultLocalModel, localSizeRules } from './local-models.js';
export {
  localOptionsSchema,
  localSettingsSchema,
  type LocalOptions,
  type LocalSettings,
} from './local-options.js';
export { renderPlaceholderPixels, seedFromPrompt, type PlaceholderRequest } from './placeholder-render.js';
export type { PlaceholderStyle } from './placeholder-painter.js';
