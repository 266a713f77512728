import type { FakeResponse, RecordedRequest } from '../fake-upstream.js';
import type { DashScopeFakeOptions, DashScopeFakeTask } from './dashscope-fake-options.js';

/** What the task routes (create, poll, cancel) use of the DashScope fake. */
export interface DashScopeTaskHost {
  readonly tasks: Map<string, DashScopeFakeTask>;
  readonly pendingPolls: number;
  readonly runningPolls: number;
  readonly settings: Required<Pick<DashScopeFakeOptions, 'models' | 'synchronousCallError' | 'inputErrorAt'>>;
  authenticate(request: RecordedRequest): FakeResponse | undefined;
  error(code: string, message?: string): FakeResponse;
  inputCheck(
    url: string,
    field: string,
    model: string,
    request: RecordedRequest,
    signal: AbortSignal,
  ): Promise<{ problem?: string; size?: string } | { response: FakeResponse }>;
  /** A loopback URL serving the configured result image. */
  serveImage(): string;
}
