import { toUigError, type ImageResult, type Warning } from '@uig/core';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { chooseImageBlock } from './image-preview.js';
import type { ImageResultOutput } from './tool-schemas.js';

/**
 * What a tool call answers. Success: one text block (saved paths and URLs, which
 * some clients show and models quote), then per image an inline image block and a
 * resource_link to the full image, and structuredContent matching the output
 * schema. Failure: isError with a message that names the fix; vendor refusals are
 * such results, never protocol errors, so the model can rephrase and retry.
 */
export interface SavedImage {
  id: string;
  path: string;
  url: string;
  resourceUri: string;
  fileName: string;
  mimeType: string;
  width: number;
  height: number;
  byteLength: number;
  data: Buffer;
  base64?: string;
  revisedPrompt?: string;
}

export interface ImageResultOptions {
  fullSize: boolean;
  /** Lines the text block starts with (the seed tools' "Image saved to: ..."). */
  headline?: string[];
  /** Warnings from the MCP layer (a seed argument that does not apply...). */
  warnings?: Warning[];
}

export function imageToolResult(
  result: ImageResult,
  saved: SavedImage[],
  options: ImageResultOptions,
): CallToolResult {
  const warnings = [...(options.warnings ?? []), ...result.warnings];
  const structured: ImageResultOutput = {
    request_id: result.requestId,
    model: result.model,
    provider: result.provider,
    images: saved.map((image) => ({
      id: image.id,
      path: image.path,
      url: image.url,
      resource_uri: image.resourceUri,
      mime_type: image.mimeType,
      width: image.width,
      height: image.height,
      byte_length: image.byteLength,
      ...(image.revisedPrompt !== undefined ? { revised_prompt: image.revisedPrompt } : {}),
    })),
    ...(result.promptOptimization
      ? {
          prompt_optimization: {
            mode: result.promptOptimization.mode,
            original: result.promptOptimization.original,
            sent: result.promptOptimization.sent,
            language: result.promptOptimization.language,
            ...(result.promptOptimization.by ? { by: result.promptOptimization.by } : {}),
          },
        }
      : {}),
    warnings: warnings.map((warning) => ({
      type: warning.type,
      ...(warning.feature ? { feature: warning.feature } : {}),
      message: warning.message,
    })),
    usage: {
      images: result.usage.images,
      estimated_cost_usd: result.usage.estimatedCostUsd,
      ...(result.usage.inputTokens !== undefined ? { input_tokens: result.usage.inputTokens } : {}),
      ...(result.usage.outputTokens !== undefined ? { output_tokens: result.usage.outputTokens } : {}),
    },
  };

  const lines = [...(options.headline ?? [])];
  const blocks: CallToolResult['content'] = [];
  saved.forEach((image, index) => {
    const label = saved.length > 1 ? `Image ${index + 1} of ${saved.length}` : 'Image';
    lines.push(
      `${label} (${image.width}x${image.height} ${image.mimeType}, id ${image.id}) saved to ${image.path}`,
      `URL: ${image.url}`,
    );
    if (image.revisedPrompt) lines.push(`Revised prompt: ${image.revisedPrompt}`);
    const choice = chooseImageBlock(image, options.fullSize);
    if (choice.note) lines.push(choice.note);
    if (choice.block)
      blocks.push({ type: 'image', data: choice.block.base64, mimeType: choice.block.mimeType });
    blocks.push({
      type: 'resource_link',
      uri: image.resourceUri,
      name: image.fileName,
      mimeType: image.mimeType,
      description: `Full-size image, ${image.width}x${image.height}, ${image.byteLength} bytes`,
    });
  });
  const optimization = result.promptOptimization;
  if (optimization)
    lines.push(
      optimization.sent === optimization.original
        ? `Prompt used (${optimization.mode}: unchanged): ${optimization.sent}`
        : `Prompt used (${optimization.mode} by ${optimization.by}): ${optimization.sent}`,
    );
  lines.push(`Model: ${result.model}; estimated cost: $${result.usage.estimatedCostUsd}`);
  for (const warning of warnings)
    lines.push(`Warning (${warning.feature ?? warning.type}): ${warning.message}`);
  return { content: [{ type: 'text', text: lines.join('\n') }, ...blocks], structuredContent: structured };
}

/** What to do about each error code, for the model reading the result. */
const fixes: Record<string, string> = {
  CONTENT_POLICY_VIOLATION:
    'The provider refused this on safety grounds: rephrase the prompt (or use another image) and try again.',
  MODEL_NOT_FOUND: 'Call list_models and pass one of its ids as model.',
  MODEL_NOT_ALLOWED: 'Call list_models: it lists the models this key may use.',
  AMBIGUOUS_MODEL: 'Name the model as provider/model.',
  UNSUPPORTED_CAPABILITY: 'Call list_models to pick a model that can do this, or drop the setting.',
  EDIT_NOT_SUPPORTED: 'Call list_models and pick a model whose capabilities include edit.',
  PATH_NOT_ALLOWED:
    'Pass the image as a data URI or an https URL instead, or ask the operator to add its folder to UIG_MCP_INPUT_ROOTS.',
  RATE_LIMIT_EXCEEDED: 'Wait and try again, with fewer images.',
  INSUFFICIENT_QUOTA:
    "The provider account's quota is used up: use another model (list_models) or ask the operator to top it up.",
  UPSTREAM_AUTHENTICATION:
    "The server's API key for this provider was rejected: ask the operator to fix it, or use another model.",
  UPSTREAM_UNAVAILABLE: 'The provider is failing right now: try again later or use another model.',
  UPSTREAM_TIMEOUT: 'The provider took too long: try again, or use a faster model.',
  NO_PROVIDER_AVAILABLE: 'No provider can take this right now: try again later or use another model.',
  PROVIDER_NOT_CONFIGURED: 'Meanwhile generate_image and edit_image work with the models list_models shows.',
  STORAGE_UNAVAILABLE:
    "The server's image store cannot write (its disk is full or read-only): try again later and tell the operator.",
  INTERNAL_ERROR: 'This is a server bug: report it with the request id.',
};

export function errorToolResult(
  caught: unknown,
  options: { prefix?: string; requestId?: string; provider?: string } = {},
): CallToolResult {
  const error = toUigError(caught, options.provider);
  const details = [
    `code ${error.code}`,
    error.param ? `param ${error.param}` : undefined,
    error.vendorCode ? `vendor code ${error.vendorCode}` : undefined,
    options.requestId ? `request ${options.requestId}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const wait =
    error.retryAfterMs !== undefined ? ` Retry after ${Math.ceil(error.retryAfterMs / 1000)} s.` : '';
  const fix =
    (Object.hasOwn(fixes, error.code) ? fixes[error.code] : undefined) ??
    (error.status === 400 || error.status === 413
      ? error.param
        ? `Fix ${error.param} and call again.`
        : 'Fix the request and call again.'
      : '');
  const text = `${options.prefix ?? ''}${error.message} (${details})${fix ? ` ${fix}` : ''}${wait}`;
  return { content: [{ type: 'text', text }], isError: true };
}
