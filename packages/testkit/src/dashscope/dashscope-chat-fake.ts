import { randomUUID } from 'node:crypto';
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

/**
 * DashScope's OpenAI-compatible chat (docs/providers/wanx.md §14.2) on a fake:
 * `POST /compatible-mode/v1/chat/completions` on the same host as the image API. Its
 * errors are OpenAI-shaped plus `request_id`, not the flat §4.7 envelope.
 */
export const dashScopeChatModels = ['qwen-turbo', 'qwen-plus', 'qwen-max', 'qwen-flash'] as const;

export const dashScopeChatPath = '/compatible-mode/v1/chat/completions';

const errors: Record<string, { status: number; code: string; type: string; message: string }> = {
  invalidKey: {
    status: 401,
    code: 'invalid_api_key',
    type: 'invalid_request_error',
    message: 'Incorrect API key provided. ',
  },
  // §14.2 (observed): an unknown model is a 400 invalid_parameter_error.
  model: {
    status: 400,
    code: 'invalid_parameter_error',
    type: 'invalid_request_error',
    message: 'model `{model}` is not supported.',
  },
  refused: {
    status: 400,
    code: 'data_inspection_failed',
    type: 'data_inspection_failed',
    message: 'Input data may contain inappropriate content.',
  },
  outputCut: {
    status: 400,
    code: 'data_inspection_failed',
    type: 'data_inspection_failed',
    message: 'Output data may contain inappropriate content.',
  },
  // §14.2: arrears is a 400 with code Arrearage (observed).
  quota: {
    status: 400,
    code: 'Arrearage',
    type: 'Arrearage',
    message: 'Access denied, please make sure your account is in good standing.',
  },
  // §14.2 (unverified): 429 `limit_requests`.
  rateLimited: {
    status: 429,
    code: 'limit_requests',
    type: 'limit_requests',
    message: 'Requests rate limit exceeded, please try again later.',
  },
  // (unverified) the 5xx body.
  serverError: {
    status: 500,
    code: 'internal_error',
    type: 'internal_error',
    message: 'An internal error has occured, please try again later or contact service support.',
  },
};

function dashScopeChatError(kind: keyof typeof errors, model = ''): FakeResponse {
  const entry = errors[kind]!;
  return {
    status: entry.status,
    json: {
      error: {
        code: entry.code,
        message: entry.message.replace('{model}', model),
        param: null,
        type: entry.type,
      },
      request_id: randomUUID(),
    },
  };
}

/** Mounts the route on `fake` (a DashScopeFake, usually) and returns the log of calls. */
export function mountDashScopeChat(fake: FakeUpstream, options: ChatFakeOptions = {}): ChatFakeLog {
  const log: ChatFakeLog = { calls: [] };
  const models = options.models ?? dashScopeChatModels;
  fake.route('POST', dashScopeChatPath, ({ request }) => {
    const key = bearerToken(request);
    if (!key || (options.acceptKey && !options.acceptKey(key))) return dashScopeChatError('invalidKey');
    const body = request.json as Record<string, unknown> | undefined;
    const model = typeof body?.model === 'string' ? body.model : '';
    if (!body || !models.includes(model)) return dashScopeChatError('model', model);
    const messages = openaiMessages(body);
    if (!messages || messages.user === '') return dashScopeChatError('model', model);
    const call: ChatFakeCall = { model, ...messages, key, body };
    log.calls.push(call);
    const trigger = chatTrigger(messages.user);
    if (trigger === 'empty') return { status: 200, json: chatCompletion(model, '') };
    if (trigger === 'tooLong') return { status: 200, json: chatCompletion(model, longChatText) };
    if (trigger) return dashScopeChatError(trigger, model);
    return { status: 200, json: chatCompletion(model, (options.reply ?? chatFakeReply)(call)) };
  });
  return log;
}
