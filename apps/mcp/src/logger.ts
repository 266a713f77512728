/**
 * Logs go to stderr only: on stdio, stdout carries the MCP protocol and one stray
 * line would corrupt it. One JSON object per line; never image data or keys.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

export function createStderrLogger(level: LogLevel = 'info'): Logger {
  const threshold = order[level] ?? order.info;
  return {
    log(entryLevel, message, fields = {}) {
      if (order[entryLevel] < threshold) return;
      process.stderr.write(
        `${JSON.stringify({ time: new Date().toISOString(), level: entryLevel, message, ...fields })}\n`,
      );
    },
  };
}

export const silentLogger: Logger = { log: () => undefined };
