export { createWanxProvider } from './wanx-provider.js';
export { wanxPlugin } from './wanx-plugin.js';
export { wanxModels, defaultWanxModel, wanxSizeRules, wanxImageEditModel } from './wanx-models.js';
export {
  wanxOptionsSchema,
  wanxEditFunctions,
  wanxFunctionParameters,
  type WanxOptions,
  type WanxEditFunction,
} from './wanx-options.js';
export { wanxSettingsSchema, type WanxSettings } from './wanx-settings.js';
export {
  wanxRegionBaseURLs,
  wanxRegionBaseURL,
  wanxDefaultBaseURL,
  type WanxRegion,
} from './wanx-regions.js';
export { wanxError, wanxFailure } from './wanx-error.js';
export { wanxPollInterval } from './wanx-task.js';
