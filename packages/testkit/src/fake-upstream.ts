import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';

/**
 * A real HTTP server on 127.0.0.1 that vendor fakes are built on: routing, a log of
 * every request, files it serves itself (for vendors that answer with URLs), and
 * fault injection (a status N times, a delay, a connection reset, malformed JSON,
 * a hang). Each vendor fake (cogview/cogview-fake.ts, ...) only adds routes.
 */

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** Parsed JSON body, when the content type is JSON and it parsed. */
  json?: unknown;
}

export interface SseEvent {
  event?: string;
  data: string;
}

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  /** Raw body; wins over `json`. Pieces are written in order (shared buffers sent without copying). */
  body?: string | Buffer | readonly Buffer[];
  /** Server-sent events, written one by one. */
  sse?: AsyncIterable<SseEvent> | Iterable<SseEvent>;
}

export interface RouteContext {
  request: RecordedRequest;
  params: Record<string, string>;
  fake: FakeUpstream;
  /** Closes with the client connection; long handlers should watch it. */
  signal: AbortSignal;
}

export type RouteHandler = (context: RouteContext) => FakeResponse | Promise<FakeResponse>;

export type Fault =
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'delay'; ms: number }
  | { kind: 'reset' }
  | { kind: 'malformed-json'; status?: number }
  | { kind: 'hang' };

export interface FaultRule {
  fault: Fault;
  /** How many matching requests it applies to (default 1; Infinity for always). */
  times?: number;
  /** Let this many matching requests through first ("after N calls, return 429"). */
  after?: number;
  /** Only requests this predicate accepts (default: every route except served files). */
  match?: (request: RecordedRequest) => boolean;
}

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: RouteHandler;
}

interface ActiveRule extends Required<Omit<FaultRule, 'match'>> {
  match: (request: RecordedRequest) => boolean;
  seen: number;
}

export interface FakeUpstreamOptions {
  /** Added before every response (a vendor's typical latency). Default 0. */
  latencyMs?: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

export class FakeUpstream {
  readonly requests: RecordedRequest[] = [];
  /** Requests whose client closed the connection before the fake answered (cancellations). */
  abandoned = 0;
  latencyMs: number;
  private readonly routes: Route[] = [];
  private rules: ActiveRule[] = [];
  private readonly files = new Map<string, { data: Buffer; mimeType: string }>();
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private origin = '';

  constructor(options: FakeUpstreamOptions = {}) {
    this.latencyMs = options.latencyMs ?? 0;
    this.route('GET', '/files/:name', ({ params }) => {
      const file = this.files.get(params.name!);
      if (!file) return { status: 404, json: { error: 'no such file' } };
      return { status: 200, headers: { 'content-type': file.mimeType }, body: file.data };
    });
  }

  /** `http://127.0.0.1:<port>`; valid after start(). */
  get url(): string {
    if (!this.origin) throw new Error('FakeUpstream: call start() first');
    return this.origin;
  }

  /**
   * Register a route. `path` may hold `:name` segments, and a `:name*` tail that matches slashes and colons;
   * or it is a RegExp matched against the whole path.
   * Routes match in order; `first` puts this one ahead of those already registered (a chat
   * endpoint mounted on a fake whose catch-all route would take its path).
   */
  route(
    method: string,
    path: string | RegExp,
    handler: RouteHandler,
    options: { first?: boolean } = {},
  ): this {
    const keys: string[] = [];
    // A RegExp is taken as it is (for a path with a literal `:word`, such as `model:generateContent`).
    const source =
      typeof path !== 'string'
        ? path.source
        : path
            .split('/')
            .map((segment) =>
              segment.replace(
                /:(\w+)(\*)?|[.*+?^${}()|[\]\\]/g,
                (match, key: string | undefined, star: string | undefined) => {
                  if (!key) return `\\${match}`;
                  keys.push(key);
                  return star ? '(.+)' : '([^/]+?)';
                },
              ),
            )
            .join('/');
    const route = { method: method.toUpperCase(), pattern: new RegExp(`^${source}$`), keys, handler };
    if (options.first) this.routes.unshift(route);
    else this.routes.push(route);
    return this;
  }

  /** Serve bytes at `/files/<name>` and return the absolute URL. */
  serveFile(data: Buffer, mimeType = 'image/png', extension = 'png'): string {
    const name = `${randomUUID()}.${extension}`;
    this.files.set(name, { data, mimeType });
    return `${this.url}/files/${name}`;
  }

