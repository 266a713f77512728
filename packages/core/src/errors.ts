/**
 * One base class for every error uig raises. A stable `code` (SCREAMING_SNAKE),
 * the HTTP status the REST API answers with, whether core may retry it, and how
 * long the vendor asked us to wait. `isUigError` works across package copies
 * because it checks a global symbol marker, not the prototype chain.
 */
const marker = Symbol.for('uig.error');

export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'insufficient_quota'
  | 'upstream_error'
  | 'server_error';

export interface UigErrorOptions {
  code: string;
  status: number;
  type: ErrorType;
  retryable?: boolean;
  retryAfterMs?: number | undefined;
  provider?: string | undefined;
  /** The request field at fault, e.g. `size` or `provider_options.cogview.quality`. */
  param?: string | undefined;
  /** The vendor's own error code, kept as given (`1301`, `moderation_blocked`, ...). */
  vendorCode?: string | undefined;
  vendorRequestId?: string | undefined;
  cause?: unknown;
}

export class UigError extends Error {
  readonly [marker] = true;
  readonly code: string;
  readonly status: number;
  readonly type: ErrorType;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly provider: string | undefined;
  readonly param: string | undefined;
  readonly vendorCode: string | undefined;
  readonly vendorRequestId: string | undefined;

  constructor(message: string, options: UigErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.status = options.status;
    this.type = options.type;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.provider = options.provider;
    this.param = options.param;
    this.vendorCode = options.vendorCode;
    this.vendorRequestId = options.vendorRequestId;
  }
}

export function isUigError(value: unknown): value is UigError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}

type Extra = Partial<Omit<UigErrorOptions, 'status' | 'type'>>;

/** 400: the caller's request is wrong. `code` names the problem, `param` the field. */
export class InvalidRequestError extends UigError {
  constructor(message: string, extra: Extra = {}) {
    super(message, { code: 'INVALID_REQUEST', ...extra, status: 400, type: 'invalid_request_error' });
  }
}

/** 400: the model cannot do what was asked (edit, mask, seed, this size...). */
export class UnsupportedCapabilityError extends UigError {
  constructor(message: string, extra: Extra = {}) {
    super(message, { code: 'UNSUPPORTED_CAPABILITY', ...extra, status: 400, type: 'invalid_request_error' });
  }
}

/** 400: the vendor has shut the model down; the message names the replacement. No vendor call is made. */
export class ModelRetiredError extends UigError {
  constructor(message: string, extra: Extra = {}) {
    super(message, {
      code: 'MODEL_RETIRED',
      param: 'model',
      ...extra,
      status: 400,
      type: 'invalid_request_error',
    });
  }
}

/** 400: the vendor refused the prompt or the output on safety grounds. Never retried. */
export class ContentPolicyError extends UigError {
  constructor(message: string, extra: Extra = {}) {
    super(message, {
      code: 'CONTENT_POLICY_VIOLATION',
      ...extra,
      status: 400,
      type: 'invalid_request_error',
    });
  }
}

/** 401: missing or wrong client key for this gateway. */
export class ClientAuthenticationError extends UigError {
  constructor(message: string, extra: Extra = {}) {
    super(message, { code: 'INVALID_API_KEY', ...extra, status: 401, type: 'authentication_error' });
  }
}

/** 403: the client key may not use this model. */
export class PermissionDeniedError extends UigError {
  constructor(message: string, extra: Extra = {}) {
    super(message, { code: 'MODEL_NOT_ALLOWED', ...extra, status: 403, type: 'permission_error' });
  }
}

/** 404: unknown model, or unknown stored image. */
export class NotFoundError extends UigError {
  constructor(message: string, extra: Extra = {}) {
    super(message, { code: 'NOT_FOUND', ...extra, status: 404, type: 'not_found_error' });
  }
}

export class ModelNotFoundError extends NotFoundError {
  constructor(message: string, extra: Extra = {}) {
    super(message, { code: 'MODEL_NOT_FOUND', param: 'model', ...extra });
  }
}

/** 409: the change conflicts with what exists (a client id taken, a client the config file owns). */
export class ConflictError extends UigError {
  constructor(message: string, extra: Extra = {}) {
    super(message, { code: 'CONFLICT', ...extra, status: 409, type: 'invalid_request_error' });
  }
}

/** 413: body or image larger than allowed. */
export class PayloadTooLargeError extends UigError {
  constructor(message: string, extra: Extra = {}) {
    super(message, { code: 'PAYLOAD_TOO_LARGE', ...extra, status: 413, type: 'invalid_request_error' });
  }
}

/**
 * 429: a limit was hit, ours or the vendor's. Retryable when it came from the
 * vendor (core retries it, honouring `retryAfterMs`).
 */
export class RateLimitedError extends UigError {
  constructor(message: string, extra: Extra = {}) {
    super(message, {
      code: 'RATE_LIMIT_EXCEEDED',
      retryable: true,
      ...extra,
      status: 429,
      type: 'rate_limit_error',
    });
  }
}

