import { randomBytes } from 'node:crypto';
import type { Fault } from '../fake-upstream.js';

/** The docs/providers/openai.md §2.8 error catalogue of the OpenAI fake, and the prompt words that trigger each. */

/** Put one of these in a prompt to get the matching docs/providers/openai.md §2.8 error. None is a prefix of another. */
export const openaiTriggers = {
  /** 400 `moderation_blocked` for GPT image, `content_policy_violation` for DALL·E (docs/providers/openai.md (testing notes)). */
  unsafe: 'FAKE_OPENAI_UNSAFE',
  moderationBlocked: 'FAKE_OPENAI_MODERATION_BLOCKED',
  contentPolicy: 'FAKE_OPENAI_CONTENT_POLICY',
  /** 400 invalid parameter naming `size`. */
  invalidParameter: 'FAKE_OPENAI_INVALID_PARAMETER',
  invalidApiKey: 'FAKE_OPENAI_INVALID_API_KEY',
  permissionDenied: 'FAKE_OPENAI_PERMISSION_DENIED',
  modelNotFound: 'FAKE_OPENAI_MODEL_NOT_FOUND',
  rateLimit: 'FAKE_OPENAI_RATE_LIMIT',
  quota: 'FAKE_OPENAI_QUOTA',
  serverError: 'FAKE_OPENAI_SERVER_ERROR',
  /** Streaming only: one partial image, then `event: error` (docs/providers/openai.md §2.7). */
  streamError: 'FAKE_OPENAI_STREAM_ERROR',
} as const;

export type OpenAIErrorKind =
  | 'moderation_blocked'
  | 'content_policy_violation'
  | 'invalid_parameter'
  | 'invalid_api_key'
  | 'permission_denied'
  | 'model_not_found'
  | 'rate_limit_exceeded'
  | 'insufficient_quota'
  | 'server_error';

/** docs/providers/openai.md §2.8 bodies, as captured (messages included: adapters must not depend on them). */
const errorCatalog: Record<
  OpenAIErrorKind,
  { status: number; type: string; code: string | null; param: string | null; message: string }
> = {
  moderation_blocked: {
    status: 400,
    type: 'image_generation_user_error',
    code: 'moderation_blocked',
    param: null,
    message:
      'Your request was rejected by the safety system. If you believe this is an error, contact us at help.openai.com and include the request ID {id}. safety_violations=[sexual].',
  },
  content_policy_violation: {
    status: 400,
    type: 'invalid_request_error',
    code: 'content_policy_violation',
    param: null,
    message:
      'Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.',
  },
  invalid_parameter: {
    status: 400,
    type: 'invalid_request_error',
    code: null,
    param: null,
    message: "'512x513' is not one of ['256x256', '512x512', '1024x1024'] - 'size'",
  },
  invalid_api_key: {
    status: 401,
    type: 'invalid_request_error',
    code: 'invalid_api_key',
    param: null,
    message:
      'Incorrect API key provided: sk-****. You can find your API key at https://platform.openai.com/account/api-keys.',
  },
  permission_denied: {
    status: 403,
    type: 'invalid_request_error',
    code: null,
    param: null,
    message: 'Your organization must be verified to use this model.',
  },
  model_not_found: {
    status: 404,
    type: 'invalid_request_error',
    code: 'model_not_found',
    param: null,
    message: 'The model does not exist or you do not have access to it.',
  },
  rate_limit_exceeded: {
    status: 429,
    type: 'requests',
    code: 'rate_limit_exceeded',
    param: null,
    message:
      'Rate limit exceeded for images per minute in organization org-XXXX. Limit: 5/1min. Current: 6/1min. Please visit https://platform.openai.com/docs/guides/rate-limits to learn how to increase your rate limit.',
  },
  insufficient_quota: {
    status: 429,
    type: 'insufficient_quota',
    code: 'insufficient_quota',
    param: null,
    message: 'You exceeded your current quota, please check your plan and billing details.',
  },
  server_error: {
    status: 500,
    type: 'server_error',
    code: null,
    param: null,
    message: 'The server had an error while processing your request. Sorry about that!',
  },
};

export interface OpenAIErrorBodyOptions {
  message?: string;
  param?: string | null;
  /** Overrides the code (docs/providers/openai.md §2.8: `insufficient_quota` was observed with `code: null`). */
  code?: string | null;
  /** Observed on some moderation paths (docs/providers/openai.md §2.8). */
  moderationStage?: 'input' | 'output';
  requestId?: string;
}

/** A docs/providers/openai.md §2.8 body: `{"error":{"message","type","param","code"}}`. */
export function openaiErrorBody(
  kind: OpenAIErrorKind,
  options: OpenAIErrorBodyOptions = {},
): { error: Record<string, unknown> } {
  const entry = errorCatalog[kind];
  const error: Record<string, unknown> = {
    message: (options.message ?? entry.message).replace('{id}', options.requestId ?? newRequestId()),
    type: entry.type,
    param: options.param === undefined ? entry.param : options.param,
    code: options.code === undefined ? entry.code : options.code,
  };
  if (options.moderationStage)
    error.moderation_details = { moderation_stage: options.moderationStage, categories: ['sexual'] };
  return { error };
}

export function openaiErrorStatus(kind: OpenAIErrorKind): number {
  return errorCatalog[kind].status;
}

export interface OpenAIErrorFaultOptions extends OpenAIErrorBodyOptions {
  status?: number;
  /** `retry-after` (seconds or an HTTP date) and `retry-after-ms` (docs/providers/openai.md §2.8); only sent when given. */
  retryAfter?: string;
  retryAfterMs?: string;
  headers?: Record<string, string>;
}

/** A fault for `fake.inject()` answering with the docs/providers/openai.md §2.8 error for `kind`, with an `x-request-id`. */
export function openaiErrorFault(kind: OpenAIErrorKind, options: OpenAIErrorFaultOptions = {}): Fault {
  const requestId = options.requestId ?? newRequestId();
  const headers: Record<string, string> = { 'x-request-id': requestId, ...options.headers };
  if (options.retryAfter !== undefined) headers['retry-after'] = options.retryAfter;
  if (options.retryAfterMs !== undefined) headers['retry-after-ms'] = options.retryAfterMs;
  return {
    kind: 'status',
    status: options.status ?? openaiErrorStatus(kind),
    body: openaiErrorBody(kind, { ...options, requestId }),
    headers,
  };
}

export const newRequestId = () => `req_${randomBytes(16).toString('hex')}`;
