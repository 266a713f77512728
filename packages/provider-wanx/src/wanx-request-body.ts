import type { ProviderCall } from '@uig/core';
import type { WanxEditFunction, WanxFunctionParameter, WanxOptions } from './wanx-options.js';
import { wanxFunctionParameters } from './wanx-options.js';

/**
 * The create-task bodies (docs/providers/wanx.md §4.3, docs/providers/wanx.md §4.4). Only fields we have a value for are
 * sent; the vendor's defaults apply to the rest, except `n`, which is always sent
 * because the vendor's default for text-to-image is 4 (docs/providers/wanx.md §4.3).
 */

export function wanxTextToImageBody(call: ProviderCall): Record<string, unknown> {
  const options = call.providerOptions as WanxOptions;
  return {
    model: call.model,
    input: {
      prompt: call.prompt,
      ...(call.negativePrompt !== undefined && call.negativePrompt !== ''
        ? { negative_prompt: call.negativePrompt }
        : {}),
    },
    parameters: {
      // docs/providers/wanx.md §4.3: an asterisk, not `x`.
      ...(call.size ? { size: `${call.size.width}*${call.size.height}` } : {}),
      n: call.n,
      ...(call.seed !== undefined ? { seed: call.seed } : {}),
      ...(options.prompt_extend != null ? { prompt_extend: options.prompt_extend } : {}),
      ...(options.watermark != null ? { watermark: options.watermark } : {}),
    },
  };
}

export function wanxImageEditBody(
  call: ProviderCall,
  editFunction: WanxEditFunction,
  baseImageUrl: string,
  maskImageUrl: string | undefined,
): Record<string, unknown> {
  const options = call.providerOptions as WanxOptions;
  const functionParameters: Record<string, unknown> = {};
  for (const name of Object.keys(wanxFunctionParameters) as WanxFunctionParameter[]) {
    if (options[name] != null) functionParameters[name] = options[name];
  }
  return {
    model: call.model,
    input: {
      function: editFunction,
      prompt: call.prompt,
      base_image_url: baseImageUrl,
      ...(maskImageUrl ? { mask_image_url: maskImageUrl } : {}),
    },
    parameters: {
      n: call.n,
      ...(call.seed !== undefined ? { seed: call.seed } : {}),
      ...(options.watermark != null ? { watermark: options.watermark } : {}),
      ...functionParameters,
    },
  };
}