/** 429 insufficient_quota: the vendor balance or quota is gone. Never retried. */
export class QuotaExhaustedError extends UigError {
  constructor(message: string, extra: Extra = {}) {
    super(message, {
      code: 'INSUFFICIENT_QUOTA',
      ...extra,
      retryable: false,
      status: 429,
      type: 'insufficient_quota',
    });
  }
}

/** The vendor rejected our credential. The client sees 502: it is our fault, not theirs. */
export class UpstreamAuthenticationError extends UigError {
  constructor(message: string, extra: Extra = {}) {
    super(message, {
      code: 'UPSTREAM_AUTHENTICATION',
      ...extra,
      retryable: false,
      status: 502,
      type: 'upstream_error',
    });
  }
}

/** 502: the vendor failed (5xx, connection reset). Retryable. */
export class UpstreamUnavailableError extends UigError {
  constructor(message: string, extra: Extra = {}) {
    super(message, {
      code: 'UPSTREAM_UNAVAILABLE',
      retryable: true,
      ...extra,
      status: 502,
      type: 'upstream_error',
    });
  }
}

/** 504: the vendor did not answer in time. Retryable. */
export class UpstreamTimeoutError extends UigError {
  constructor(message: string, extra: Extra = {}) {
    super(message, {
      code: 'UPSTREAM_TIMEOUT',
      retryable: true,
      ...extra,
      status: 504,
      type: 'upstream_error',
    });
  }
}

/**
 * 502: the vendor answered something we cannot use (bad JSON, no image). Not retried,
 * except a broken image (truncated, bad checksum), which a second try usually fixes.
 */
export class InvalidUpstreamResponseError extends UigError {
  constructor(message: string, extra: Extra = {}) {
    super(message, {
      code: 'INVALID_UPSTREAM_RESPONSE',
      retryable: false,
      ...extra,
      status: 502,
      type: 'upstream_error',
    });
  }
}

/** 503: no provider can serve this request (none configured, all credentials out). */
export class NoProviderAvailableError extends UigError {
  constructor(message: string, extra: Extra = {}) {
    super(message, { code: 'NO_PROVIDER_AVAILABLE', ...extra, status: 503, type: 'server_error' });
  }
}

/**
 * 503 storage_unavailable: the image store cannot write (a full or read-only disk, a
 * folder the process may not write, an unreachable bucket). Not the vendor's fault and
 * not the caller's: it is logged at error level with the OS code and the path, and
 * `Retry-After` tells the client when to try again. `osCode` is the operating system's
 * (or object store's) own code, `ENOSPC`, `EROFS`, `EACCES`, ...
 */
export class StorageUnavailableError extends UigError {
  readonly osCode: string;
  readonly path: string | undefined;

  constructor(message: string, extra: Extra & { osCode: string; path?: string | undefined }) {
    const { osCode, path, ...rest } = extra;
    super(message, {
      code: 'STORAGE_UNAVAILABLE',
      retryAfterMs: 30_000,
      ...rest,
      retryable: false,
      status: 503,
      type: 'server_error',
    });
    this.osCode = osCode;
    this.path = path;
  }
}

/** The caller went away (AbortSignal). Not an HTTP answer anyone will read. */
export class RequestAbortedError extends UigError {
  constructor(message = 'The request was cancelled.', extra: Extra = {}) {
    super(message, { code: 'REQUEST_ABORTED', ...extra, status: 499, type: 'invalid_request_error' });
  }
}

/** Turn anything thrown into a UigError without leaking its message if it may hold secrets. */
export function toUigError(error: unknown, provider?: string): UigError {
  if (isUigError(error)) return error;
  if (error instanceof Error && error.name === 'AbortError')
    return new RequestAbortedError(undefined, { provider, cause: error });
  return new UigError('Internal error.', {
    code: 'INTERNAL_ERROR',
    status: 500,
    type: 'server_error',
    provider,
    cause: error,
  });
}

/**
 * 503 database_unavailable: the usage store (PGlite in the data folder, or PostgreSQL at
 * UIG_DATABASE_URL) cannot be reached. Budgets cannot be checked without it, so a client
 * with a budget is refused rather than let through unaccounted (docs/accounting.md).
 */
export class DatabaseUnavailableError extends UigError {
  constructor(message: string, extra: Extra = {}) {
    super(message, {
      code: 'DATABASE_UNAVAILABLE',
      retryAfterMs: 10_000,
      ...extra,
      retryable: false,
      status: 503,
      type: 'server_error',
    });
  }
}

/**
 * 429 budget_exceeded: the client key's `budgetUsdPerDay` or `budgetUsdPerMonth` would be
 * passed by this request's reserved cost. Nothing was sent to the vendor; `retryAfterMs`
 * runs until the budget's period resets (UTC midnight, or the first of the next month).
 */
export class BudgetExceededError extends UigError {
  constructor(message: string, extra: Extra = {}) {
    super(message, {
      code: 'BUDGET_EXCEEDED',
      ...extra,
      retryable: false,
      status: 429,
      type: 'insufficient_quota',
    });
  }
}
