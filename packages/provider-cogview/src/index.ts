export { createCogviewProvider } from './cogview-provider.js';
export { cogviewPlugin } from './cogview-plugin.js';
export { cogviewModels, defaultCogviewModel, cogviewSizeRules, glmImageSizeRules } from './cogview-models.js';
export {
  cogviewOptionsSchema,
  cogviewSettingsSchema,
  type CogviewOptions,
  type CogviewSettings,
} from './cogview-options.js';
export { cogviewError, cogviewFailure } from './cogview-error.js';
