import { z } from 'zod';
import { ContentPolicyError, InvalidUpstreamResponseError } from '../errors.js';
import { malformedResponse, upstreamRequest } from '../upstream/upstream-request.js';
import { chatHttpError, type ChatAnswer, type ChatRequest, type PromptChatSpec } from './prompt-chat.js';

/**
 * One OpenAI-shaped chat completion, `POST {base}/chat/completions`, for Zhipu
 * (docs/providers/cogview.md §14.1), DashScope's compatible mode (docs/providers/wanx.md §14.2)
 * and OpenAI (docs/providers/openai.md §14.4). Not streamed; the answer is
 * `choices[0].message.content`. The response is parsed leniently.
 */
const completionSchema = z.object({
  choices: z
    .array(
      z.object({
        finish_reason: z.string().nullish(),
        message: z.object({ content: z.string().nullish(), refusal: z.string().nullish() }).nullish(),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: z.number().nullish(), completion_tokens: z.number().nullish() }).nullish(),
});

export async function openaiChatCompletion(spec: PromptChatSpec, request: ChatRequest): Promise<ChatAnswer> {
  const response = await upstreamRequest({
    provider: request.provider,
    fetch: request.fetch,
    url: `${request.baseURL.replace(/\/+$/, '')}/chat/completions`,
    method: 'POST',
    headers: { authorization: `Bearer ${request.credential.apiKey}` },
    body: {
      model: request.model,
      messages: [
        { role: 'system', content: request.system },
        { role: 'user', content: request.user },
      ],
      stream: false,
      [spec.maxTokensField ?? 'max_tokens']: request.maxOutputTokens,
    },
    signal: request.signal,
  });
  if (response.status < 200 || response.status >= 300) throw chatHttpError(request.provider, response);
  if (response.json === undefined) throw malformedResponse(request.provider, response);
  const parsed = completionSchema.safeParse(response.json);
  if (!parsed.success)
    throw new InvalidUpstreamResponseError(`${request.provider} chat answered without choices.`, {
      provider: request.provider,
    });
  const choice = parsed.data.choices[0]!;
  const finish = choice.finish_reason ?? undefined;
  // content_filter (OpenAI), sensitive (Zhipu: output cut by moderation), a refusal: never a prompt.
  if (
    finish === 'content_filter' ||
    choice.message?.refusal ||
    spec.failedFinishReasons?.includes(finish ?? '')
  )
    throw new ContentPolicyError(
      `${request.provider} chat refused or cut the answer (${finish ?? 'refusal'}).`,
      {
        provider: request.provider,
        ...(finish ? { vendorCode: finish } : {}),
      },
    );
  const usage = parsed.data.usage;
  return {
    text: choice.message?.content ?? '',
    ...(usage?.prompt_tokens != null ? { inputTokens: usage.prompt_tokens } : {}),
    ...(usage?.completion_tokens != null ? { outputTokens: usage.completion_tokens } : {}),
  };
}
