import { isUigError, type UigError } from '@uig/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/**
 * One error handler for every route: the OpenAI envelope
 * `{"error":{"message","type","code","param"}}` plus `request_id`, with the status
 * of DESIGN §4. Codes are OpenAI-style lower snake case. Unknown errors answer a
 * generic 500 and are logged; their messages (which may hold secrets) never reach
 * the client.
 */
export interface ErrorBody {
  error: { message: string; type: string; code: string; param: string | null; provider?: string; vendor_code?: string };
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

function fromFastify(error: FastifyError): { status: number; body: Omit<ErrorBody, 'request_id'> } | undefined {
  const make = (status: number, type: string, code: string, message: string) => ({ status, body: { error: { message, type, code, param: null } } });
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return make(413, 'invalid_request_error', 'payload_too_large', 'The request body is larger than this gateway accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return make(415, 'invalid_request_error', 'unsupported_media_type', 'Send application/json (or multipart/form-data for /v1/images/edits).');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return make(400, 'invalid_request_error', 'invalid_json', 'The body is empty; send a JSON object.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return make(400, 'invalid_request_error', 'invalid_json', 'The body is not valid JSON.');
    default:
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return make(error.statusCode, 'invalid_request_error', String(error.code ?? 'invalid_request').toLowerCase(), error.message);
      }
      if (error instanceof SyntaxError) return make(400, 'invalid_request_error', 'invalid_json', 'The body is not valid JSON.');
      return undefined;
  }
}

export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isUigError(error)) {
    if (error.status >= 500) request.log.warn({ code: error.code, provider: error.provider }, 'request failed upstream');
    if (error.retryAfterMs !== undefined && error.status === 429) reply.header('retry-after', String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))));
    return reply.status(error.status === 499 ? 400 : error.status).send(errorBody(error, request.id));
  }
  const mapped = fromFastify(error as FastifyError);
  if (mapped) return reply.status(mapped.status).send({ ...mapped.body, request_id: request.id });
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send({ error: { message: 'Internal error.', type: 'server_error', code: 'internal_error', param: null }, request_id: request.id });
}
