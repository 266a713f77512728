import { z } from 'zod';
import { ContentPolicyError, InvalidUpstreamResponseError } from '../errors.js';
import { malformedResponse, upstreamRequest } from '../upstream/upstream-request.js';
import { chatHttpError, type ChatAnswer, type ChatRequest } from './prompt-chat.js';

/**
 * One Gemini text `generateContent` (docs/providers/gemini.md §14.3): the system text as
 * `systemInstruction`, the answer the concatenated text parts of the first candidate,
 * skipping `thought` parts. A refusal is HTTP 200 with `promptFeedback.blockReason` or
 * a safety `finishReason`.
 */
const generateContentSchema = z.object({
  promptFeedback: z.object({ blockReason: z.string().nullish() }).nullish(),
  candidates: z
    .array(
      z.object({
        finishReason: z.string().nullish(),
        content: z
          .object({
            parts: z
              .array(z.object({ text: z.string().nullish(), thought: z.boolean().nullish() }))
              .nullish(),
          })
          .nullish(),
      }),
    )
    .nullish(),
  usageMetadata: z
    .object({
      promptTokenCount: z.number().nullish(),
      candidatesTokenCount: z.number().nullish(),
      thoughtsTokenCount: z.number().nullish(),
    })
    .nullish(),
});

/** Finish reasons that mean the text is missing or refused, not merely short. */
const refusedFinishReasons = new Set([
  'SAFETY',
  'RECITATION',
  'PROHIBITED_CONTENT',
  'BLOCKLIST',
  'SPII',
  'LANGUAGE',
  'OTHER',
]);

export async function geminiGenerateText(request: ChatRequest): Promise<ChatAnswer> {
  const provider = request.provider;
  const response = await upstreamRequest({
    provider,
    fetch: request.fetch,
    url: `${request.baseURL.replace(/\/+$/, '')}/models/${encodeURIComponent(request.model)}:generateContent`,
    method: 'POST',
    headers: { 'x-goog-api-key': request.credential.apiKey },
    body: {
      systemInstruction: { parts: [{ text: request.system }] },
      contents: [{ role: 'user', parts: [{ text: request.user }] }],
      generationConfig: {
        maxOutputTokens: request.maxOutputTokens,
        responseMimeType: 'text/plain',
        // 2.5 Flash thinks by default, and its thoughts count against maxOutputTokens (and may
        // leave no text, §14.3): a translation needs none.
        ...(/^gemini-2\.5-flash/.test(request.model) ? { thinkingConfig: { thinkingBudget: 0 } } : {}),
      },
    },
    signal: request.signal,
  });
  if (response.status < 200 || response.status >= 300) throw chatHttpError(provider, response);
  if (response.json === undefined) throw malformedResponse(provider, response);
  const parsed = generateContentSchema.safeParse(response.json);
  if (!parsed.success)
    throw new InvalidUpstreamResponseError(`${provider} answered generateContent in an unknown shape.`, {
      provider,
    });
  const { promptFeedback, candidates, usageMetadata } = parsed.data;
  const candidate = candidates?.[0];
  const blocked = promptFeedback?.blockReason ?? undefined;
  const finish = candidate?.finishReason ?? undefined;
  if (blocked || (finish && refusedFinishReasons.has(finish)))
    throw new ContentPolicyError(`${provider} refused to rewrite the prompt (${blocked ?? finish}).`, {
      provider,
      vendorCode: blocked ?? finish,
    });
  const text = (candidate?.content?.parts ?? [])
    .filter((part) => !part.thought)
    .map((part) => part.text ?? '')
    .join('');
  const output =
    usageMetadata?.candidatesTokenCount != null || usageMetadata?.thoughtsTokenCount != null
      ? (usageMetadata.candidatesTokenCount ?? 0) + (usageMetadata.thoughtsTokenCount ?? 0)
      : undefined;
  return {
    text,
    ...(usageMetadata?.promptTokenCount != null ? { inputTokens: usageMetadata.promptTokenCount } : {}),
    ...(output !== undefined ? { outputTokens: output } : {}),
  };
}
