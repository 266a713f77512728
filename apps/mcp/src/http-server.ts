import {
  type ClientAuthenticator,
  ConfigError,
  isUigError,
  type ClientConfig,
  type Env,
  type ManagedClients,
} from '@uig/core';
import { UrlSigner } from '@uig/runtime';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { buildServer } from './build-server.js';
import { createMcpDependencies, type McpRuntime } from './mcp-dependencies.js';
import type { Logger } from './logger.js';
import { isLoopbackHost, type McpSettings } from './mcp-settings.js';
import { hostAllowed, originAllowed } from './request-guard.js';
import { InFlightCalls } from './in-flight-calls.js';

/**
 * MCP over Streamable HTTP at `/mcp`, stateless: every POST gets a new McpServer
 * and transport (SDK ≥ 1.26 refuses to reuse a stateless transport), built for
 * that request's client key, so tool descriptions and list_models show only the
 * models the key may use. Also serves the signed image URLs it hands out, at the
 * gateway's path `/v1/images/<id>/content`, so they work without the gateway.
 */
export interface McpHttpServerOptions {
  runtime: McpRuntime & { authenticator: ClientAuthenticator; managedClients: ManagedClients };
  settings: McpSettings;
  env: Env;
  logger: Logger;
  host: string;
  port: number;
}

export interface McpHttpServer {
  /** `http://host:port` */
  url: string;
  close(): Promise<void>;
}

function jsonRpcError(
  response: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  response.end(body);
}

class BodyTooLargeError extends Error {}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

interface JsonRpcMessage {
  id?: string | number;
  method?: string;
  params?: { requestId?: string | number };
}

