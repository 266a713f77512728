import type { InputImage, ProviderCall, ProviderResult } from '@uig/core';
import type { GeminiClient } from './gemini-client.js';
import { contentResult } from './gemini-content-result.js';
import { resolveImageSize } from './gemini-image-size.js';
import type { GeminiModelTraits } from './gemini-models.js';
import type { GeminiOptions } from './gemini-options.js';
import { generateContentResponseSchema } from './gemini-responses.js';
import { StreamMerger } from './gemini-stream-merger.js';

/**
 * The native Gemini image models (docs/providers/gemini.md §3.3): one `:generateContent` call per image,
 * the prompt and any input images in one user turn.
 */

const toBase64 = (image: InputImage) =>
  Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength).toString('base64');

function generateContentRequest(call: ProviderCall, traits: GeminiModelTraits): Record<string, unknown> {
  const options = call.providerOptions as GeminiOptions;
  const imageSize = resolveImageSize(call, traits);
  const imageConfig = traits.imageConfig
    ? { ...(call.aspectRatio ? { aspectRatio: call.aspectRatio } : {}), ...(imageSize ? { imageSize } : {}) }
    : {};
  return {
    // docs/providers/gemini.md §3.3 editing: input images are inlineData parts in the same user turn, after the text.
    contents: [
      {
        role: 'user',
        parts: [
          { text: call.prompt },
          ...call.images.map((image) => ({
            inlineData: { mimeType: image.mimeType, data: toBase64(image) },
          })),
        ],
      },
    ],
    generationConfig: {
      // docs/providers/gemini.md §3.3: 2.0 needs both; TEXT also carries the model's notes and refusals.
      responseModalities: ['TEXT', 'IMAGE'],
      ...(Object.keys(imageConfig).length > 0 ? { imageConfig } : {}),
    },
    ...(options.safety_settings?.length ? { safetySettings: options.safety_settings } : {}),
  };
}

/** Progress for one chunk: what the model is doing, never the image data. */
function describeChunk(chunk: unknown): string | undefined {
  const parsed = generateContentResponseSchema.safeParse(chunk);
  if (!parsed.success) return undefined;
  const parts = (parsed.data.candidates ?? [])
    .flatMap((candidate) => candidate?.content?.parts ?? [])
    .filter((part) => part != null);
  if (parts.some((part) => (part.inlineData?.data || part.inline_data?.data) && part.thought !== true))
    return 'Gemini sent the image.';
  if (parts.some((part) => part.thought === true)) return 'Gemini is planning the image.';
  const text = parts
    .map((part) => part.text ?? '')
    .join('')
    .trim();
  if (text) return `Gemini: ${text.length > 120 ? `${text.slice(0, 119)}…` : text}`;
  return undefined;
}

export async function generateNativeImage(
  client: GeminiClient,
  call: ProviderCall,
  traits: GeminiModelTraits,
  stream: boolean,
): Promise<ProviderResult> {
  const provider = client.provider;
  const body = generateContentRequest(call, traits);
  if (!stream)
    return contentResult(await client.post(call, 'generateContent', body), { provider, n: call.n });

  const merger = new StreamMerger();
  call.onProgress?.({ type: 'status', message: `Waiting for ${call.model}.` });
  await client.stream(call, body, (chunk) => {
    merger.add(chunk);
    const message = describeChunk(chunk);
    if (message) call.onProgress?.({ type: 'status', message });
  });
  return contentResult(merger.result(), { provider, n: call.n });
}
