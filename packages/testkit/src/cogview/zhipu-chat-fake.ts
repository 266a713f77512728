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
import { cogviewErrorBody, cogviewErrorCatalog } from './cogview-fake-errors.js';
import { cogviewApiPath } from './cogview-fake-options.js';
import type { FakeResponse, FakeUpstream } from '../fake-upstream.js';

/**
 * Zhipu chat completions (docs/providers/cogview.md §14.1) on a fake: `POST {base}/chat/completions`
 * on the CogView base, Bearer key, OpenAI-shaped answer, and the CogView error bodies (§1.6).
 * Output cut by moderation is a 200 with `finish_reason: "sensitive"`.
 */
export const zhipuChatModels = ['glm-4-flash', 'glm-4-flash-250414', 'glm-4-plus', 'glm-4.5-flash'] as const;

function zhipuError(code: string): FakeResponse {
  return {
    status: cogviewErrorCatalog[code]?.status ?? 400,
    json: cogviewErrorBody(code, code === '1301' ? { contentFilterRole: 'user' } : {}),
  };
}

/** Mounts the route on `fake` (a CogviewFake, usually) and returns the log of calls. */
export function mountZhipuChat(fake: FakeUpstream, options: ChatFakeOptions = {}): ChatFakeLog {
  const log: ChatFakeLog = { calls: [] };
  const models = options.models ?? zhipuChatModels;
  fake.route('POST', `${cogviewApiPath}/chat/completions`, ({ request }) => {
    const key = bearerToken(request);
    if (!key) return zhipuError('1001');
    if (options.acceptKey && !options.acceptKey(key)) return zhipuError('1002');
    const body = request.json as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') return zhipuError('1210');
    if (typeof body.model !== 'string' || !models.includes(body.model)) return zhipuError('1211');
    const messages = openaiMessages(body);
    if (!messages || messages.user === '') return zhipuError('1214');
    const call: ChatFakeCall = { model: body.model, ...messages, key, body };
    log.calls.push(call);
    switch (chatTrigger(messages.user)) {
      case 'rateLimited':
        return zhipuError('1302');
      case 'quota':
        return zhipuError('1113');
      case 'serverError':
        return zhipuError('500');
      case 'refused':
        return zhipuError('1301');
      case 'outputCut':
        return { status: 200, json: chatCompletion(body.model, '', 'sensitive') };
      case 'empty':
        return { status: 200, json: chatCompletion(body.model, '') };
      case 'tooLong':
        return { status: 200, json: chatCompletion(body.model, longChatText) };
      default:
        return {
          status: 200,
          json: chatCompletion(body.model, (options.reply ?? chatFakeReply)(call), 'stop', {
            request_id: `${Date.now()}`,
          }),
        };
    }
  });
  return log;
}
