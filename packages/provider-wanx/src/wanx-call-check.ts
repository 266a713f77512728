import {
  InvalidRequestError,
  ModelNotFoundError,
  UnsupportedCapabilityError,
  sizeViolation,
  type InputImage,
  type ModelDescriptor,
  type ProviderCall,
  type Warning,
} from '@uig/core';
import {
  findWanxModel,
  isWanxSyncModel,
  wanxMaxNegativePromptLength,
  wanxMaxPromptLength,
  wanxSizeRules,
} from './wanx-models.js';
import {
  wanxFunctionParameters,
  type WanxEditFunction,
  type WanxFunctionParameter,
  type WanxOptions,
} from './wanx-options.js';

/**
 * What the vendor would reject or silently change, refused before any call (
 * docs/providers/wanx.md §4.3, docs/providers/wanx.md §4.4). Core checks the generic rules first; this repeats the size rules so the
 * adapter is safe on its own, and adds what capabilities cannot say.
 */

export type CheckedCall = Omit<ProviderCall, 'credential' | 'signal' | 'requestId'>;

export interface CheckedWanxCall {
  model: ModelDescriptor;
  /** Edits: the docs/providers/wanx.md §4.4 function to send. */
  editFunction?: WanxEditFunction;
  warnings: Warning[];
}

/** docs/providers/wanx.md §4.4: JPG/JPEG/PNG/BMP/TIFF/WEBP. Core only ever hands over PNG, JPEG, WebP or GIF. */
const acceptedInputTypes = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/bmp', 'image/tiff']);
/** docs/providers/wanx.md §4.4: each side 512–4096 px, at most 10 MB. */
const inputSide = { min: 512, max: 4096 };
const inputMaxBytes = 10 * 1024 * 1024;

const parameterNames = Object.keys(wanxFunctionParameters) as WanxFunctionParameter[];

function optionError(provider: string, option: string, message: string): InvalidRequestError {
  return new InvalidRequestError(`provider_options.${provider}.${option}: ${message}`, {
    provider,
    param: `provider_options.${provider}.${option}`,
    code: 'INVALID_PROVIDER_OPTION',
  });
}

function checkInputImage(image: InputImage, param: 'image' | 'mask', provider: string): void {
  if (!acceptedInputTypes.has(image.mimeType)) {
    throw new InvalidRequestError(
      `${param}: ${provider} takes JPEG, PNG, WebP, BMP or TIFF, not ${image.mimeType}.`,
      { provider, param, code: 'UNSUPPORTED_IMAGE_FORMAT' },
    );
  }
  const { width, height } = image;
  if ([width, height].some((side) => side < inputSide.min || side > inputSide.max)) {
    throw new InvalidRequestError(
      `${param}: ${width}x${height} is outside ${provider}'s ${inputSide.min}–${inputSide.max} px per side.`,
      { provider, param, code: 'INVALID_IMAGE_SIZE' },
    );
  }
  if (image.data.byteLength > inputMaxBytes) {
    throw new InvalidRequestError(
      `${param}: ${image.data.byteLength} bytes is over ${provider}'s 10 MB limit.`,
      { provider, param, code: 'IMAGE_TOO_LARGE' },
    );
  }
}

function checkGenerate(
  call: CheckedCall,
  model: ModelDescriptor,
  options: WanxOptions,
  provider: string,
): CheckedWanxCall {
  if (call.size) {
    const violation = sizeViolation(call.size, model.capabilities.sizes ?? wanxSizeRules);
    if (violation) {
      throw new InvalidRequestError(
        `size ${call.size.width}x${call.size.height} is not supported by ${provider}/${model.id}: ${violation}.`,
        { provider, param: 'size', code: 'INVALID_SIZE' },
      );
    }
  }
  if (call.negativePrompt !== undefined && call.negativePrompt.length > wanxMaxNegativePromptLength) {
    // docs/providers/wanx.md §4.3: the vendor would cut it silently.
    throw new InvalidRequestError(
      `negative_prompt is ${call.negativePrompt.length} characters; ${provider}/${model.id} takes at most ${wanxMaxNegativePromptLength}.`,
      {
        provider,
        param: 'negative_prompt',
        code: 'NEGATIVE_PROMPT_TOO_LONG',
      },
    );
  }
  if (options.function != null)
    throw optionError(provider, 'function', `is for edits with wanx2.1-imageedit, not for ${model.id}.`);
  const editOnly = parameterNames.find((name) => options[name] != null);
  if (editOnly)
    throw optionError(provider, editOnly, `is an edit parameter of wanx2.1-imageedit, not for ${model.id}.`);
  return { model, warnings: [] };
}

/** docs/providers/wanx.md §13.2 edit models: several input images, a prompt, no mask and no edit functions. */
function checkSyncEdit(
  call: CheckedCall,
  model: ModelDescriptor,
  options: WanxOptions,
  provider: string,
): CheckedWanxCall {
  const max = model.capabilities.maxInputImages;
  if (call.images.length === 0 || call.images.length > max) {
    throw new InvalidRequestError(
      `${provider}/${model.id} edits 1–${max} images; ${call.images.length} were given.`,
      { provider, param: 'image', code: call.images.length === 0 ? 'IMAGE_REQUIRED' : 'TOO_MANY_IMAGES' },
    );
  }
  for (const image of call.images) {
    if (!acceptedInputTypes.has(image.mimeType))
      throw new InvalidRequestError(
        `image: ${provider} takes JPEG, PNG, WebP, BMP or TIFF, not ${image.mimeType}.`,
        { provider, param: 'image', code: 'UNSUPPORTED_IMAGE_FORMAT' },
      );
  }
  const editOnly = [...parameterNames, 'function' as const].find((name) => options[name] != null);
  if (editOnly) throw optionError(provider, editOnly, `is a wanx2.1-imageedit setting, not for ${model.id}.`);
  return { model, warnings: [] };
}

