import {
  ContentPolicyError,
  InvalidUpstreamResponseError,
  RateLimitedError,
  UpstreamAuthenticationError,
  UpstreamUnavailableError,
  type UigError,
} from '../errors.js';
import type { Credential, ModelPrice } from '../providers/provider.js';
import type { UpstreamResponse } from '../upstream/upstream-request.js';

/**
 * What a provider plugin says about its vendor's chat endpoint, so that prompt
 * optimisation can use it with the provider's own credentials. The two wire shapes
 * are implemented once in core (openai-chat-client.ts, gemini-chat-client.ts); the
 * plugin only names the shape, its default model, where the endpoint lives and the
 * vendor's quirks (docs/prompt-optimization.md, "Where the chat clients live").
 */
export interface PromptChatSpec {
  /** `openai-chat`: `POST {base}/chat/completions`; `gemini`: `POST {base}/models/{model}:generateContent`. */
  protocol: 'openai-chat' | 'gemini';
  /** The chat model that rewrites prompts for this vendor's image models. Absent: only when named in `promptOptimization.model`. */
  defaultModel?: string;
  /** The chat endpoint's base URL, given the provider's (or a credential's) image base URL. Default: the same URL. */
  chatBaseURL?: (imageBaseURL: string) => string;
  /** Token prices of the vendor's chat models, for the rewrite's estimated cost; a model absent here costs "unknown". */
  prices?: Readonly<Record<string, ModelPrice>>;
  /** OpenAI shape: `finish_reason` values that mean the answer was cut or refused (Zhipu `sensitive`, `network_error`). */
  failedFinishReasons?: readonly string[];
  /** OpenAI shape: the name of the output limit (`max_tokens`; OpenAI's current models want `max_completion_tokens`). */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
}

export interface ChatRequest {
  /** The provider id, for error messages. */
  provider: string;
  model: string;
  system: string;
  user: string;
  maxOutputTokens: number;
  credential: Credential;
  /** The chat endpoint's base URL. */
  baseURL: string;
  fetch: typeof globalThis.fetch;
  signal: AbortSignal;
}

export interface ChatAnswer {
  text: string;
  inputTokens?: number;
  outputTokens?: number;
}

/**
 * A non-2xx chat answer as a core error, from the status (the vendors' envelopes differ:
 * docs/providers/cogview.md §14.1, wanx.md §14.2, gemini.md §14.3, openai.md §14.4). The
 * vendor's own code is kept; its text is not, so nothing it echoes reaches a client.
 */
export function chatHttpError(provider: string, response: UpstreamResponse): UigError {
  const body = response.json as { error?: { code?: unknown; status?: unknown } } | undefined;
  const raw = body?.error?.code ?? body?.error?.status;
  const vendorCode = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : undefined;
  const extra = { provider, ...(vendorCode ? { vendorCode } : {}) };
  const message = `${provider} chat answered HTTP ${response.status}${vendorCode ? ` (${vendorCode})` : ''}.`;
  if (response.status === 401 || response.status === 403)
    return new UpstreamAuthenticationError(message, extra);
  if (response.status === 429) return new RateLimitedError(message, extra);
  if (response.status >= 500) return new UpstreamUnavailableError(message, extra);
  // Zhipu 1301 and DashScope data_inspection_failed: the text was refused (§14.1, §14.2).
  if (vendorCode === '1301' || vendorCode === 'data_inspection_failed')
    return new ContentPolicyError(message, extra);
  return new InvalidUpstreamResponseError(message, extra);
}
