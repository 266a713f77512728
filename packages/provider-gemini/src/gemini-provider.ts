import type { ImageProvider, ProviderCall, ProviderResult, ProviderSettings } from '@uig/core';
import { checkGeminiCall } from './gemini-check.js';
import { GeminiClient } from './gemini-client.js';
import { generateNativeImage } from './gemini-generate-content.js';
import { defaultGeminiModel, geminiModels, geminiModelTraits } from './gemini-models.js';
import { geminiOptionsSchema, geminiSettingsSchema } from './gemini-options.js';
import { predictImages } from './imagen-predict.js';

/**
 * The Gemini API adapter: native image models through `:generateContent` (docs/providers/gemini.md §3.3) and
 * Imagen through `:predict` (docs/providers/gemini.md §3.2), over plain fetch. The official SDK dropped Imagen
 * for the Gemini API (docs/providers/gemini.md §3.0), and plain HTTP keeps every wire detail in view.
 */
export function createGeminiProvider(settings: ProviderSettings): ImageProvider {
  const { streaming } = geminiSettingsSchema.parse(settings.options ?? {});
  const provider = settings.id;
  const client = new GeminiClient({ provider, baseURL: settings.baseURL, fetch: settings.fetch });

  const run = (call: ProviderCall): Promise<ProviderResult> => {
    const traits = geminiModelTraits(call.model, provider);
    if (traits.family === 'imagen') return predictImages(client, call, traits);
    const stream = streaming === 'always' || (streaming === 'with-progress' && call.onProgress !== undefined);
    return generateNativeImage(client, call, traits, stream);
  };

  return {
    id: provider,
    models: geminiModels,
    defaultModel: defaultGeminiModel,
    optionsSchema: geminiOptionsSchema,
    generate: run,
    edit: run,
    check: (call, kind) => checkGeminiCall(call, kind, provider),
  };
}
