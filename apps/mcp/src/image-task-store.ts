import { randomUUID } from 'node:crypto';
import { isFinished, type JobRecord } from '@uig/core';
import type { CreateTaskOptions, TaskStore } from '@modelcontextprotocol/sdk/experimental/tasks';
import {
  ErrorCode,
  McpError,
  type CallToolResult,
  type Request,
  type RequestId,
  type Result,
  type Task,
} from '@modelcontextprotocol/sdk/types.js';
import { jobToolResult, presentationOf } from './job-tool-result.js';
import type { RefusedTask } from './refused-tasks.js';
import type { McpServerDependencies } from './server-dependencies.js';

/**
 * MCP tasks (2025-11-25) backed by the gateway's job store (docs/mcp.md, "MCP tasks"):
 * a task is a job, its id the job id, so REST (`/v1/jobs`), get_image_job, the
 * `uig://jobs/{id}` resource and tasks/* all see the same record, from any process
 * sharing the queue. A store serves one client key (a server is built per HTTP request,
 * with its key): another key's job is "not found", and tasks/list lists this key's jobs.
 *
 * The SDK (1.32) answers an ordinary call of a tool whose task support is `optional` by
 * calling the tool's createTask and polling the store. createTask here is the one place
 * that sees the request, and so whether the client asked for a task: with one, the call
 * becomes a job and the client polls it; without, the call runs in the foreground as it
 * always did (foreground deadline, progress) and its answer is handed straight back.
 */
export interface ImageTaskCall {
  /** Submits the job; throws the refusal (a UigError) when the call is refused up front. */
  submit(): Promise<JobRecord>;
  /** The whole call in the foreground, as for a client without tasks. */
  foreground(): Promise<CallToolResult>;
  /** The isError result for a refusal. */
  refused(error: unknown): CallToolResult;
}

const callContextKey = 'uigImageCall';

/** The CreateTaskOptions that hand an image call to the store. */
export const imageTaskOptions = (call: ImageTaskCall): CreateTaskOptions => ({
  context: { [callContextKey]: call },
});

function imageCallIn(options: CreateTaskOptions): ImageTaskCall {
  const call = options.context?.[callContextKey] as ImageTaskCall | undefined;
  if (!call) throw new McpError(ErrorCode.InvalidRequest, 'Only the image tools create tasks.');
  return call;
}

/** Clients are asked to poll this often (the tasks/result wait polls at the same pace). */
const pollInterval = 1000;
const pageSize = 50;

const taskStatus = (job: JobRecord): Task['status'] =>
  job.status === 'succeeded'
    ? 'completed'
    : job.status === 'failed'
      ? 'failed'
      : job.status === 'cancelled'
        ? 'cancelled'
        : 'working';

function statusMessage(job: JobRecord): string {
  if (job.error) return `${job.error.code}: ${job.error.message}`;
  if (job.status === 'succeeded') {
    const count = job.result?.images.length ?? 0;
    return `${count} image${count === 1 ? '' : 's'} made; tasks/result returns them.`;
  }
  if (job.progress) return job.progress.message;
  return job.status === 'queued' ? 'Waiting for a worker.' : 'The image is being made.';
}

const notFound = (taskId: string) =>
  new McpError(ErrorCode.InvalidParams, `Failed to retrieve task: Task not found (${taskId})`);

export class ImageTaskStore implements TaskStore {
  private readonly client: string;
  /** Foreground answers, between createTask and the SDK's getTaskResult of the same call. */
  private readonly answers = new Map<string, CallToolResult>();

  constructor(private readonly deps: McpServerDependencies) {
    this.client = deps.client?.name ?? 'anonymous';
  }

