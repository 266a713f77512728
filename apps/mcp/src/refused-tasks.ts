import { randomUUID } from 'node:crypto';
import { toUigError } from '@uig/core';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * Task-augmented calls refused before they became a job (model not allowed, rate
 * limited, an image that cannot be read...). The SDK turns a thrown error into a
 * malformed CreateTaskResult, so such a call answers with a task that is already
 * `failed`, whose tasks/result is the isError result an ordinary call would have had.
 * Kept in this process only (no job exists to share), for the job records' lifetime,
 * and at most `limit` of them.
 */
export interface RefusedTask {
  id: string;
  client: string;
  createdAt: number;
  ttlMs: number;
  /** `CODE: message`, the task's statusMessage. */
  message: string;
  result: CallToolResult;
}

export class RefusedTasks {
  private readonly tasks = new Map<string, RefusedTask>();

  constructor(
    private readonly ttlMs: number,
    private readonly limit = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  add(client: string, error: unknown, result: CallToolResult): RefusedTask {
    this.expire();
    const uig = toUigError(error);
    const task: RefusedTask = {
      id: `refused_${randomUUID().replaceAll('-', '')}`,
      client,
      createdAt: this.now(),
      ttlMs: this.ttlMs,
      message: `${uig.code}: ${uig.message}`,
      result,
    };
    this.tasks.set(task.id, task);
    if (this.tasks.size > this.limit) this.tasks.delete(this.tasks.keys().next().value!);
    return task;
  }

  get(client: string, id: string): RefusedTask | undefined {
    this.expire();
    const task = this.tasks.get(id);
    return task?.client === client ? task : undefined;
  }

  list(client: string): RefusedTask[] {
    this.expire();
    return [...this.tasks.values()].filter((task) => task.client === client);
  }

  private expire(): void {
    for (const [id, task] of this.tasks) {
      if (task.createdAt + task.ttlMs > this.now()) break;
      this.tasks.delete(id);
    }
  }
}
