/** What the OpenAI fake serves and the settings for each (unverified) point of docs/providers/openai.md §2. */

export const openaiApiPath = '/v1';

/** The rule families of docs/providers/openai.md §2.3–2.4. */
export type OpenAIFakeFamily = 'gpt-image' | 'gpt-image-2' | 'dall-e-3' | 'dall-e-2';

/** docs/providers/openai.md §2.2: the SDK enum. Retired ids are still accepted, so adapters can be tested against them. */
export const openaiFakeModels: Readonly<Record<string, OpenAIFakeFamily>> = {
  'gpt-image-1': 'gpt-image',
  'gpt-image-1-mini': 'gpt-image',
  'gpt-image-1.5': 'gpt-image',
  'gpt-image-2': 'gpt-image-2',
  'gpt-image-2-2026-04-21': 'gpt-image-2',
  'chatgpt-image-latest': 'gpt-image',
  'dall-e-3': 'dall-e-3',
  'dall-e-2': 'dall-e-2',
};
/** docs/providers/openai.md §15: shut down on 2026-05-12; OpenAI answers 404 `model_not_found`. */
export const openaiRetiredModels: readonly string[] = ['dall-e-2', 'dall-e-3'];

export interface OpenAIFakeOptions {
  /** Added before every answer. docs/providers/openai.md §2.9: real calls take tens of seconds; default 0. */
  latencyMs?: number;
  /** Which keys authenticate; others get 401 `invalid_api_key`. Default: any non-empty key. */
  acceptKey?: (key: string) => boolean;
  /** Where the key is read: `authorization` (Bearer, default) or e.g. `api-key` (Azure). */
  apiKeyHeader?: string;
  /** Model ids and the rule family each follows (default `openaiFakeModels`). */
  models?: Readonly<Record<string, OpenAIFakeFamily>>;
  /**
   * docs/providers/openai.md §2.2, §15: ids that answer 404 `model_not_found`, as OpenAI answers its shut-down
   * models. Default `openaiRetiredModels` (DALL·E 2 and 3); `[]` plays a compatible server that still serves them.
   */
  retiredModels?: readonly string[];
  /** docs/providers/openai.md §2.3 (unverified): `response_format` sent to a GPT-image model is a 400 or ignored. Default `error`. */
  gptImageResponseFormat?: 'error' | 'ignore';
  /** docs/providers/openai.md §2.7 (unverified): end a stream with `data: [DONE]`. Default false. */
  sendDone?: boolean;
  /**
   * docs/providers/openai.md §2.8: `legacy` answers bad parameters as the captured body does (code and param
   * null, the field at the end of the message); `current` with code `invalid_value`
   * and `param`. Default `legacy`.
   */
  invalidParameterStyle?: 'legacy' | 'current';
  /** docs/providers/openai.md §2.8 (unverified): the code of an insufficient_quota body. Default `insufficient_quota`. */
  quotaCode?: 'insufficient_quota' | null;
  /** Add `moderation_details` (observed) to moderation_blocked bodies. Default false. */
  moderationDetails?: boolean;
  /** Retry hints on a triggered 429 rate_limit_exceeded. Default `{ retryAfter: '1', retryAfterMs: '1000' }`. */
  retryHints?: { retryAfter?: string; retryAfterMs?: string };
  /** docs/providers/openai.md §2.1 (unverified for images): `x-ratelimit-*` headers; false omits them. Default 50 requests. */
  rateLimitHeaders?: false | { limitRequests?: number; resetRequests?: string };
  /** The image returned (default `tinyPng()`). */
  image?: Buffer;
  /**
   * Benchmarks: answer every generation and edit with a precomputed body (one fixed
   * image, `tiny` or `large` ≈ 1.5 MB of base64), checking only that a key is sent.
   */
  zeroWork?: false | 'tiny' | 'large';
  /**
   * With `zeroWork`: every image of every answer is different (a counter in a PNG `tEXt`
   * chunk; zero-work-answers.ts), so a content-addressed store writes every one. Pair
   * with `latencyMs` for a slow vendor. Default false.
   */
  uniqueImages?: boolean;
}

/** The options after defaults, as the fake and its validation read them. */
export type OpenAIFakeSettings = Required<
  Omit<OpenAIFakeOptions, 'latencyMs' | 'image' | 'rateLimitHeaders' | 'zeroWork' | 'uniqueImages'>
>;
