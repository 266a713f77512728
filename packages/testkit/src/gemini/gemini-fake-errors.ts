import type { Fault } from '../fake-upstream.js';

/** The docs/providers/gemini.md §3.1 error catalogue of the Gemini fake, and the prompt words that trigger answers. */

/**
 * Put one of these in a prompt to get the matching answer. They are matched as whole
 * tokens (runs of `A-Z0-9_`), so `FAKE_GEMINI_429` never fires inside `FAKE_GEMINI_429_DAILY`.
 */
export const geminiTriggers = {
  /** 200 with `promptFeedback.blockReason` = reason and no candidates (docs/providers/gemini.md §3.3). */
  blockPrompt: (reason: string) => `FAKE_GEMINI_BLOCK_${reason}`,
  /** 200 with `candidates: []` and a promptFeedback holding only `blockReasonMessage` ([G4] only-prompt-feedback). */
  feedbackOnly: 'FAKE_GEMINI_FEEDBACK_ONLY',
  /** 200 with one candidate ending in this finishReason and no image (docs/providers/gemini.md §3.3 output blocked). */
  finish: (reason: string) => `FAKE_GEMINI_FINISH_${reason}`,
  /** 200, finishReason STOP, text only: the model answered without an image (docs/providers/gemini.md §3.3). */
  textOnly: 'FAKE_GEMINI_TEXT_ONLY',
  /** 200 with `candidates: []` and no promptFeedback. */
  noCandidates: 'FAKE_GEMINI_NO_CANDIDATES',
  /** 429 RESOURCE_EXHAUSTED with QuotaFailure and RetryInfo (docs/providers/gemini.md §3.1). */
  rateLimited: 'FAKE_GEMINI_429',
  /** 429 whose only hint is "Please retry in 7.96s." in the message (docs/providers/gemini.md §3.1, newer messages). */
  rateLimitedMessageHint: 'FAKE_GEMINI_429_MESSAGE_HINT',
  /** 429 on a per-day quota. */
  dailyQuota: 'FAKE_GEMINI_429_DAILY',
  /** 429 on a quota whose limit is 0 (the free tier has none for this model). */
  zeroQuota: 'FAKE_GEMINI_429_ZERO',
  /** 500 INTERNAL. */
  internal: 'FAKE_GEMINI_500',
  /** 503 UNAVAILABLE, "The model is overloaded" (docs/providers/gemini.md §3.1). */
  overloaded: 'FAKE_GEMINI_503',
  /** 504 DEADLINE_EXCEEDED. */
  deadline: 'FAKE_GEMINI_504',
  /** 400 FAILED_PRECONDITION, user location not supported (docs/providers/gemini.md §3.1). */
  location: 'FAKE_GEMINI_LOCATION',
  /** Imagen: half the images (at least one) filtered: a raiFilteredReason with includeRaiReason, else just missing (docs/providers/gemini.md §3.2). */
  filterSome: 'FAKE_IMAGEN_FILTER_SOME',
  /** Imagen: every image filtered: a raiFilteredReason entry, or `{}` without includeRaiReason (docs/providers/gemini.md §3.2). */
  filterAll: 'FAKE_IMAGEN_FILTER_ALL',
  /** Imagen: 400 INVALID_ARGUMENT, the prompt broke the Responsible AI practices (docs/providers/gemini.md §3.2). */
  promptRejected: 'FAKE_IMAGEN_PROMPT_REJECTED',
} as const;

export type GeminiErrorKind =
  | 'API_KEY_INVALID'
  | 'UNREGISTERED_CALLER'
  | 'SERVICE_DISABLED'
  | 'NOT_FOUND'
  | 'RESOURCE_EXHAUSTED'
  | 'INTERNAL'
  | 'UNAVAILABLE'
  | 'DEADLINE_EXCEEDED'
  | 'FAILED_PRECONDITION'
  | 'INVALID_ARGUMENT'
  | 'PROMPT_BLOCKED';

export interface GeminiErrorOptions {
  /** Overrides the vendor text (INVALID_ARGUMENT has no default worth keeping). */
  message?: string;
  /** For NOT_FOUND and quota messages. */
  model?: string;
  /** For NOT_FOUND: the method the model is not found for. */
  method?: string;
  /** For API_KEY_INVALID: the key echoed in DebugInfo, as the real body does ([G4]). */
  key?: string;
  /** RESOURCE_EXHAUSTED: RetryInfo.retryDelay; null leaves RetryInfo out. Default "59s". */
  retryDelay?: string | null;
  /** RESOURCE_EXHAUSTED: end the message with "Please retry in …" (docs/providers/gemini.md §3.1, newer messages). */
  retryHintInMessage?: string;
  /** RESOURCE_EXHAUSTED: which quota ran out. Default per-minute. */
  quota?: 'per-minute' | 'per-day' | 'zero';
}

