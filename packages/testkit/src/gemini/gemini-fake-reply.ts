import type { FakeResponse } from '../fake-upstream.js';
import { type GeminiErrorKind, type GeminiErrorOptions, geminiTriggers } from './gemini-fake-errors.js';
import type { GeminiFakeSettings } from './gemini-fake-options.js';

/** How the Gemini fake's checks answer: its error bodies and response headers. */
export interface GeminiReply {
  error(kind: GeminiErrorKind, options?: GeminiErrorOptions): FakeResponse;
  invalid(message: string): FakeResponse;
  headers(): Record<string, string>;
}

/** Error triggers shared by both methods. */
export function geminiErrorTrigger(
  reply: GeminiReply,
  settings: GeminiFakeSettings,
  tokens: Set<string>,
  model: string,
): FakeResponse | undefined {
  const retryDelay = settings.retryDelay;
  if (tokens.has(geminiTriggers.rateLimited)) return reply.error('RESOURCE_EXHAUSTED', { model, retryDelay });
  if (tokens.has(geminiTriggers.rateLimitedMessageHint))
    return reply.error('RESOURCE_EXHAUSTED', { model, retryDelay: null, retryHintInMessage: '7.96s' });
  if (tokens.has(geminiTriggers.dailyQuota))
    return reply.error('RESOURCE_EXHAUSTED', { model, retryDelay, quota: 'per-day' });
  if (tokens.has(geminiTriggers.zeroQuota))
    return reply.error('RESOURCE_EXHAUSTED', { model, retryDelay, quota: 'zero' });
  if (tokens.has(geminiTriggers.internal)) return reply.error('INTERNAL');
  if (tokens.has(geminiTriggers.overloaded)) return reply.error('UNAVAILABLE');
  if (tokens.has(geminiTriggers.deadline)) return reply.error('DEADLINE_EXCEEDED');
  if (tokens.has(geminiTriggers.location)) return reply.error('FAILED_PRECONDITION');
  return undefined;
}
