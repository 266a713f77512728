export { createOpenAIProvider } from './openai-image-provider.js';
export { openaiPlugin } from './openai-plugin.js';
export {
  openaiSettingsSchema,
  openaiModelDeclarationSchema,
  type OpenAISettings,
} from './openai-settings.js';
export { openaiOptionsSchema, type OpenAIOptions } from './openai-options.js';
export { defaultOpenAIModel, familyCapabilities, type OpenAIModelFamily } from './openai-models.js';
export { openaiError, scrubVendorMessage } from './openai-error.js';
export { OpenAIClientCache } from './openai-client-cache.js';
export { recraftPlugin, togetherPlugin, xaiPlugin } from './compatible-presets.js';
