import { isUigError, type StorageUnavailableError, type UigError } from '@uig/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/**
 * One error handler for every route: the OpenAI envelope
 * `{"error":{"message","type","code","param"}}` plus `request_id`, with the status
 * of docs/api.md. Codes are OpenAI-style lower snake case. Unknown errors answer a
 * generic 500 and are logged; their messages (which may hold secrets) never reach
 * the client.
 */
export interface ErrorBody {
  error: {
    message: string;
    type: string;
    code: string;
    param: string | null;
    provider?: string;
    vendor_code?: string;
  };
  request_id: string;
}

export function errorBody(error: UigError, requestId: string): ErrorBody {
  return {
    error: {
      message: error.message,
      type: error.type,
      code: error.code.toLowerCase(),
      param: error.param ?? null,
      ...(error.provider ? { provider: error.provider } : {}),
      ...(error.vendorCode ? { vendor_code: error.vendorCode } : {}),
    },
    request_id: requestId,
  };
}

function fromFastify(
  error: FastifyError,
): { status: number; body: Omit<ErrorBody, 'request_id'> } | undefined {
  const make = (status: number, type: string, code: string, message: string) => ({
    status,
    body: { error: { message, type, code, param: null } },
  });
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return make(
        413,
        'invalid_request_error',
        'payload_too_large',
        'The request body is larger than this gateway accepts.',
      );
    case 'FST_REQ_FILE_TOO_LARGE':
      return make(
        413,
        'invalid_request_error',
        'payload_too_large',
        'An uploaded file is larger than this gateway accepts for an input image.',
      );
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return make(
        413,
        'invalid_request_error',
        'payload_too_large',
        'The multipart body has more files or fields than an edit takes.',
      );
    case 'FST_PROTO_VIOLATION':
      return make(400, 'invalid_request_error', 'invalid_parameter', 'A field name is not allowed.');
    case 'FST_MP_PREMATURE_CLOSE':
      return make(400, 'invalid_request_error', 'invalid_body', 'The multipart body ended early.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return make(
        415,
        'invalid_request_error',
        'unsupported_media_type',
        'Send application/json (or multipart/form-data for /v1/images/edits).',
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return make(400, 'invalid_request_error', 'invalid_json', 'The body is empty; send a JSON object.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return make(400, 'invalid_request_error', 'invalid_json', 'The body is not valid JSON.');
    default:
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return make(
          error.statusCode,
          'invalid_request_error',
          String(error.code ?? 'invalid_request').toLowerCase(),
          error.message,
        );
      }
      if (error instanceof SyntaxError)
        return make(400, 'invalid_request_error', 'invalid_json', 'The body is not valid JSON.');
      // busboy's own complaints about a malformed multipart body.
      if (error instanceof Error && /multipart|boundary/i.test(error.message))
        return make(400, 'invalid_request_error', 'invalid_body', 'The multipart body is malformed.');
      return undefined;
  }
}

/** Retry-After for a 429 rate_limit_exceeded whose vendor named no wait. */
const defaultRetryAfterMs = 5000;

export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isUigError(error)) {
    if (error.code === 'STORAGE_UNAVAILABLE') {
      // The gateway's own disk, not the vendor: error level, with what the OS said and where.
      const { osCode, path } = error as StorageUnavailableError;
      request.log.error({ code: error.code, os_code: osCode, path, err: error }, 'image store unavailable');
    } else if (error.type === 'upstream_error')
      request.log.warn({ code: error.code, provider: error.provider }, 'request failed upstream');
    // A bug (an unexpected throw wrapped as internal_error): the original error and its
    // stack, under the request id; the client only gets the request id.
    else if (error.status >= 500)
      request.log.error({ code: error.code, err: error.cause ?? error }, 'request failed');
    // A rate limit always says when to come back; a vendor that gave no hint gets our default.
    const retryAfterMs =
      error.retryAfterMs ?? (error.code === 'RATE_LIMIT_EXCEEDED' ? defaultRetryAfterMs : undefined);
    if (retryAfterMs !== undefined && (error.status === 429 || error.status === 503))
      reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
    // A vendor's 429 or 5xx (or timeout) reaches the client only after the gateway's own
    // retries ran out: the official OpenAI SDKs would retry it again, multiplying the
    // vendor calls, unless told not to. This gateway's own 429 names no provider.
    if (error.provider !== undefined && (error.status === 429 || error.status >= 500))
      reply.header('x-should-retry', 'false');
    request.errorCode = error.code.toLowerCase();
    return reply.status(error.status === 499 ? 400 : error.status).send(errorBody(error, request.id));
  }
  const mapped = fromFastify(error as FastifyError);
  if (mapped) {
    request.errorCode = mapped.body.error.code;
    return reply.status(mapped.status).send({ ...mapped.body, request_id: request.id });
  }
  request.log.error({ err: error }, 'unhandled error');
  request.errorCode = 'internal_error';
  return reply.status(500).send({
    error: { message: 'Internal error.', type: 'server_error', code: 'internal_error', param: null },
    request_id: request.id,
  });
}
