import { toFile } from 'openai';
import type {
  ImageCreateVariationParams,
  ImageEditParamsNonStreaming,
  ImageGenerateParamsNonStreaming,
} from 'openai/resources/images';
import type { InputImage, ProviderCall } from '@uig/core';
import { wantsStream } from './openai-call-check.js';
import { isGptImage, type OpenAIModel } from './openai-models.js';
import type { OpenAIOptions } from './openai-options.js';

/**
 * The request bodies of docs/providers/openai.md §2.3 (generations, JSON) and docs/providers/openai.md §2.4 (edits, multipart through
 * the SDK). Only fields the model takes are sent, and only when set: an absent field
 * gets the vendor's default. `response_format` is never sent to a GPT-image model
 * (docs/providers/openai.md §2.3: they always answer b64 and do not take the field).
 */

export interface BodySettings {
  dalleResponseFormat: 'b64_json' | 'url';
}

type Fields = Record<string, string | number | boolean>;

function defined(fields: Record<string, string | number | boolean | null | undefined>): Fields {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined && value !== null),
  ) as Fields;
}

function commonFields(call: ProviderCall, model: OpenAIModel, settings: BodySettings): Fields {
  const options = call.providerOptions as OpenAIOptions;
  const gpt = isGptImage(model.family);
  const stream = gpt && wantsStream(options);
  return defined({
    model: model.descriptor.id,
    prompt: call.prompt,
    n: call.n,
    // Core always resolves a size from the model's rules; absent only for rule-less models.
    size: call.size ? `${call.size.width}x${call.size.height}` : undefined,
    quality: call.quality,
    user: options.user,
    safety_identifier: options.safety_identifier,
    response_format: gpt ? undefined : settings.dalleResponseFormat,
    background: gpt ? options.background : undefined,
    output_format: gpt ? options.output_format : undefined,
    output_compression: gpt ? options.output_compression : undefined,
    stream: stream ? true : undefined,
    partial_images: stream ? options.partial_images : undefined,
  });
}

/** docs/providers/openai.md §2.3 JSON body. */
export function generationBody(
  call: ProviderCall,
  model: OpenAIModel,
  settings: BodySettings,
): ImageGenerateParamsNonStreaming {
  const options = call.providerOptions as OpenAIOptions;
  const gpt = isGptImage(model.family);
  return {
    ...commonFields(call, model, settings),
    ...defined({
      style: model.family === 'dall-e-3' ? options.style : undefined,
      moderation: gpt ? options.moderation : undefined,
    }),
  } as unknown as ImageGenerateParamsNonStreaming;
}

const extensions: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

const upload = (image: InputImage, name: string) =>
  toFile(image.data, `${name}.${extensions[image.mimeType] ?? 'png'}`, { type: image.mimeType });

/**
 * docs/providers/openai.md §2.4 multipart body. One image goes as `image`, several as repeated `image[]`
 * parts (the SDK names array parts `key[]`), the mask as `mask`.
 */
export async function editBody(
  call: ProviderCall,
  model: OpenAIModel,
  settings: BodySettings,
): Promise<ImageEditParamsNonStreaming> {
  const options = call.providerOptions as OpenAIOptions;
  const files = await Promise.all(call.images.map((image, index) => upload(image, `image-${index + 1}`)));
  const mask = call.mask ? await upload(call.mask, 'mask') : undefined;
  return {
    ...commonFields(call, model, settings),
    ...defined({ input_fidelity: isGptImage(model.family) ? options.input_fidelity : undefined }),
    image: files.length === 1 ? files[0]! : files,
    ...(mask ? { mask } : {}),
  } as unknown as ImageEditParamsNonStreaming;
}

/**
 * docs/providers/openai.md §2.5 multipart body: the one image, and only `model`, `n`, `size`,
 * `response_format` and `user` (the endpoint takes nothing else).
 */
export async function variationBody(
  call: ProviderCall,
  model: OpenAIModel,
  settings: BodySettings,
): Promise<ImageCreateVariationParams> {
  const options = call.providerOptions as OpenAIOptions;
  const [image] = call.images;
  return {
    ...defined({
      model: model.descriptor.id,
      n: call.n,
      size: call.size ? `${call.size.width}x${call.size.height}` : undefined,
      response_format: settings.dalleResponseFormat,
      user: options.user,
    }),
    image: await upload(image!, 'image'),
  } as unknown as ImageCreateVariationParams;
}