export async function startHttpServer({
  runtime,
  settings,
  env,
  logger,
  host,
  port,
}: McpHttpServerOptions): Promise<McpHttpServer> {
  const { authenticator, config } = runtime;
  if (!isLoopbackHost(host) && !authenticator.enabled) {
    throw new ConfigError(
      `Refusing to serve MCP on ${host} without client keys: anyone who can reach it could spend your provider credits. Set UIG_API_KEYS (or clients in UIG_CONFIG), or bind 127.0.0.1.`,
    );
  }
  const sockets = new Set<Socket>();
  const inFlight = new InFlightCalls();
  const server = createServer();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const displayHost =
    address.family === 'IPv6'
      ? `[${address.address}]`
      : address.address === '0.0.0.0'
        ? '127.0.0.1'
        : address.address;
  const url = `http://${displayHost}:${address.port}`;
  // Signed URLs point at the gateway when UIG_PUBLIC_URL names it, else at this server.
  const signer = config.publicUrlConfigured
    ? runtime.signer
    : new UrlSigner(config.signingSecret, url, config.signedUrlTtlSeconds);
  const shared = createMcpDependencies({ runtime, settings, env, logger, signer });

  const handleMcp = async (request: IncomingMessage, response: ServerResponse) => {
    if (!originAllowed(request.headers.origin, settings.allowedOrigins)) {
      return jsonRpcError(
        response,
        403,
        -32000,
        `Origin ${request.headers.origin} is not allowed. Set UIG_MCP_ALLOWED_ORIGINS to allow it.`,
      );
    }
    if (request.method !== 'POST') {
      // Stateless: no standalone SSE stream (GET) and no session to delete (DELETE).
      return jsonRpcError(
        response,
        405,
        -32000,
        'Method not allowed: this server is stateless; send JSON-RPC with POST.',
        { allow: 'POST' },
      );
    }
    let client: ClientConfig | undefined;
    try {
      client = await runtime.managedClients.authenticate(request.headers.authorization);
    } catch (error) {
      const code = isUigError(error) ? error.code : 'INVALID_API_KEY';
      const challenge =
        code === 'MISSING_API_KEY' ? 'Bearer realm="uig"' : 'Bearer realm="uig", error="invalid_token"';
      return jsonRpcError(response, 401, -32001, `${(error as Error).message} (${code})`, {
        'www-authenticate': challenge,
      });
    }
    let body: unknown;
    try {
      body = JSON.parse((await readBody(request, config.bodyLimitBytes)).toString('utf8'));
    } catch (error) {
      if (error instanceof BodyTooLargeError)
        return jsonRpcError(
          response,
          413,
          -32000,
          `The request body is larger than ${config.bodyLimitBytes} bytes.`,
        );
      return jsonRpcError(response, 400, -32700, 'Parse error: the body must be JSON-RPC.');
    }
    const messages = (Array.isArray(body) ? body : [body]) as JsonRpcMessage[];
    const clientKey = client?.name ?? '';
    // A cancellation arrives as its own POST, to a fresh server that never saw the
    // call: the process-wide registry finds the call's transport and closes it,
    // which aborts the handler's signal and with it the vendor call.
    for (const message of messages) {
      if (message?.method === 'notifications/cancelled' && message.params?.requestId !== undefined)
        inFlight.cancel(clientKey, message.params.requestId);
    }

    const mcpServer = buildServer({ ...shared, ...(client ? { client } : {}), limiter: runtime.limiter });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      maxRequestBodySize: config.bodyLimitBytes,
    });
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      void transport.close().catch(() => undefined);
      void mcpServer.close().catch(() => undefined);
    };
    const registrations = messages.flatMap((message) =>
      message?.method === 'tools/call' && message.id !== undefined
        ? [inFlight.register(clientKey, message.id, close)]
        : [],
    );
    // The client went away (or the call finished): close this request's server, which
    // aborts any handler still running.
    response.on('close', () => {
      for (const unregister of registrations) unregister();
      close();
    });
    await mcpServer.connect(transport);
    await transport.handleRequest(request, response, body);
  };

  const handleContent = async (
    request: IncomingMessage,
    response: ServerResponse,
    id: string,
    query: URLSearchParams,
  ) => {
    if (!signer.verify(id, query.get('expires') ?? undefined, query.get('signature') ?? undefined)) {
      response.writeHead(403, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          error: { message: 'The URL is not signed, or has expired.', code: 'INVALID_SIGNATURE' },
        }),
      );
      return;
    }
    const found = request.method === 'HEAD' ? undefined : await runtime.store.stream(id);
    const image = found?.image ?? (await runtime.store.stat(id));
    if (!image) {
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end(
          JSON.stringify({ error: { message: `No stored image with id ${id}.`, code: 'IMAGE_NOT_FOUND' } }),
        );
      return;
    }
    response.writeHead(200, {
      'content-type': image.mimeType,
      'content-length': image.byteLength,
      etag: `"${image.id}"`,
      'cache-control': 'private, max-age=31536000, immutable',
    });
    if (!found) return void response.end();
    found.body.pipe(response);
  };

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const target = new URL(request.url ?? '/', 'http://placeholder');
    const run = async () => {
      if (target.pathname === '/mcp') {
        // DNS rebinding: a page on evil.example resolving to 127.0.0.1 still sends its own Host.
        if (!hostAllowed(request.headers.host, settings.allowedHosts)) {
          return jsonRpcError(
            response,
            403,
            -32000,
            `Host ${request.headers.host} is not allowed. Set UIG_MCP_ALLOWED_HOSTS to allow it.`,
          );
        }
        return handleMcp(request, response);
      }
      const content = /^\/v1\/images\/([a-f0-9]{32})\/content$/.exec(target.pathname);
      if (content && (request.method === 'GET' || request.method === 'HEAD'))
        return handleContent(request, response, content[1]!, target.searchParams);
      response.writeHead(404, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          error: { message: `No route ${request.method} ${target.pathname}; MCP is at /mcp.` },
        }),
      );
    };
    run().catch((error: unknown) => {
      logger.log('error', 'http request failed', {
        path: target.pathname,
        error: error instanceof Error ? error.stack : String(error),
      });
      if (!response.headersSent) jsonRpcError(response, 500, -32603, 'Internal server error.');
      else response.destroy();
    });
  });

  return {
    url,
    close: async () => {
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await done;
    },
  };
}
