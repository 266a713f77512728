import {
  bearerToken,
  chatCompletion,
  chatFakeReply,
  chatTrigger,
  longChatText,
  openaiMessages,
  type ChatFakeCall,
  type ChatFakeLog,
  type ChatFakeOptions,
} from '../chat/chat-fake.js';
import type { FakeResponse, FakeUpstream } from '../fake-upstream.js';
import { openaiErrorBody, openaiErrorStatus, type OpenAIErrorKind } from './openai-fake-errors.js';
import { openaiApiPath } from './openai-fake-options.js';

/**
 * OpenAI chat completions (docs/providers/openai.md §14.4) on a fake: `POST /v1/chat/completions`,
 * the §2.8 error bodies, `finish_reason: "content_filter"` for a refused answer, and a 400
 * `unsupported_parameter` for `max_tokens`, which current models refuse (unverified exact code).
 */
export const openaiChatModels = ['gpt-4.1-mini', 'gpt-4.1', 'gpt-4o-mini'] as const;

function openaiChatError(kind: OpenAIErrorKind): FakeResponse {
  return { status: openaiErrorStatus(kind), json: openaiErrorBody(kind) };
}

/** Mounts the route on `fake` (an OpenAIFake, usually) and returns the log of calls. */
export function mountOpenAIChat(fake: FakeUpstream, options: ChatFakeOptions = {}): ChatFakeLog {
  const log: ChatFakeLog = { calls: [] };
  const models = options.models ?? openaiChatModels;
  fake.route('POST', `${openaiApiPath}/chat/completions`, ({ request }) => {
    const key = bearerToken(request);
    if (!key || (options.acceptKey && !options.acceptKey(key))) return openaiChatError('invalid_api_key');
    const body = request.json as Record<string, unknown> | undefined;
    const model = typeof body?.model === 'string' ? body.model : '';
    if (!body || !models.includes(model)) return openaiChatError('model_not_found');
    if (body.max_tokens !== undefined)
      return {
        status: 400,
        json: openaiErrorBody('invalid_parameter', {
          code: 'unsupported_parameter',
          param: 'max_tokens',
          message:
            "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
        }),
      };
    const messages = openaiMessages(body);
    if (!messages || messages.user === '')
      return { status: 400, json: openaiErrorBody('invalid_parameter', { param: 'messages' }) };
    const call: ChatFakeCall = { model, ...messages, key, body };
    log.calls.push(call);
    switch (chatTrigger(messages.user)) {
      case 'rateLimited':
        return openaiChatError('rate_limit_exceeded');
      case 'quota':
        return openaiChatError('insufficient_quota');
      case 'serverError':
        return openaiChatError('server_error');
      case 'refused':
      case 'outputCut':
        return { status: 200, json: chatCompletion(model, '', 'content_filter') };
      case 'empty':
        return { status: 200, json: chatCompletion(model, '') };
      case 'tooLong':
        return { status: 200, json: chatCompletion(model, longChatText) };
      default:
        return { status: 200, json: chatCompletion(model, (options.reply ?? chatFakeReply)(call)) };
    }
  });
  return log;
}
