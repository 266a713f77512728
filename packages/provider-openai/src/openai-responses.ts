import { z } from 'zod';
import {
  InlineImageBytes,
  InvalidUpstreamResponseError,
  type ProviderImage,
  type ProviderResult,
  type ProviderUsage,
  type Warning,
} from '@uig/core';

/**
 * Lenient schemas for what OpenAI (or a compatible server) answers (docs/providers/openai.md §2.6,
 * docs/providers/openai.md §2.7): unknown fields are ignored and optional fields may be null, so a new vendor
 * field never breaks a call. And the mapping of an answer to a ProviderResult.
 */

const count = z.number().nonnegative().nullish().catch(undefined);

const tokenDetailsSchema = z.object({ text_tokens: count, image_tokens: count }).nullish().catch(undefined);

export const usageSchema = z
  .object({
    input_tokens: count,
    output_tokens: count,
    total_tokens: count,
    input_tokens_details: tokenDetailsSchema,
    output_tokens_details: tokenDetailsSchema,
  })
  .nullish()
  .catch(undefined);

type TokenDetails = NonNullable<ProviderUsage['inputTokensDetails']>;

/** Adds the vendor's token split (`text_tokens`, `image_tokens`) to a running total. */
function addDetails(
  total: TokenDetails | undefined,
  details: z.output<typeof tokenDetailsSchema>,
): TokenDetails | undefined {
  if (!details) return total;
  const next: TokenDetails = { ...total };
  if (details.text_tokens != null) next.textTokens = (total?.textTokens ?? 0) + details.text_tokens;
  if (details.image_tokens != null) next.imageTokens = (total?.imageTokens ?? 0) + details.image_tokens;
  return Object.keys(next).length > 0 ? next : total;
}

/** docs/providers/openai.md §2.6 success body. */
const imagesResponseSchema = z.object({
  created: z.number().nullish().catch(undefined),
  data: z
    .array(
      z
        .object({
          // Decoded while the body was read (parseVendorJson), or a string it left as it was.
          b64_json: z.union([z.string(), z.instanceof(InlineImageBytes)]).nullish(),
          url: z.string().nullish(),
          revised_prompt: z.string().nullish(),
        })
        .nullish()
        .catch(undefined),
    )
    .nullish(),
  background: z.string().nullish().catch(undefined),
  output_format: z.string().nullish().catch(undefined),
  quality: z.string().nullish().catch(undefined),
  size: z.string().nullish().catch(undefined),
  usage: usageSchema,
});

/** docs/providers/openai.md §2.7 stream events: `*.partial_image` and `*.completed` (and `error` from some servers). */
export const imageStreamEventSchema = z.object({
  type: z.string().nullish(),
  b64_json: z.string().nullish(),
  partial_image_index: z.number().nullish().catch(undefined),
  output_format: z.string().nullish().catch(undefined),
  background: z.string().nullish().catch(undefined),
  quality: z.string().nullish().catch(undefined),
  size: z.string().nullish().catch(undefined),
  usage: usageSchema,
});

const mimeTypes: Record<string, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  webp: 'image/webp',
};

/** The mime type an `output_format` means; core sniffs the bytes anyway, this is a hint. */
export function mimeTypeOf(outputFormat: string | null | undefined): string {
  return mimeTypes[outputFormat ?? 'png'] ?? 'image/png';
}

export function addUsage(
  total: ProviderUsage | undefined,
  usage: z.output<typeof usageSchema>,
): ProviderUsage | undefined {
  if (!usage) return total;
  const sum = (a: number | undefined, b: number | null | undefined) => (b == null ? a : (a ?? 0) + b);
  const next: ProviderUsage = {};
  const input = sum(total?.inputTokens, usage.input_tokens);
  const output = sum(total?.outputTokens, usage.output_tokens);
  const all = sum(
    total?.totalTokens,
    usage.total_tokens ??
      (usage.input_tokens != null && usage.output_tokens != null
        ? usage.input_tokens + usage.output_tokens
        : undefined),
  );
  if (input !== undefined) next.inputTokens = input;
  if (output !== undefined) next.outputTokens = output;
  if (all !== undefined) next.totalTokens = all;
  const inputDetails = addDetails(total?.inputTokensDetails, usage.input_tokens_details);
  const outputDetails = addDetails(total?.outputTokensDetails, usage.output_tokens_details);
  if (inputDetails) next.inputTokensDetails = inputDetails;
  if (outputDetails) next.outputTokensDetails = outputDetails;
  return Object.keys(next).length > 0 ? next : total;
}

/** GPT-image answers name the settings the vendor applied; worth keeping for the caller. */
export function appliedSettings(body: {
  background?: string | null | undefined;
  output_format?: string | null | undefined;
  quality?: string | null | undefined;
  size?: string | null | undefined;
}): Record<string, unknown> | undefined {
  const entries = Object.entries({
    background: body.background,
    output_format: body.output_format,
    quality: body.quality,
    size: body.size,
  }).filter(([, value]) => typeof value === 'string');
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

export interface ResultContext {
  provider: string;
  /** Images asked for in this call. */
  n: number;
  /** The output_format asked for, when the answer does not say. */
  outputFormat?: string | null | undefined;
  vendorRequestId?: string | undefined;
}

/** A docs/providers/openai.md §2.6 body as a ProviderResult. b64 is preferred; a URL (DALL·E, or a server that ignores response_format) is left for core to download. */
export function toProviderResult(raw: unknown, context: ResultContext): ProviderResult {
  const parsed = imagesResponseSchema.safeParse(raw);
  const extra = { provider: context.provider, vendorRequestId: context.vendorRequestId };
  if (!parsed.success)
    throw new InvalidUpstreamResponseError(
      `${context.provider} answered HTTP 200 without an images body.`,
      extra,
    );
  const body = parsed.data;
  const mimeType = mimeTypeOf(body.output_format ?? context.outputFormat);
  const images: ProviderImage[] = [];
  for (const item of body.data ?? []) {
    const inline = item?.b64_json;
    if (inline instanceof InlineImageBytes) images.push({ kind: 'bytes', data: inline.data, mimeType });
    else if (inline) images.push({ kind: 'base64', data: inline, mimeType });
    else if (item?.url) images.push({ kind: 'url', url: item.url, mimeType });
  }
  if (images.length === 0)
    throw new InvalidUpstreamResponseError(
      `${context.provider} answered HTTP 200 with no image in data[].`,
      extra,
    );
  const warnings: Warning[] = [];
  if (images.length < context.n) {
    warnings.push({
      type: 'partial_failure',
      feature: 'n',
      message: `${context.provider} returned ${images.length} of the ${context.n} images asked for in one call.`,
    });
  }
  const revisedPrompt = body.data?.find((item) => item?.revised_prompt)?.revised_prompt ?? undefined;
  const usage = addUsage(undefined, body.usage);
  const metadata = appliedSettings(body);
  return {
    images,
    warnings,
    ...(revisedPrompt ? { revisedPrompt } : {}),
    ...(usage ? { usage } : {}),
    ...(context.vendorRequestId ? { vendorRequestId: context.vendorRequestId } : {}),
    ...(metadata ? { metadata } : {}),
  };
}
