/**
 * The signal for one upstream attempt: aborts when the caller goes away, or with a
 * `TimeoutError` reason when the attempt's time runs out. Unlike
 * `AbortSignal.any([signal, AbortSignal.timeout(ms)])`, `dispose()` clears the timer
 * and the listener at once: Node keeps a composed timeout signal (and everything an
 * SDK hung on it) alive until the timeout fires, which held ~8 KB per request for
 * five minutes under load (docs/benchmarks.md).
 */
export interface AttemptSignal {
  signal: AbortSignal;
  dispose(): void;
}

export function attemptSignal(parent: AbortSignal, timeoutMs: number): AttemptSignal {
  const controller = new AbortController();
  const onAbort = () => controller.abort(parent.reason);
  const timer = setTimeout(
    () => controller.abort(new DOMException(`No answer within ${timeoutMs} ms.`, 'TimeoutError')),
    timeoutMs,
  );
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      parent.removeEventListener('abort', onAbort);
    },
  };
}
