import { randomUUID } from 'node:crypto';
import type { Fault } from '../fake-upstream.js';

/** docs/providers/wanx.md §4.7 codes with their HTTP status and the vendor's text (observed where captured). */
export const dashScopeErrorCatalog: Record<string, { status: number; message: string }> = {
  InvalidParameter: { status: 400, message: 'The request parameter is invalid.' },
  DataInspectionFailed: { status: 400, message: 'Input data may contain inappropriate content.' },
  IPInfringementSuspect: {
    status: 400,
    message: 'Input data is suspected of being involved in IP infringement.',
  },
  Arrearage: { status: 400, message: 'Access denied, please make sure your account is in good standing.' },
  InvalidApiKey: { status: 401, message: 'Invalid API-key provided.' },
  AccessDenied: { status: 403, message: 'Access denied.' },
  'AccessDenied.Unpurchased': {
    status: 403,
    message: 'Access to model denied. Please make sure you are eligible for using the model.',
  },
  'Model.AccessDenied': { status: 403, message: 'Model access denied.' },
  ModelNotFound: { status: 404, message: 'Model not exist.' },
  Throttling: { status: 429, message: 'Requests throttling triggered.' },
  'Throttling.RateQuota': { status: 429, message: 'Requests rate limit exceeded, please try again later.' },
  'Throttling.AllocationQuota': {
    status: 429,
    message: 'Allocated quota exceeded, please increase your quota limit.',
  },
  'AllocationQuota.FreeTierOnly': { status: 429, message: 'The free tier of the model has been exhausted.' },
  InternalError: {
    status: 500,
    message: 'An internal error has occured, please try again later or contact service support.',
  },
  'InternalError.Timeout': {
    status: 500,
    message:
      'An internal timeout error has occured during execution, please try again later or contact service support.',
  },
  'InternalError.Algo': { status: 500, message: 'An internal error occurred during algorithm execution.' },
  // Cancel of a task that is not PENDING (doc mirror of the task API, not in docs/providers/wanx.md §4).
  UnsupportedOperation: {
    status: 400,
    message: 'Failed to cancel the task, please confirm if the task is in PENDING status.',
  },
};

/** docs/providers/wanx.md §4.1: the text of the error for a create without `X-DashScope-Async: enable`. */
export const dashScopeSynchronousCallMessage = 'current user api does not support synchronous calls';
/**
 * Put one of these in a prompt to get the matching behaviour. The bracketed ones take
 * any docs/providers/wanx.md §4.7 code, so every error body is one word away.
 */
export const dashScopeTriggers = {
  /** The create call fails with `code`'s status and the flat docs/providers/wanx.md §4.7 body. */
  error: (code: string) => `FAKE_DASHSCOPE_ERROR[${code}]`,
  /** docs/providers/wanx.md §4.7 "HTTP 200 with a top-level code": the create call answers 200 and the error body. */
  errorWithStatus200: (code: string) => `FAKE_DASHSCOPE_200[${code}]`,
  /** The task is created, then polls end in FAILED with `output.code` = `code` (docs/providers/wanx.md §4.6). */
  taskFailed: (code: string) => `FAKE_DASHSCOPE_TASK_FAILED[${code}]`,
  dataInspection: 'FAKE_DASHSCOPE_ERROR[DataInspectionFailed]',
  rateQuota: 'FAKE_DASHSCOPE_ERROR[Throttling.RateQuota]',
  /** SUCCEEDED, but the last result item is `{code: "InternalError.Timeout", message}` (docs/providers/wanx.md §4.6). */
  partialFailure: 'FAKE_DASHSCOPE_PARTIAL_FAILURE',
  /** SUCCEEDED with every result item failed. */
  allItemsFailed: 'FAKE_DASHSCOPE_ALL_ITEMS_FAILED',
  /** The task never leaves PENDING (deadline and cancel tests). */
  stuckPending: 'FAKE_DASHSCOPE_STUCK_PENDING',
  /** The task never leaves RUNNING. */
  stuckRunning: 'FAKE_DASHSCOPE_STUCK_RUNNING',
  /** Polls answer UNKNOWN, as for a task the vendor lost or purged (docs/providers/wanx.md §4.6). */
  taskLost: 'FAKE_DASHSCOPE_TASK_LOST',
  /** The first poll answers HTTP 503, the second 504 (a gateway's HTML), then normally (docs/providers/wanx.md §4.7). */
  pollGatewayErrors: 'FAKE_DASHSCOPE_POLL_503_504',
} as const;

export const bracketedTrigger = (kind: string, prompt: string): string | undefined =>
  new RegExp(`FAKE_DASHSCOPE_${kind}\\[([\\w.]+)\\]`).exec(prompt)?.[1];

/** The flat docs/providers/wanx.md §4.7 body. */
export function dashScopeErrorBody(
  code: string,
  options: { message?: string; requestId?: string } = {},
): Record<string, unknown> {
  return {
    code,
    message: options.message ?? dashScopeErrorCatalog[code]?.message ?? 'Error.',
    request_id: options.requestId ?? randomUUID(),
  };
}

/** A fault for `fake.inject()` that answers with the vendor's error for `code` (status overridable, e.g. 200). */
export function dashScopeErrorFault(
  code: string,
  options: { status?: number; headers?: Record<string, string> } = {},
): Fault {
  return {
    kind: 'status',
    status: options.status ?? dashScopeErrorCatalog[code]?.status ?? 400,
    body: dashScopeErrorBody(code),
    headers: options.headers ?? {},
  };
}
