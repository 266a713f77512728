import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';

/**
 * The `fetch` uig gives every adapter and the openai SDK (its `fetch` option): undici's
 * `request` on one keep-alive connection pool, answered as a WHATWG `Response`.
 *
 * Why not the built-in fetch: per call it costs about 0.4 ms of CPU more than
 * `request` (WHATWG streams, AbortSignal plumbing, `makeTransferable`; docs/benchmarks.md),
 * a third of what uig spent on a small image. Here the response body stays a Node
 * stream until somebody asks for `response.body`: the helpers that read vendor bodies
 * (`readResponseBody`) take the Node stream directly (`nodeBodyOf`), so the web stream
 * is never built on the hot path, and an SDK that reads `response.json()` still works.
 *
 * What it does not do itself is handed to the built-in fetch: request bodies other than
 * text and bytes (FormData uploads, streams), and redirects when the caller wants them
 * followed.
 */
export interface PooledFetch {
  fetch: typeof globalThis.fetch;
  close(): Promise<void>;
}

const nodeBodies = new WeakMap<Response, Readable>();

/** The Node stream behind a response from a pooled fetch (undefined for any other response). */
export function nodeBodyOf(response: Response): Readable | undefined {
  return nodeBodies.get(response);
}

type FetchInput = Parameters<typeof globalThis.fetch>[0];
type FetchInit = NonNullable<Parameters<typeof globalThis.fetch>[1]>;

function headerList(headers: FetchInit['headers']): Record<string, string> | string[] {
  if (headers === undefined) return {};
  if (headers instanceof Headers) {
    const flat: string[] = [];
    for (const [name, value] of headers) flat.push(name, value);
    return flat;
  }
  if (Array.isArray(headers)) return headers.flat();
  return headers as Record<string, string>;
}

/** A web stream that reads the Node stream only when pulled (never, on the fast path). */
function lazyWebStream(body: Readable): ReadableStream<Uint8Array> {
  let iterator: AsyncIterator<Buffer> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        iterator ??= body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
        const next = await iterator.next();
        if (next.done) controller.close();
        else
          controller.enqueue(new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength));
      },
      cancel(reason) {
        body.destroy(reason instanceof Error ? reason : undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

const noBodyStatus = new Set([101, 204, 205, 304]);

export function createPooledFetch(options: { connections?: number } = {}): PooledFetch {
  const agent = new Agent({
    keepAliveTimeout: 10_000,
    ...(options.connections ? { connections: options.connections } : {}),
  });
  const pooled = async (input: FetchInput, init: FetchInit = {}): Promise<Response> => {
    const body = init.body;
    const simpleBody =
      body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
    if (!simpleBody || input instanceof Request) return globalThis.fetch(input, init);
    const url = typeof input === 'string' ? input : input.href;
    const method = (init.method ?? 'GET').toUpperCase();
    const signal = init.signal ?? undefined;
    let answer: Awaited<ReturnType<typeof request>>;
    try {
      answer = await request(url, {
        dispatcher: agent,
        method: method as 'GET',
        headers: headerList(init.headers),
        body: body ?? null,
        signal,
      });
    } catch (error) {
      // As the built-in fetch fails: the abort's reason, else a TypeError with the cause.
      if (signal?.aborted) throw signal.reason ?? error;
      throw new TypeError('fetch failed', { cause: error });
    }
    const follow = (init.redirect ?? 'follow') === 'follow';
    if (follow && answer.statusCode >= 300 && answer.statusCode < 400 && answer.headers.location) {
      await answer.body.dump();
      return globalThis.fetch(input, init);
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      else if (value !== undefined) headers.append(name, value);
    }
    const hasBody = !noBodyStatus.has(answer.statusCode) && method !== 'HEAD';
    if (!hasBody) answer.body.resume();
    const response = new Response(hasBody ? lazyWebStream(answer.body) : null, {
      status: answer.statusCode,
      headers,
    });
    if (hasBody) nodeBodies.set(response, answer.body);
    return response;
  };
  // Closing twice (a runtime closed by its server and again by a test's teardown) is one close.
  let closed: Promise<void> | undefined;
  return {
    fetch: pooled as typeof globalThis.fetch,
    close: () => (closed ??= agent.close()),
  };
}
