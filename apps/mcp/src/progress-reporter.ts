import type { ProgressEvent } from '@uig/core';

/**
 * notifications/progress for one tool call whose client sent a progress token.
 * Vendors can take a minute (WanX polls, gpt-image renders for 30–60 s); clients
 * give up after their request timeout unless progress resets it, so a heartbeat
 * goes out whenever `intervalMs` passed without another notification, and the
 * adapter's status events and partial images are forwarded as they come.
 * `progress` counts notifications: the spec wants it to increase every time, and a
 * total is rarely known.
 */
export interface ProgressNotification {
  method: 'notifications/progress';
  params: { progressToken: string | number; progress: number; total?: number; message?: string };
}

export class ProgressReporter {
  private count = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastMessage = '';
  private readonly started: number;
  private stopped = false;

  constructor(
    private readonly token: string | number,
    private readonly send: (notification: ProgressNotification) => Promise<void>,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  start(message: string): void {
    this.notify(message);
  }

  forward(event: ProgressEvent): void {
    if (event.type === 'status') {
      const fraction =
        event.progress !== undefined && event.total
          ? ` (${Math.round((event.progress / event.total) * 100)}%)`
          : '';
      this.notify(`${event.message}${fraction}`);
    } else {
      // The partial image itself stays out of the notification: it is a preview
      // the final result supersedes, and base64 in progress messages floods clients.
      this.notify(`Partial image ${event.index + 1} received; the final image follows.`);
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private notify(message: string): void {
    if (this.stopped) return;
    this.lastMessage = message;
    this.count += 1;
    void this.send({
      method: 'notifications/progress',
      params: { progressToken: this.token, progress: this.count, message },
    }).catch(() => undefined);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.heartbeat(), this.intervalMs);
    this.timer.unref?.();
  }

  private heartbeat(): void {
    const seconds = Math.round((this.now() - this.started) / 1000);
    const base = this.lastMessage.replace(/ \(still working, \d+ s\)$/, '');
    this.notify(`${base} (still working, ${seconds} s)`);
  }
}
