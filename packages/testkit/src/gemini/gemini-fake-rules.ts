/** Field lists, value sets and body helpers the Gemini fake validates and answers with (docs/providers/gemini.md §3.2–3.3). */

// biome-ignore lint/suspicious/noExplicitAny: the fake reads request bodies of any shape, as the vendor does
export type JsonObject = Record<string, any>;

/** docs/providers/gemini.md §3.3: proto JSON takes snake_case and camelCase alike; the fake reads everything as camelCase. */
export function camelize(value: unknown): JsonObject {
  if (Array.isArray(value)) return value.map(camelize);
  if (typeof value !== 'object' || value === null) return value as JsonObject;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase()),
      camelize(inner),
    ]),
  );
}

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
export const base64Pattern = /^[A-Za-z0-9+/]+={0,2}$/;
/** Input image types the Gemini API takes. */
export const inputImageTypes = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif']);
export const generateContentFields = new Set([
  'contents',
  'generationConfig',
  'safetySettings',
  'systemInstruction',
  'tools',
  'toolConfig',
  'cachedContent',
  'model',
]);
export const generationConfigFields = new Set([
  'responseModalities',
  'imageConfig',
  'candidateCount',
  'temperature',
  'topP',
  'topK',
  'seed',
  'maxOutputTokens',
  'stopSequences',
  'responseMimeType',
  'thinkingConfig',
  'presencePenalty',
  'frequencyPenalty',
]);
export const imageConfigFields = new Set(['aspectRatio', 'imageSize', 'personGeneration']);
/** docs/providers/gemini.md §3.2: what the Gemini API refuses in Imagen parameters (the SDK throws for each) [G1]. */
export const imagenRefusedParameters = [
  'seed',
  'negativePrompt',
  'addWatermark',
  'enhancePrompt',
  'outputGcsUri',
  'storageUri',
  'labels',
];
/** docs/providers/gemini.md §3.2: sampleImageSize is for Standard and Ultra only. */
export const imagenSizedModels = new Set([
  'imagen-4.0-generate-001',
  'imagen-4.0-ultra-generate-001',
  'imagen-4.0-generate-preview-06-06',
]);
export const personGenerationValues = ['dont_allow', 'allow_adult', 'allow_all'];
export const safetySettingValues = [
  'block_low_and_above',
  'block_medium_and_above',
  'block_only_high',
  'block_none',
];
export const is20Model = (model: string) => model.startsWith('gemini-2.0-');

export const safetyRatings = [
  { category: 'HARM_CATEGORY_SEXUALLY_EXPLICIT', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_HATE_SPEECH', probability: 'HIGH' },
  { category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'NEGLIGIBLE' },
];
export const promptSafetyCategories = [
  'Death, Harm & Tragedy',
  'Firearms & Weapons',
  'Hate',
  'Health',
  'Illicit Drugs',
  'Politics',
  'Porn',
  'Religion & Belief',
  'Toxic',
  'Violence',
  'Vulgarity',
  'War & Conflict',
];
export function triggerTokens(text: string): Set<string> {
  return new Set(text.match(/[A-Z0-9_]+/g) ?? []);
}

/**
 * docs/providers/gemini.md §3.3 stream shape: text chunks first, then one chunk per image part, then a final
 * chunk with finishReason and no parts. A body without candidates is one chunk.
 */
export function streamChunks(body: JsonObject): JsonObject[] {
  const candidate = body.candidates?.[0];
  if (!candidate) return [body];
  const { usageMetadata, candidates: _candidates, ...rest } = body;
  const parts: JsonObject[] = candidate.content?.parts ?? [];
  const chunks: JsonObject[] = parts.map((part) => ({
    candidates: [{ content: { role: 'model', parts: [part] }, index: 0 }],
    ...rest,
  }));
  chunks.push({
    candidates: [{ finishReason: candidate.finishReason, index: 0 }],
    ...(usageMetadata ? { usageMetadata } : {}),
    ...rest,
  });
  return chunks;
}
