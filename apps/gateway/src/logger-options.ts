import type { FastifyServerOptions } from 'fastify';

/**
 * Structured JSON logs (pino) for the server. Every line of a request carries its
 * `request_id` (Fastify's child logger; the same value as the x-request-id header).
 * No secrets and no image data: bodies are never logged, the request serializer keeps
 * only method, path and remote address (the `signature` of a signed image URL is cut
 * from the logged URL), and credential-bearing headers are redacted should anything
 * log them.
 */
const redactedPaths = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'apiKey',
  '*.apiKey',
];

/**
 * The logged form of a URL: query values that are credentials (a signed URL's
 * `signature`, and the `api_key`, `key`, `token`, `access_token` some clients put in
 * the query string) are replaced, whatever their case or encoding of the name.
 */
const secretParameter = /([?&](?:signature|api_key|api-key|apikey|key|token|access_token)=)[^&#]*/gi;

export function loggableUrl(url: string): string {
  return url.replace(secretParameter, '$1[redacted]');
}

interface LoggedRequest {
  method: string;
  url: string;
  ip?: string;
  socket?: { remoteAddress?: string };
}

export function loggerOptions(
  level = 'info',
  stream?: { write(line: string): void },
): NonNullable<Exclude<FastifyServerOptions['logger'], boolean>> {
  return {
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: {
      req: (request: LoggedRequest) => ({
        method: request.method,
        url: loggableUrl(request.url),
        remote_address: request.ip ?? request.socket?.remoteAddress,
      }),
      res: (reply: { statusCode: number }) => ({ status: reply.statusCode }),
    },
    ...(stream ? { stream } : {}),
  };
}
