import autocannon from 'autocannon';

/**
 * One closed-loop load sample with autocannon: a fixed number of connections, each
 * sending the next request as soon as the answer is in, for a fixed time. Latency is
 * kept per response (autocannon's own histogram rounds to whole milliseconds, too
 * coarse for the few hundred microseconds a tiny body adds).
 */
export interface LoadRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** Rewrites each request before it is sent (rotating client keys). */
  nextHeaders?: () => Record<string, string>;
}

export interface LoadSample {
  /** 2xx answers. */
  ok: number;
  /** Non-2xx answers plus connection errors and timeouts. */
  failed: number;
  seconds: number;
  /** Milliseconds of each 2xx answer, in arrival order. */
  latencies: number[];
  responseBytes: number;
}

export async function runLoad(
  request: LoadRequest,
  connections: number,
  seconds: number,
): Promise<LoadSample> {
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  let responseBytes = 0;
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: request.url,
        method: 'POST',
        body: request.body,
        headers: request.headers,
        connections,
        duration: seconds,
        timeout: 30,
        ...(request.nextHeaders
          ? {
              requests: [
                {
                  setupRequest: (raw: autocannon.Request) => ({
                    ...raw,
                    headers: { ...request.headers, ...request.nextHeaders!() },
                  }),
                },
              ],
            }
          : {}),
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client: unknown, statusCode: number, bytes: number, milliseconds: number) => {
      if (statusCode >= 200 && statusCode < 300) {
        ok += 1;
        latencies.push(milliseconds);
        responseBytes += bytes;
      } else failed += 1;
    });
  });
  failed += result.errors + result.timeouts;
  return { ok, failed, seconds: (performance.now() - started) / 1000, latencies, responseBytes };
}
