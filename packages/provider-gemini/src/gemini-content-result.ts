import {
  ContentPolicyError,
  InvalidUpstreamResponseError,
  type ProviderImage,
  type ProviderResult,
  type Warning,
} from '@uig/core';
import { vendorMessage } from './gemini-error.js';
import { generateContentResponseSchema, type ContentPart } from './gemini-responses.js';

/**
 * Turns a docs/providers/gemini.md §3.3 GenerateContentResponse (HTTP 200) into a result, or into the error
 * its safety fields mean. A 200 without an image is never a success.
 */

/** docs/providers/gemini.md §3.3 finishReasons that mean "the output was withheld on policy grounds" (SDK FinishReason [G2]). */
const policyFinishReasons: ReadonlySet<string> = new Set([
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'SAFETY',
  'PROHIBITED_CONTENT',
  'RECITATION',
  'IMAGE_RECITATION',
  'BLOCKLIST',
  'SPII',
]);

export interface ContentResultContext {
  provider: string;
  /** Images asked for in this call; extra images are not returned. */
  n: number;
}

const quote = (text: string) => `"${vendorMessage(text, '', 200)}"`;

function imageOf(part: ContentPart): ProviderImage | undefined {
  const inline =
    part.inlineData ??
    (part.inline_data ? { mimeType: part.inline_data.mime_type, data: part.inline_data.data } : undefined);
  if (!inline?.data) return undefined;
  const mimeType = inline.mimeType ?? 'image/png';
  return mimeType.startsWith('image/') ? { kind: 'base64', data: inline.data, mimeType } : undefined;
}

export function contentResult(json: unknown, context: ContentResultContext): ProviderResult {
  const { provider } = context;
  const parsed = generateContentResponseSchema.safeParse(json);
  if (!parsed.success)
    throw new InvalidUpstreamResponseError(
      `${provider} answered a body that is not a GenerateContentResponse.`,
      { provider },
    );
  const body = parsed.data;
  const vendorRequestId = body.responseId ?? undefined;
  const common = { provider, vendorRequestId };

  // docs/providers/gemini.md §3.3: a blocked prompt has promptFeedback.blockReason and no candidates; a
  // blockReasonMessage alone with no candidates means the same [G4].
  const candidates = (body.candidates ?? []).filter((candidate) => candidate != null);
  const feedback = body.promptFeedback;
  if (feedback?.blockReason || (candidates.length === 0 && feedback?.blockReasonMessage)) {
    const reason = feedback.blockReason ?? 'BLOCKED';
    const detail = feedback.blockReasonMessage ? `: ${vendorMessage(feedback.blockReasonMessage)}` : '.';
    throw new ContentPolicyError(`${provider} blocked the prompt (${reason})${detail}`, {
      ...common,
      vendorCode: reason,
    });
  }

  // docs/providers/gemini.md §3.3: image parts can be anywhere in `parts`; `thought: true` parts are drafts.
  const parts = candidates
    .flatMap((candidate) => candidate.content?.parts ?? [])
    .filter((part) => part != null);
  const visible = parts.filter((part) => part.thought !== true);
  const found = visible.flatMap((part) => imageOf(part) ?? []);
  const text = visible
    .flatMap((part) => (part.text ? [part.text.trim()] : []))
    .filter(Boolean)
    .join('\n');
  const finishReason = candidates.find((candidate) => candidate.finishReason)?.finishReason ?? undefined;

  if (found.length === 0) {
    if (candidates.length === 0) {
      throw new InvalidUpstreamResponseError(`${provider} returned no candidates and no image.`, {
        ...common,
        code: 'NO_IMAGE_RETURNED',
      });
    }
    if (finishReason && policyFinishReasons.has(finishReason)) {
      throw new ContentPolicyError(
        `${provider} withheld the image (${finishReason})${text ? `; the model said ${quote(text)}` : ''}.`,
        { ...common, vendorCode: finishReason },
      );
    }
    // IMAGE_OTHER, NO_IMAGE, OTHER, or STOP with text only: the model answered without an image.
    throw new InvalidUpstreamResponseError(
      `${provider} returned no image (finishReason ${finishReason ?? 'missing'})${text ? `; the model said ${quote(text)}` : ''}.`,
      { ...common, code: 'NO_IMAGE_RETURNED', ...(finishReason ? { vendorCode: finishReason } : {}) },
    );
  }

  const warnings: Warning[] = [];
  if (finishReason && finishReason !== 'STOP') {
    warnings.push({
      type: 'other',
      feature: 'finish_reason',
      message: `${provider} ended the answer with ${finishReason}; the image may be incomplete.`,
    });
  }
  const usage = body.usageMetadata;
  const outputTokens =
    usage?.candidatesTokenCount != null || usage?.thoughtsTokenCount != null
      ? (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0)
      : undefined;
  // docs/providers/gemini.md §3.3, §16: image tokens are billed at the image rate; the rest of
  // the output (the model's text and its thinking) at the text rate.
  const imageTokens = modalityCount(usage?.candidatesTokensDetails, 'IMAGE');
  const inputImageTokens = modalityCount(usage?.promptTokensDetails, 'IMAGE');
  const outputTokensDetails =
    imageTokens !== undefined && outputTokens !== undefined
      ? { imageTokens, textTokens: outputTokens - imageTokens }
      : undefined;
  const inputTokensDetails =
    inputImageTokens !== undefined && usage?.promptTokenCount != null
      ? { imageTokens: inputImageTokens, textTokens: usage.promptTokenCount - inputImageTokens }
      : undefined;
  return {
    images: found.slice(0, context.n),
    // The model's own words about what it drew; the only per-image text slot clients see.
    ...(text ? { revisedPrompt: text } : {}),
    warnings,
    ...(usage
      ? {
          usage: {
            ...(usage.promptTokenCount != null ? { inputTokens: usage.promptTokenCount } : {}),
            ...(outputTokens !== undefined ? { outputTokens } : {}),
            ...(inputTokensDetails ? { inputTokensDetails } : {}),
            ...(outputTokensDetails ? { outputTokensDetails } : {}),
            ...(usage.totalTokenCount != null ? { totalTokens: usage.totalTokenCount } : {}),
          },
        }
      : {}),
    ...(vendorRequestId ? { vendorRequestId } : {}),
    metadata: {
      ...(body.modelVersion ? { modelVersion: body.modelVersion } : {}),
      ...(finishReason ? { finishReason } : {}),
      ...(text ? { text } : {}),
      ...(parts.length > visible.length ? { thoughtPartsSkipped: parts.length - visible.length } : {}),
    },
  };
}

/** Tokens of one modality in a `*TokensDetails` list; undefined when the vendor gave no list. */
function modalityCount(
  details:
    | ReadonlyArray<{ modality?: string | null; tokenCount?: number | null } | null | undefined>
    | null
    | undefined,
  modality: string,
): number | undefined {
  if (!details) return undefined;
  return details.reduce(
    (total, entry) => total + (entry?.modality === modality ? (entry.tokenCount ?? 0) : 0),
    0,
  );
}
