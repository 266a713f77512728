import {
  chatFakeReply,
  chatTrigger,
  longChatText,
  type ChatFakeCall,
  type ChatFakeLog,
  type ChatFakeOptions,
} from '../chat/chat-fake.js';
import type { FakeResponse, FakeUpstream } from '../fake-upstream.js';
import { geminiError, type GeminiErrorKind } from './gemini-fake-errors.js';
import { geminiApiPath } from './gemini-fake-options.js';

/**
 * Gemini text `generateContent` (docs/providers/gemini.md §14.3) on a fake, for text models
 * only: the image models' route stays the GeminiFake's. Refusals are HTTP 200
 * (`promptFeedback.blockReason`, `finishReason: SAFETY`); errors are the §3.1 envelope.
 */
export const geminiTextModels = ['gemini-2.5-flash', 'gemini-2.5-flash-lite'] as const;

export interface GeminiTextFakeOptions extends ChatFakeOptions {
  /** Put a `thought: true` part before the answer, as thinking models do. Default false. */
  thoughtPart?: boolean;
}

const textOf = (content: unknown): string => {
  const parts = (content as { parts?: Array<{ text?: unknown }> } | undefined)?.parts;
  return Array.isArray(parts)
    ? parts.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('')
    : '';
};

function error(kind: GeminiErrorKind, options: Parameters<typeof geminiError>[1] = {}): FakeResponse {
  const { status, body } = geminiError(kind, options);
  return { status, json: body, headers: { 'content-type': 'application/json; charset=UTF-8' } };
}

function answer(text: string, finishReason: string, thought: boolean): FakeResponse {
  const parts = [
    ...(thought ? [{ text: 'Thinking about the best wording...', thought: true }] : []),
    ...(text ? [{ text }] : []),
  ];
  return {
    status: 200,
    json: {
      candidates: [{ content: { role: 'model', parts }, finishReason, index: 0 }],
      usageMetadata: {
        promptTokenCount: 40,
        candidatesTokenCount: Math.ceil(text.length / 4),
        totalTokenCount: 40 + Math.ceil(text.length / 4),
      },
      modelVersion: 'gemini-2.5-flash',
    },
  };
}

/** Mounts the text models' routes on `fake` (a GeminiFake, usually), ahead of its catch-all route. */
export function mountGeminiText(fake: FakeUpstream, options: GeminiTextFakeOptions = {}): ChatFakeLog {
  const log: ChatFakeLog = { calls: [] };
  for (const model of options.models ?? geminiTextModels) {
    fake.route(
      'POST',
      new RegExp(`${geminiApiPath}/models/${model.replace(/[.]/g, '\\.')}:generateContent`),
      ({ request }) => {
        const header = request.headers['x-goog-api-key'];
        const key = (typeof header === 'string' ? header : undefined) ?? request.query.get('key') ?? '';
        if (!key) return error('UNREGISTERED_CALLER');
        if (options.acceptKey && !options.acceptKey(key)) return error('API_KEY_INVALID');
        const body = request.json as Record<string, unknown> | undefined;
        if (!body || !Array.isArray(body.contents) || body.contents.length === 0)
          return error('INVALID_ARGUMENT', {
            message: '* GenerateContentRequest.contents: contents is not specified',
          });
        const user = (body.contents as unknown[]).map(textOf).join('\n');
        const call: ChatFakeCall = { model, system: textOf(body.systemInstruction), user, key, body };
        log.calls.push(call);
        const thought = options.thoughtPart ?? false;
        switch (chatTrigger(user)) {
          case 'rateLimited':
            return error('RESOURCE_EXHAUSTED', { model });
          case 'quota':
            return error('RESOURCE_EXHAUSTED', { model, quota: 'per-day' });
          case 'serverError':
            return error('UNAVAILABLE');
          case 'refused':
            return { status: 200, json: { promptFeedback: { blockReason: 'PROHIBITED_CONTENT' } } };
          case 'outputCut':
            return answer('', 'SAFETY', false);
          case 'empty':
            // §14.3 (unverified): a thinking model may end MAX_TOKENS with no text part.
            return answer('', 'MAX_TOKENS', thought);
          case 'tooLong':
            return answer(longChatText, 'STOP', thought);
          default:
            return answer((options.reply ?? chatFakeReply)(call), 'STOP', thought);
        }
      },
      { first: true },
    );
  }
  return log;
}
