import type { FakeResponse } from '../fake-upstream.js';

/**
 * The fal error answers (docs/providers/fal.md §9.4) the fal fake gives, and the prompt words that
 * ask for them. Bodies and statuses the spec marks (unverified) are settings of the fake.
 */

/** docs/providers/fal.md §9.4 infrastructure error types with their status; `runner_connection_refused`'s is (unverified). */
export const falInfrastructureErrors: Record<string, { status: number; detail: string }> = {
  request_timeout: { status: 504, detail: 'Request timed out' },
  startup_timeout: { status: 504, detail: 'Runner startup timed out' },
  runner_scheduling_failure: { status: 503, detail: 'Could not schedule a runner' },
  runner_connection_timeout: { status: 503, detail: 'Runner connection timed out' },
  runner_disconnected: { status: 503, detail: 'Runner disconnected' },
  runner_connection_refused: { status: 503, detail: 'Runner connection refused' },
};

/** docs/providers/fal.md §9.4: `categories` of a content-policy refusal. */
export type FalPolicyCategory =
  | 'harassment'
  | 'hate'
  | 'illicit'
  | 'self-harm'
  | 'sexual'
  | 'violence'
  | 'model_moderated';

/**
 * Put one of these in a prompt to get the matching behaviour. Distinct words, none a prefix
 * of another.
 */
export const falTriggers = {
  /** docs/providers/fal.md §9.4: the result answers 422 `content_policy_violation` (categories `sexual`). */
  contentPolicy: 'FAKE_FAL_CONTENT_POLICY',
  /** docs/providers/fal.md §9.3: every image comes back with `has_nsfw_concepts[i] = true`. */
  nsfwAll: 'FAKE_FAL_NSFW_ALL',
  /** Only the first image is flagged. */
  nsfwFirst: 'FAKE_FAL_NSFW_FIRST',
  /** docs/providers/fal.md §9.4: the submit answers 403 "User is locked. Reason: Exhausted balance". */
  exhaustedBalance: 'FAKE_FAL_EXHAUSTED_BALANCE',
  /** docs/providers/fal.md §9.4: the submit answers 429 (body unverified) with `Retry-After: 1`. */
  rateLimited: 'FAKE_FAL_RATE_LIMITED',
  /** docs/providers/fal.md §9.4: `{"error":{"message","code"}}` with HTTP 500, the AI SDK's other shape. */
  errorObject: 'FAKE_FAL_ERROR_OBJECT',
  /** The result answers 422 with `X-Fal-Retryable: true` (a model error worth another try). */
  retryableModelError: 'FAKE_FAL_RETRYABLE_MODEL_ERROR',
  /** The result answers the docs/providers/fal.md §9.4 infrastructure error `type` (its status, header and body). */
  infrastructure: (type: string) => `FAKE_FAL_INFRA[${type}]`,
  /** The status reports FAILED (observed in third-party schemas, unverified); the result answers 500. */
  failed: 'FAKE_FAL_FAILED',
  /** The request never leaves IN_QUEUE (deadline and cancel tests). */
  stuck: 'FAKE_FAL_STUCK',
} as const;

export const falInfrastructureTrigger = (prompt: string): string | undefined =>
  /FAKE_FAL_INFRA\[([\w]+)\]/.exec(prompt)?.[1];

/** docs/providers/fal.md §9.4: a 422 with a `detail` list. */
export function falValidationError(field: string, message: string, type = 'value_error'): FakeResponse {
  return {
    status: 422,
    headers: { 'x-fal-retryable': 'false' },
    json: { detail: [{ loc: ['body', field], msg: message, type }] },
  };
}

/** docs/providers/fal.md §9.4 content policy body, as fal's error reference is quoted. */
export function falContentPolicyError(
  input: string,
  categories: FalPolicyCategory[] = ['sexual'],
): FakeResponse {
  return {
    status: 422,
    headers: { 'x-fal-retryable': 'false' },
    json: {
      detail: [
        {
          loc: ['body', 'prompt'],
          msg: 'The content was flagged by a content checker.',
          type: 'content_policy_violation',
          url: 'https://docs.fal.ai/errors#content_policy_violation',
          input,
          categories,
        },
      ],
    },
  };
}

/** docs/providers/fal.md §9.4: infrastructure errors carry `error_type` and `X-Fal-Error-Type`. */
export function falInfrastructureError(type: string): FakeResponse {
  const known = falInfrastructureErrors[type] ?? { status: 503, detail: 'Runner error' };
  return {
    status: known.status,
    headers: { 'x-fal-error-type': type },
    json: { detail: known.detail, error_type: type },
  };
}

/** docs/providers/fal.md §9.4 (observed fixture). */
export const falExhaustedBalance: FakeResponse = {
  status: 403,
  json: {
    detail: 'User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing.',
  },
};
