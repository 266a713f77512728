import {
  InvalidRequestError,
  openaiOnlyFields,
  type ImageRequest,
  type InputImageResolver,
  type InputImage,
  type NativeImageRequest,
  type OpenAIEditFields,
  type OpenAIGenerationRequest,
  type OpenAIVariationFields,
} from '@uig/core';

/** The OpenAI-only settings given, to pass to OpenAI-type providers or warn about. */
function pickOpenAIOptions(body: Record<string, unknown>): Record<string, unknown> | undefined {
  const picked = Object.fromEntries(
    openaiOnlyFields.flatMap((field) => (body[field] !== undefined ? [[field, body[field]]] : [])),
  );
  return Object.keys(picked).length ? picked : undefined;
}

export function fromOpenAIGeneration(body: OpenAIGenerationRequest): ImageRequest {
  const openaiOptions = pickOpenAIOptions(body);
  return {
    kind: 'generate',
    prompt: body.prompt,
    n: body.n ?? 1,
    images: [],
    providerOptions: {},
    ...(body.model ? { model: body.model } : {}),
    ...(body.size ? { size: body.size } : {}),
    ...(body.quality ? { quality: body.quality } : {}),
    ...(body.user ? { user: body.user } : {}),
    ...(body.safety_identifier ? { safetyIdentifier: body.safety_identifier } : {}),
    ...(openaiOptions ? { openaiOptions } : {}),
  };
}

/** An OpenAI multipart edit; its images were already read and checked. */
export function fromOpenAIEdit(
  body: OpenAIEditFields,
  images: InputImage[],
  mask: InputImage | undefined,
): ImageRequest {
  const openaiOptions = pickOpenAIOptions(body);
  return {
    kind: 'edit',
    prompt: body.prompt,
    n: body.n ?? 1,
    images,
    providerOptions: {},
    ...(mask ? { mask } : {}),
    ...(body.model ? { model: body.model } : {}),
    ...(body.size ? { size: body.size } : {}),
    ...(body.quality ? { quality: body.quality } : {}),
    ...(body.user ? { user: body.user } : {}),
    ...(body.safety_identifier ? { safetyIdentifier: body.safety_identifier } : {}),
    ...(openaiOptions ? { openaiOptions } : {}),
  };
}

/** An OpenAI multipart variation; its image was already read and checked, its model already chosen. */
export function fromOpenAIVariation(
  body: OpenAIVariationFields,
  image: InputImage,
  model: string,
): ImageRequest {
  return {
    kind: 'variation',
    prompt: '',
    model,
    n: body.n ?? 1,
    images: [image],
    providerOptions: {},
    ...(body.size ? { size: body.size } : {}),
    ...(body.user ? { user: body.user } : {}),
  };
}

export async function fromNative(
  body: NativeImageRequest,
  resolver: InputImageResolver,
  signal: AbortSignal,
): Promise<ImageRequest> {
  const references = body.image === undefined ? [] : Array.isArray(body.image) ? body.image : [body.image];
  if (body.mask !== undefined && references.length === 0) {
    throw new InvalidRequestError('mask needs an image to apply to; give image as well.', {
      param: 'mask',
      code: 'MISSING_PARAMETER',
    });
  }
  const images = await Promise.all(
    references.map((reference, index) =>
      resolver.resolve(reference, references.length > 1 ? `image.${index}` : 'image', signal),
    ),
  );
  const mask = body.mask !== undefined ? await resolver.resolve(body.mask, 'mask', signal) : undefined;
  return {
    kind: images.length > 0 ? 'edit' : 'generate',
    prompt: body.prompt,
    n: body.n ?? 1,
    images,
    providerOptions: body.provider_options ?? {},
    ...(mask ? { mask } : {}),
    ...(body.model ? { model: body.model } : {}),
    ...(body.size ? { size: body.size } : {}),
    ...(body.aspect_ratio ? { aspectRatio: body.aspect_ratio } : {}),
    ...(body.quality ? { quality: body.quality } : {}),
    ...(body.seed !== undefined ? { seed: body.seed } : {}),
    ...(body.negative_prompt !== undefined ? { negativePrompt: body.negative_prompt } : {}),
    ...(body.fallback_models ? { fallbackModels: body.fallback_models } : {}),
    ...(body.user ? { user: body.user } : {}),
    ...(body.safety_identifier ? { safetyIdentifier: body.safety_identifier } : {}),
    ...(body.prompt_optimization ? { promptOptimization: body.prompt_optimization } : {}),
  };
}