  inject(rule: FaultRule): this {
    this.rules.push({
      fault: rule.fault,
      times: rule.times ?? 1,
      after: rule.after ?? 0,
      match: rule.match ?? ((request) => !request.path.startsWith('/files/')),
      seen: 0,
    });
    return this;
  }

  clearFaults(): this {
    this.rules = [];
    return this;
  }

  /** Requests whose path ends with the suffix (file downloads excluded unless asked). */
  callsTo(pathSuffix: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path.endsWith(pathSuffix));
  }

  /** Listens on 127.0.0.1; port 0 (the default) picks a free one. */
  async start(port = 0): Promise<this> {
    this.server = createServer((request, response) => void this.handle(request, response));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', resolve);
    });
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  private takeFault(request: RecordedRequest): Fault | undefined {
    for (const rule of this.rules) {
      if (!rule.match(request)) continue;
      rule.seen += 1;
      if (rule.seen <= rule.after) continue;
      if (rule.seen - rule.after > rule.times) continue;
      return rule.fault;
    }
    return undefined;
  }

  private async handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const url = new URL(incoming.url ?? '/', 'http://fake');
    const body = Buffer.concat(chunks);
    const request: RecordedRequest = {
      method: incoming.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: incoming.headers,
      body,
    };
    if (String(incoming.headers['content-type'] ?? '').includes('json') && body.length > 0) {
      try {
        request.json = JSON.parse(body.toString('utf8'));
      } catch {
        // The vendor fake decides what a bad body gets; keep json undefined.
      }
    }
    this.requests.push(request);
    const closed = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) this.abandoned += 1;
      closed.abort();
    });

    const fault = this.takeFault(request);
    if (fault?.kind === 'reset') {
      incoming.socket.destroy();
      return;
    }
    if (fault?.kind === 'hang') return; // never answers; the client's timeout or abort must end it
    if (fault?.kind === 'delay') await sleep(fault.ms, closed.signal);
    if (!request.path.startsWith('/files/')) await sleep(this.latencyMs, closed.signal);
    if (closed.signal.aborted) return;

    if (fault?.kind === 'status') {
      return this.write(response, {
        status: fault.status,
        json: fault.body ?? {},
        headers: fault.headers ?? {},
      });
    }
    if (fault?.kind === 'malformed-json') {
      return this.write(response, {
        status: fault.status ?? 200,
        headers: { 'content-type': 'application/json' },
        body: '{"data": [ {"url": ',
      });
    }

    for (const route of this.routes) {
      if (route.method !== request.method) continue;
      const match = route.pattern.exec(request.path);
      if (!match) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((key, index) => {
        params[key] = decodeURIComponent(match[index + 1]!);
      });
      try {
        const result = await route.handler({ request, params, fake: this, signal: closed.signal });
        if (closed.signal.aborted) return;
        return await this.write(response, result);
      } catch (error) {
        return this.write(response, { status: 500, json: { fakeError: String(error) } });
      }
    }
    return this.write(response, {
      status: 404,
      json: { error: `fake: no route for ${request.method} ${request.path}` },
    });
  }

  private async write(response: ServerResponse, result: FakeResponse): Promise<void> {
    const headers: Record<string, string> = { ...result.headers };
    if (result.sse) {
      response.writeHead(result.status ?? 200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        ...headers,
      });
      for await (const event of result.sse) {
        if (response.destroyed) return;
        response.write(`${event.event ? `event: ${event.event}\n` : ''}data: ${event.data}\n\n`);
      }
      response.end();
      return;
    }
    if (Array.isArray(result.body)) {
      const pieces = result.body as readonly Buffer[];
      headers['content-length'] = String(pieces.reduce((total, piece) => total + piece.length, 0));
      response.writeHead(result.status ?? 200, headers);
      response.cork();
      for (const piece of pieces) response.write(piece);
      response.end();
      return;
    }
    let body: string | Buffer;
    if (result.body !== undefined) body = result.body as string | Buffer;
    else {
      body = JSON.stringify(result.json ?? {});
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
    headers['content-length'] = String(Buffer.byteLength(body));
    response.writeHead(result.status ?? 200, headers);
    response.end(body);
  }
}
