import { dashScopeErrorCatalog } from './dashscope-fake-errors.js';
import { type DashScopeFakeTask, dashScopePromptExtension } from './dashscope-fake-options.js';

/** docs/providers/wanx.md §4.6: `"YYYY-MM-DD HH:MM:SS.mmm"`, China time. */
export function vendorTime(date = new Date()): string {
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 23);
}

/** docs/providers/wanx.md §4.6 SUCCEEDED body, with failed items per the task's trigger. */
export function succeededTaskBody(
  task: DashScopeFakeTask,
  requestId: string,
  serveImage: () => string,
): Record<string, unknown> {
  task.urls ??= Array.from({ length: task.n }, serveImage);
  const failedItems = task.outcome.kind === 'succeed' ? task.outcome.failedItems : 'none';
  const failure = {
    code: 'InternalError.Timeout',
    message: dashScopeErrorCatalog['InternalError.Timeout']!.message,
  };
  const results = task.urls.map((url, index) => {
    if (failedItems === 'all' || (failedItems === 'last' && index === task.n - 1)) return failure;
    // docs/providers/wanx.md §4.6: edit results carry only `url`; actual_prompt only with prompt_extend.
    if (task.endpoint === 'image2image') return { url };
    return {
      orig_prompt: task.prompt,
      ...(task.promptExtend ? { actual_prompt: `${task.prompt}${dashScopePromptExtension}` } : {}),
      url,
    };
  });
  const succeeded = results.filter((item) => 'url' in item).length;
  return {
    request_id: requestId,
    output: {
      task_id: task.id,
      task_status: 'SUCCEEDED',
      submit_time: task.submitTime,
      scheduled_time: task.submitTime,
      end_time: vendorTime(),
      results,
      task_metrics: { TOTAL: task.n, SUCCEEDED: succeeded, FAILED: task.n - succeeded },
    },
    // docs/providers/wanx.md §4.6: image_count counts successes only.
    usage: { image_count: succeeded },
  };
}
