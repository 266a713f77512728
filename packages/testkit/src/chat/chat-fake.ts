import type { RecordedRequest } from '../fake-upstream.js';

/**
 * What the four chat-endpoint fakes share (docs/providers/*.md §14): the log of what
 * they received, their options, and the words that make them fail. Each vendor's
 * fake (zhipu-chat-fake.ts, ...) mounts its route on a FakeUpstream, usually the
 * same vendor's image fake, since the gateway calls chat with the image provider's
 * base URL and key.
 */
export interface ChatFakeCall {
  model: string;
  system: string;
  user: string;
  /** The credential as sent (Bearer token or x-goog-api-key). */
  key: string;
  body: Record<string, unknown>;
}

/** What a mounted chat endpoint received, in order. */
export interface ChatFakeLog {
  calls: ChatFakeCall[];
}

export interface ChatFakeOptions {
  /** The answer for a call; default `chatFakeReply` (the glossary, else the user text). */
  reply?: (call: ChatFakeCall) => string;
  /** Model ids accepted; others get the vendor's model error. */
  models?: readonly string[];
  /** Which keys authenticate; default any non-empty one. */
  acceptKey?: (key: string) => boolean;
}

/** Put one in the user text to get that outcome from any chat fake, in its vendor's shape. */
export const chatTriggers = {
  /** 429 rate limit. */
  rateLimited: 'FAKE_CHAT_RATE_LIMIT',
  /** Quota or balance exhausted. */
  quota: 'FAKE_CHAT_QUOTA',
  /** 5xx. */
  serverError: 'FAKE_CHAT_SERVER_ERROR',
  /** The input is refused (Zhipu 1301, DashScope data_inspection_failed, Gemini blockReason, OpenAI content_filter). */
  refused: 'FAKE_CHAT_REFUSED',
  /** The output is cut by moderation (Zhipu finish_reason sensitive, Gemini finishReason SAFETY, ...). */
  outputCut: 'FAKE_CHAT_OUTPUT_CUT',
  /** A 200 with empty text. */
  empty: 'FAKE_CHAT_EMPTY',
  /** A 200 with 50,000 characters. */
  tooLong: 'FAKE_CHAT_TOO_LONG',
} as const;

/** Pairs the default reply swaps between, so tests can see a "translation" both ways. */
export const chatFakeGlossary: ReadonlyArray<readonly [string, string]> = [
  ['一只戴着红围巾的猫', 'a cat wearing a red scarf'],
  ['雪山下的湖泊，清晨', 'a lake below snowy mountains, early morning'],
  ['把天空换成晚霞', 'replace the sky with a sunset glow'],
];

/** The glossary counterpart of the user text, else the text itself. */
export function chatFakeReply(call: ChatFakeCall): string {
  const text = call.user.trim();
  for (const [chinese, english] of chatFakeGlossary) {
    if (text === chinese) return english;
    if (text === english) return chinese;
  }
  return text;
}

/** The trigger in the text, if any. */
export function chatTrigger(text: string): keyof typeof chatTriggers | undefined {
  return (Object.keys(chatTriggers) as Array<keyof typeof chatTriggers>).find((name) =>
    text.includes(chatTriggers[name]),
  );
}

/** System and user text of an OpenAI-shaped `messages` array. */
export function openaiMessages(body: Record<string, unknown>): { system: string; user: string } | undefined {
  if (!Array.isArray(body.messages)) return undefined;
  let system = '';
  let user = '';
  for (const message of body.messages as Array<{ role?: unknown; content?: unknown }>) {
    if (typeof message?.content !== 'string') return undefined;
    if (message.role === 'system') system += message.content;
    else if (message.role === 'user') user += message.content;
  }
  return { system, user };
}

export const bearerToken = (request: RecordedRequest): string => {
  const header = request.headers.authorization;
  return typeof header === 'string' ? (/^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] ?? '') : '';
};

/** An OpenAI-shaped chat completion (docs/providers/openai.md §14.4; Zhipu and DashScope answer the same). */
export function chatCompletion(
  model: string,
  content: string,
  finishReason = 'stop',
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: `chatcmpl-${Date.now()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, finish_reason: finishReason, message: { role: 'assistant', content } }],
    // Roughly a token per four characters, as the vendors count English.
    usage: {
      prompt_tokens: 42,
      completion_tokens: Math.ceil(content.length / 4),
      total_tokens: 42 + Math.ceil(content.length / 4),
    },
    ...extra,
  };
}

export const longChatText = 'a very detailed scene '.repeat(2300);