function checkEdit(
  call: CheckedCall,
  model: ModelDescriptor,
  options: WanxOptions,
  provider: string,
): CheckedWanxCall {
  const warnings: Warning[] = [];
  if (call.images.length !== 1) {
    throw new InvalidRequestError(
      `${provider}/${model.id} edits exactly one image; ${call.images.length} were given.`,
      { provider, param: 'image', code: call.images.length === 0 ? 'IMAGE_REQUIRED' : 'TOO_MANY_IMAGES' },
    );
  }
  const base = call.images[0]!;
  checkInputImage(base, 'image', provider);
  if (options.prompt_extend != null)
    throw optionError(
      provider,
      'prompt_extend',
      `is for text-to-image; ${model.id} does not rewrite prompts.`,
    );
  const editFunction: WanxEditFunction =
    options.function ?? (call.mask ? 'description_edit_with_mask' : 'description_edit');
  if (editFunction === 'description_edit_with_mask') {
    if (!call.mask) {
      throw new InvalidRequestError(
        `description_edit_with_mask needs a mask (white = edit, black = keep), the size of the image.`,
        { provider, param: 'mask', code: 'MASK_REQUIRED' },
      );
    }
  } else if (call.mask) {
    // docs/providers/wanx.md §4.4: only description_edit_with_mask reads a mask; sending it elsewhere would drop it silently.
    throw new InvalidRequestError(
      `function ${editFunction} takes no mask; use description_edit_with_mask or remove the mask.`,
      { provider, param: 'mask', code: 'MASK_NOT_SUPPORTED' },
    );
  }
  if (call.mask) {
    checkInputImage(call.mask, 'mask', provider);
    if (call.mask.width !== base.width || call.mask.height !== base.height) {
      throw new InvalidRequestError(
        `mask is ${call.mask.width}x${call.mask.height}; it must be the size of the image, ${base.width}x${base.height} (docs/providers/wanx.md §4.4).`,
        { provider, param: 'mask', code: 'MASK_SIZE_MISMATCH' },
      );
    }
  }
  for (const name of parameterNames) {
    const functions: readonly WanxEditFunction[] = wanxFunctionParameters[name];
    if (options[name] != null && !functions.includes(editFunction)) {
      throw optionError(provider, name, `belongs to function ${functions.join(' / ')}, not ${editFunction}.`);
    }
  }
  if (call.size || call.aspectRatio) {
    warnings.push({
      type: 'unsupported',
      feature: 'size',
      message: `${provider}/${model.id} has no size setting: the result follows the input image (expand and super_resolution enlarge it).`,
    });
  }
  return { model, editFunction, warnings };
}

export function checkWanxCall(
  call: CheckedCall,
  kind: 'generate' | 'edit',
  provider: string,
): CheckedWanxCall {
  const model = findWanxModel(call.model);
  if (!model) throw new ModelNotFoundError(`${provider} has no model "${call.model}".`, { provider });
  if (kind === 'edit' && !model.capabilities.edit) {
    throw new UnsupportedCapabilityError(
      `${provider}/${model.id} cannot edit images; use ${provider}/wanx2.1-imageedit.`,
      { provider, param: 'image', code: 'EDIT_NOT_SUPPORTED' },
    );
  }
  if (kind === 'generate' && !model.capabilities.generate) {
    throw new UnsupportedCapabilityError(`${provider}/${model.id} only edits images: give an input image.`, {
      provider,
      param: 'image',
      code: 'IMAGE_REQUIRED',
    });
  }
  if (call.prompt.length > wanxMaxPromptLength) {
    // docs/providers/wanx.md §4.3 / docs/providers/wanx.md §4.4: the vendor would silently cut the prompt at 800 characters.
    throw new InvalidRequestError(
      `prompt is ${call.prompt.length} characters; ${provider}/${model.id} takes at most ${wanxMaxPromptLength}.`,
      { provider, param: 'prompt', code: 'PROMPT_TOO_LONG' },
    );
  }
  if (call.n < 1 || call.n > model.capabilities.maxImagesPerCall) {
    throw new InvalidRequestError(
      `n must be 1–${model.capabilities.maxImagesPerCall} per ${provider} task; it was ${call.n}.`,
      { provider, param: 'n', code: 'INVALID_N' },
    );
  }
  if (
    call.seed !== undefined &&
    !(Number.isInteger(call.seed) && call.seed >= 0 && call.seed <= 2_147_483_647)
  ) {
    throw new InvalidRequestError(`seed must be an integer in 0–2147483647 for ${provider}.`, {
      provider,
      param: 'seed',
      code: 'INVALID_SEED',
    });
  }
  const options = call.providerOptions as WanxOptions;
  if (kind === 'edit' && isWanxSyncModel(model.id)) return checkSyncEdit(call, model, options, provider);
  return kind === 'edit'
    ? checkEdit(call, model, options, provider)
    : checkGenerate(call, model, options, provider);
}