  async createTask(options: CreateTaskOptions, _requestId: RequestId, request: Request): Promise<Task> {
    const call = imageCallIn(options);
    const now = new Date().toISOString();
    if (!request.params?.task) {
      const taskId = `call_${randomUUID().replaceAll('-', '')}`;
      this.answers.set(taskId, await call.foreground());
      return { taskId, status: 'completed', createdAt: now, lastUpdatedAt: now, ttl: 0 };
    }
    try {
      return this.jobTask(await call.submit());
    } catch (error) {
      return this.refusedTask(this.deps.refusedTasks.add(this.client, error, call.refused(error)));
    }
  }

  async getTask(taskId: string): Promise<Task | null> {
    if (this.answers.has(taskId)) {
      const now = new Date().toISOString();
      return { taskId, status: 'completed', createdAt: now, lastUpdatedAt: now, ttl: 0 };
    }
    const refused = this.deps.refusedTasks.get(this.client, taskId);
    if (refused) return this.refusedTask(refused);
    const job = await this.ownJob(taskId);
    return job ? this.jobTask(job) : null;
  }

  async getTaskResult(taskId: string): Promise<Result> {
    const answer = this.answers.get(taskId);
    if (answer) {
      this.answers.delete(taskId);
      return answer;
    }
    const refused = this.deps.refusedTasks.get(this.client, taskId);
    if (refused) return refused.result;
    const job = await this.ownJob(taskId);
    if (!job) throw notFound(taskId);
    return jobToolResult(this.deps, job, presentationOf(job));
  }

  async storeTaskResult(): Promise<void> {
    // Results are the jobs' own; nothing in this server stores one.
    throw new McpError(ErrorCode.InternalError, 'Task results come from the job store.');
  }

  /** tasks/cancel: the job is cancelled wherever it runs (the vendor call stops, a vendor task is cancelled). */
  async updateTaskStatus(taskId: string, status: Task['status']): Promise<void> {
    if (status !== 'cancelled') return;
    const job = await this.ownJob(taskId);
    if (!job) throw notFound(taskId);
    await this.deps.jobs.cancel(job.id);
  }

  /** This key's jobs (and calls refused here), newest first, `pageSize` at a time. */
  async listTasks(cursor?: string): Promise<{ tasks: Task[]; nextCursor?: string }> {
    const offset = cursor === undefined ? 0 : Number(cursor);
    if (!Number.isInteger(offset) || offset < 0) throw new Error(`Invalid cursor: ${cursor}`);
    const jobs = await this.deps.jobs.list(this.client, offset + pageSize + 1);
    const tasks = [
      ...jobs.map((job) => ({ createdAt: job.createdAt, task: this.jobTask(job) })),
      ...this.deps.refusedTasks
        .list(this.client)
        .map((refused) => ({ createdAt: refused.createdAt, task: this.refusedTask(refused) })),
    ]
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((entry) => entry.task);
    const page = tasks.slice(offset, offset + pageSize);
    return {
      tasks: page,
      ...(tasks.length > offset + pageSize ? { nextCursor: String(offset + pageSize) } : {}),
    };
  }

  private async ownJob(taskId: string): Promise<JobRecord | undefined> {
    const job = await this.deps.jobs.get(taskId);
    return job && job.client === this.client ? job : undefined;
  }

  private jobTask(job: JobRecord): Task {
    // Records are kept jobs.ttlHours after they end: from creation, that long plus the run.
    const ttl =
      this.deps.jobTtlMs + (isFinished(job) ? (job.finishedAt ?? job.updatedAt) - job.createdAt : 0);
    return {
      taskId: job.id,
      status: taskStatus(job),
      statusMessage: statusMessage(job),
      createdAt: new Date(job.createdAt).toISOString(),
      lastUpdatedAt: new Date(job.updatedAt).toISOString(),
      ttl,
      ...(isFinished(job) ? {} : { pollInterval }),
    };
  }

  private refusedTask(refused: RefusedTask): Task {
    const at = new Date(refused.createdAt).toISOString();
    return {
      taskId: refused.id,
      status: 'failed',
      statusMessage: refused.message,
      createdAt: at,
      lastUpdatedAt: at,
      ttl: refused.ttlMs,
    };
  }
}
