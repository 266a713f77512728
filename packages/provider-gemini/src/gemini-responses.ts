import { z } from 'zod';

/**
 * Lenient schemas for what the Gemini API answers: unknown fields are ignored and
 * optional fields may be null, so a new vendor field never breaks a call.
 */

const inlineDataSchema = z.object({ mimeType: z.string().nullish(), data: z.string().nullish() });

/** docs/providers/gemini.md §3.3: answers are camelCase; snake_case is read too, in case a proxy rewrites them. */
const contentPartSchema = z.object({
  text: z.string().nullish(),
  /** docs/providers/gemini.md §3.3: gemini-3 pro "thinking" parts, to be skipped. */
  thought: z.boolean().nullish(),
  inlineData: inlineDataSchema.nullish(),
  inline_data: z.object({ mime_type: z.string().nullish(), data: z.string().nullish() }).nullish(),
});

export type ContentPart = z.infer<typeof contentPartSchema>;

const candidateSchema = z.object({
  content: z
    .object({ role: z.string().nullish(), parts: z.array(contentPartSchema.nullish()).nullish() })
    .nullish(),
  finishReason: z.string().nullish(),
  finishMessage: z.string().nullish(),
  index: z.number().nullish(),
});

const tokenCount = z.number().nullish();
/** docs/providers/gemini.md §3.3 `candidatesTokensDetails[]`: tokens per modality (`TEXT`, `IMAGE`). */
const modalityTokens = z
  .array(z.object({ modality: z.string().nullish(), tokenCount: tokenCount }).nullish())
  .nullish();

/** docs/providers/gemini.md §3.3 GenerateContentResponse (also each stream chunk). */
export const generateContentResponseSchema = z.object({
  candidates: z.array(candidateSchema.nullish()).nullish(),
  promptFeedback: z
    .object({ blockReason: z.string().nullish(), blockReasonMessage: z.string().nullish() })
    .nullish(),
  usageMetadata: z
    .object({
      promptTokenCount: tokenCount,
      candidatesTokenCount: tokenCount,
      thoughtsTokenCount: tokenCount,
      totalTokenCount: tokenCount,
      promptTokensDetails: modalityTokens,
      candidatesTokensDetails: modalityTokens,
    })
    .nullish(),
  modelVersion: z.string().nullish(),
  responseId: z.string().nullish(),
});

/** docs/providers/gemini.md §3.2 `:predict` answer. Images, filtered slots and the "Positive Prompt" entry share one list. */
export const predictResponseSchema = z.object({
  predictions: z
    .array(
      z
        .object({
          bytesBase64Encoded: z.string().nullish(),
          mimeType: z.string().nullish(),
          raiFilteredReason: z.string().nullish(),
          contentType: z.string().nullish(),
          safetyAttributes: z.unknown().nullish(),
        })
        .nullish(),
    )
    .nullish(),
});

/** docs/providers/gemini.md §3.1 google.rpc.Status envelope. `code` is a number on the wire; a string is accepted too. */
export const errorEnvelopeSchema = z.object({
  error: z.object({
    code: z.union([z.number(), z.string()]).nullish(),
    message: z.string().nullish(),
    status: z.string().nullish(),
    details: z.array(z.unknown()).nullish(),
  }),
});

/** The docs/providers/gemini.md §3.1 detail types the adapter reads; others are skipped. */
export const errorDetailSchema = z.object({
  '@type': z.string().nullish(),
  /** ErrorInfo. */
  reason: z.string().nullish(),
  /** RetryInfo, a protobuf duration ("59s"). */
  retryDelay: z.string().nullish(),
  /** QuotaFailure. */
  violations: z
    .array(
      z
        .object({
          quotaId: z.string().nullish(),
          quotaMetric: z.string().nullish(),
          quotaValue: z.union([z.string(), z.number()]).nullish(),
        })
        .nullish(),
    )
    .nullish(),
});