const googleStatusNames: Record<GeminiErrorKind, [number, string]> = {
  API_KEY_INVALID: [400, 'INVALID_ARGUMENT'],
  UNREGISTERED_CALLER: [403, 'PERMISSION_DENIED'],
  SERVICE_DISABLED: [403, 'PERMISSION_DENIED'],
  NOT_FOUND: [404, 'NOT_FOUND'],
  RESOURCE_EXHAUSTED: [429, 'RESOURCE_EXHAUSTED'],
  INTERNAL: [500, 'INTERNAL'],
  UNAVAILABLE: [503, 'UNAVAILABLE'],
  DEADLINE_EXCEEDED: [504, 'DEADLINE_EXCEEDED'],
  FAILED_PRECONDITION: [400, 'FAILED_PRECONDITION'],
  INVALID_ARGUMENT: [400, 'INVALID_ARGUMENT'],
  PROMPT_BLOCKED: [400, 'INVALID_ARGUMENT'],
};

function quotaDetails(options: GeminiErrorOptions): { message: string; details: unknown[] } {
  const model = options.model ?? 'gemini-2.5-flash-image';
  const perDay = options.quota === 'per-day' || options.quota === 'zero';
  const quotaId = perDay
    ? 'GenerateRequestsPerDayPerProjectPerModel-FreeTier'
    : 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier';
  const metric = 'generativelanguage.googleapis.com/generate_content_free_tier_requests';
  let message =
    'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.';
  if (options.quota === 'zero')
    message += `\n* Quota exceeded for metric: ${metric}, limit: 0, model: ${model}`;
  if (options.retryHintInMessage) message += `\nPlease retry in ${options.retryHintInMessage}.`;
  const retryDelay = options.retryDelay === undefined ? '59s' : options.retryDelay;
  const details: unknown[] = [
    {
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [
        {
          quotaMetric: metric,
          quotaId,
          quotaDimensions: { location: 'global', model },
          ...(options.quota === 'zero' ? { quotaValue: '0' } : {}),
        },
      ],
    },
    {
      '@type': 'type.googleapis.com/google.rpc.Help',
      links: [
        {
          description: 'Learn more about Gemini API quotas',
          url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
        },
      ],
    },
    ...(retryDelay === null ? [] : [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay }]),
  ];
  return { message, details };
}

/** A docs/providers/gemini.md §3.1 error: the google.rpc.Status envelope with `code` a number equal to the HTTP status. */
export function geminiError(
  kind: GeminiErrorKind,
  options: GeminiErrorOptions = {},
): { status: number; body: Record<string, unknown> } {
  const [status, statusName] = googleStatusNames[kind];
  let message: string;
  let details: unknown[] | undefined;
  switch (kind) {
    case 'API_KEY_INVALID':
      message = 'API key not valid. Please pass a valid API key.';
      details = [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'API_KEY_INVALID',
          domain: 'googleapis.com',
          metadata: { service: 'generativelanguage.googleapis.com' },
        },
        { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
        ...(options.key
          ? [
              {
                '@type': 'type.googleapis.com/google.rpc.DebugInfo',
                detail: `Invalid API key: ${options.key}`,
              },
            ]
          : []),
      ];
      break;
    case 'UNREGISTERED_CALLER':
      message =
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.";
      break;
    case 'SERVICE_DISABLED':
      message =
        'Generative Language API has not been used in project 12345678 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/generativelanguage.googleapis.com/overview?project=12345678 then retry.';
      details = [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'SERVICE_DISABLED',
          domain: 'googleapis.com',
          metadata: { service: 'generativelanguage.googleapis.com', consumer: 'projects/12345678' },
        },
      ];
      break;
    case 'NOT_FOUND':
      message = `models/${options.model ?? 'unknown'} is not found for API version v1beta, or is not supported for ${options.method ?? 'generateContent'}. Call ListModels to see the list of available models and their supported methods.`;
      break;
    case 'RESOURCE_EXHAUSTED':
      ({ message, details } = quotaDetails(options));
      break;
    case 'INTERNAL':
      // docs/providers/gemini.md §3.1: the text is (unverified).
      message =
        'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting';
      break;
    case 'UNAVAILABLE':
      message = 'The model is overloaded. Please try again later.';
      break;
    case 'DEADLINE_EXCEEDED':
      message = 'Deadline expired before operation could complete.';
      break;
    case 'FAILED_PRECONDITION':
      message = 'User location is not supported for the API use.';
      break;
    case 'PROMPT_BLOCKED':
      message =
        "Image generation failed with the following error: The prompt could not be submitted. This prompt contains sensitive words that violate Google's Responsible AI practices. Try rephrasing the prompt. If you think this was an error, send feedback. Support codes: 42876398";
      break;
    case 'INVALID_ARGUMENT':
      message = 'Request contains an invalid argument.';
      break;
  }
  return {
    status,
    body: {
      error: {
        code: status,
        message: options.message ?? message,
        status: statusName,
        ...(details ? { details } : {}),
      },
    },
  };
}

/** A fault for `fake.inject()` that answers with the docs/providers/gemini.md §3.1 error of that kind. */
export function geminiErrorFault(kind: GeminiErrorKind, options: GeminiErrorOptions = {}): Fault {
  const { status, body } = geminiError(kind, options);
  return { kind: 'status', status, body, headers: { 'content-type': 'application/json; charset=UTF-8' } };
}
