export { createGeminiProvider } from './gemini-provider.js';
export { geminiPlugin } from './gemini-plugin.js';
export { geminiModels, defaultGeminiModel, geminiAspectRatios, imagenAspectRatios } from './gemini-models.js';
export {
  geminiOptionsSchema,
  geminiSettingsSchema,
  type GeminiOptions,
  type GeminiSettings,
} from './gemini-options.js';
