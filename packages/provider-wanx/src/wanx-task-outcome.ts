import {
  InvalidUpstreamResponseError,
  UpstreamUnavailableError,
  type ProviderResult,
  type Warning,
} from '@uig/core';
import { wanxFailure } from './wanx-error.js';
import type { WanxTaskResponse } from './wanx-responses.js';

/**
 * Turns a task that reached a final state (docs/providers/wanx.md §4.6) into a result or the error
 * it ended with; undefined while it is still PENDING or RUNNING (or in a state we do
 * not know, which we keep polling until the deadline).
 */

export interface WanxTaskContext {
  provider: string;
  taskId: string;
  /** The create call's request id. */
  vendorRequestId: string | undefined;
  /** Images asked of this task. */
  n: number;
}

export const wanxFinalStatuses: ReadonlySet<string> = new Set(['SUCCEEDED', 'FAILED', 'CANCELED', 'UNKNOWN']);

function succeeded(task: WanxTaskResponse, context: WanxTaskContext): ProviderResult {
  const { provider, taskId, vendorRequestId } = context;
  const output = task.output!;
  const items = (output.results ?? []).map((item, index) => ({ index, ...item }));
  const images = items.filter((item) => typeof item.url === 'string' && item.url !== '');
  const failed = items.filter((item) => !(typeof item.url === 'string' && item.url !== ''));
  const failureCodes = failed.map((item) =>
    item.code != null && String(item.code) !== '' ? String(item.code) : 'no url',
  );
  const metadata: Record<string, unknown> = {
    task_id: taskId,
    ...(output.task_metrics ? { task_metrics: output.task_metrics } : {}),
    ...(task.usage?.image_count != null ? { image_count: task.usage.image_count } : {}),
    ...(output.submit_time ? { submit_time: output.submit_time } : {}),
    ...(output.end_time ? { end_time: output.end_time } : {}),
    ...(failed.length > 0
      ? {
          failed_results: failed.map((item, position) => ({
            index: item.index,
            code: failureCodes[position],
            message: item.message ?? undefined,
          })),
        }
      : {}),
  };

  if (images.length === 0) {
    const first = failed.find((item) => item.code != null && String(item.code) !== '');
    if (first) {
      // docs/providers/wanx.md §4.6: zero successes is an error carrying the vendor's code.
      throw wanxFailure(
        { code: String(first.code), message: first.message ?? '', status: 200, vendorRequestId },
        provider,
      );
    }
    throw new InvalidUpstreamResponseError(
      `${provider} reported task ${taskId} SUCCEEDED without any result URL.`,
      { provider, vendorRequestId },
    );
  }

  const warnings: Warning[] = [];
  if (failed.length > 0) {
    const counts = new Map<string, number>();
    for (const code of failureCodes) counts.set(code, (counts.get(code) ?? 0) + 1);
    const named = [...counts].map(([code, count]) => (count > 1 ? `${code} (x${count})` : code)).join(', ');
    warnings.push({
      type: 'partial_failure',
      feature: 'n',
      message: `${failed.length} of ${items.length} images failed upstream: ${named}.`,
    });
  } else if (images.length < context.n) {
    warnings.push({
      type: 'partial_failure',
      feature: 'n',
      message: `${provider} returned ${images.length} of the ${context.n} images asked for.`,
    });
  }
  const revisedPrompt = images.find((item) => item.actual_prompt)?.actual_prompt ?? undefined;
  return {
    images: images.map((item) => ({ kind: 'url' as const, url: item.url! })),
    ...(revisedPrompt ? { revisedPrompt } : {}),
    warnings,
    ...(vendorRequestId ? { vendorRequestId } : {}),
    metadata,
  };
}

export function settleWanxTask(task: WanxTaskResponse, context: WanxTaskContext): ProviderResult | undefined {
  const { provider, taskId, vendorRequestId } = context;
  const output = task.output;
  const status = output?.task_status ?? '';
  if (status === 'SUCCEEDED') return succeeded(task, context);
  if (status === 'FAILED') {
    const code = output?.code;
    if (code != null && String(code) !== '') {
      // docs/providers/wanx.md §4.6: the error inside `output`, mapped by its code like any other.
      throw wanxFailure(
        { code: String(code), message: output?.message ?? '', status: 200, vendorRequestId },
        provider,
      );
    }
    // No reason given. Not retried: nothing says a second run would differ; fallbacks still apply.
    throw new UpstreamUnavailableError(`${provider} reported task ${taskId} FAILED without a reason.`, {
      provider,
      vendorCode: 'FAILED',
      vendorRequestId,
      retryable: false,
    });
  }
  if (status === 'CANCELED') {
    // Not by us (we throw before reading a poll once we cancel): someone cancelled it in the vendor's console or API.
    throw new UpstreamUnavailableError(`${provider} task ${taskId} was cancelled upstream.`, {
      provider,
      vendorCode: 'CANCELED',
      vendorRequestId,
      retryable: false,
    });
  }
  if (status === 'UNKNOWN') {
    // docs/providers/wanx.md §4.6: the vendor does not know the task it just accepted (lost or purged). A new
    // task cannot duplicate one the vendor no longer has, so core may retry.
    throw new UpstreamUnavailableError(`${provider} no longer knows task ${taskId} (status UNKNOWN).`, {
      provider,
      vendorCode: 'UNKNOWN',
      vendorRequestId,
      retryable: true,
    });
  }
  return undefined;
}
