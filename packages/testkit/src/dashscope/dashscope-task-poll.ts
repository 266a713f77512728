import { randomUUID } from 'node:crypto';
import type { FakeResponse, RouteContext } from '../fake-upstream.js';
import { dashScopeErrorCatalog } from './dashscope-fake-errors.js';
import type { DashScopeFakeTask } from './dashscope-fake-options.js';
import type { DashScopeTaskHost } from './dashscope-task-host.js';
import { succeededTaskBody, vendorTime } from './dashscope-task-body.js';

/**
 * Polling and cancelling a WanX task (docs/providers/wanx.md §4.6): PENDING → RUNNING → a final
 * state after the configured number of polls, UNKNOWN for an id the vendor does not know.
 */

/** The status the k-th poll reports. */
function statusAt(host: DashScopeTaskHost, task: DashScopeFakeTask): string {
  if (task.canceled) return 'CANCELED';
  if (task.outcome.kind === 'lost') return 'UNKNOWN';
  if (task.polls <= host.pendingPolls) return 'PENDING';
  if (task.outcome.kind === 'stuck') return task.outcome.status;
  if (task.polls <= host.pendingPolls + host.runningPolls) return 'RUNNING';
  return task.outcome.kind === 'fail' ? 'FAILED' : 'SUCCEEDED';
}

export function pollDashScopeTask(host: DashScopeTaskHost, { request, params }: RouteContext): FakeResponse {
  const denied = host.authenticate(request);
  if (denied) return denied;
  const requestId = randomUUID();
  const task = host.tasks.get(params.id!);
  // docs/providers/wanx.md §4.6: an unknown or expired id is UNKNOWN, with HTTP 200.
  if (!task)
    return {
      status: 200,
      json: { request_id: requestId, output: { task_id: params.id, task_status: 'UNKNOWN' } },
    };
  if (task.gatewayErrors > 0) {
    // docs/providers/wanx.md §4.7: 503/504 come from a gateway in front of the API, as HTML.
    const status = task.gatewayErrors === 2 ? 503 : 504;
    task.gatewayErrors -= 1;
    return {
      status,
      headers: { 'content-type': 'text/html' },
      body: `<html><body><h1>${status} Gateway Error</h1></body></html>`,
    };
  }
  task.polls += 1;
  task.status = statusAt(host, task);
  const times = { submit_time: task.submitTime, scheduled_time: task.submitTime };
  const common = { task_id: task.id, task_status: task.status };
  if (task.status === 'UNKNOWN') return { status: 200, json: { request_id: requestId, output: common } };
  if (task.status === 'PENDING')
    return {
      status: 200,
      json: { request_id: requestId, output: { ...common, submit_time: task.submitTime } },
    };
  if (task.status === 'RUNNING')
    return { status: 200, json: { request_id: requestId, output: { ...common, ...times } } };
  if (task.status === 'CANCELED')
    return {
      status: 200,
      json: {
        request_id: requestId,
        output: { ...common, submit_time: task.submitTime, end_time: vendorTime() },
      },
    };
  if (task.outcome.kind === 'fail') {
    const { code, message } = task.outcome;
    const text = message ?? dashScopeErrorCatalog[code]?.message ?? 'Task failed.';
    return {
      status: 200,
      json: {
        request_id: requestId,
        output: { ...common, ...times, end_time: vendorTime(), code, message: text },
      },
    };
  }
  return {
    status: 200,
    json: succeededTaskBody(task, requestId, () => host.serveImage()),
  };
}

/** Task-API doc mirror: only a PENDING task can be cancelled; the answer is `{request_id}`. */
export function cancelDashScopeTask(
  host: DashScopeTaskHost,
  { request, params }: RouteContext,
): FakeResponse {
  const denied = host.authenticate(request);
  if (denied) return denied;
  const task = host.tasks.get(params.id!);
  if (task?.status !== 'PENDING' || task.outcome.kind === 'lost') return host.error('UnsupportedOperation');
  task.canceled = true;
  task.status = 'CANCELED';
  return { status: 200, json: { request_id: randomUUID() } };
}
