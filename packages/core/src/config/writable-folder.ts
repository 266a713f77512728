import { accessSync, constants, mkdirSync } from 'node:fs';
import { ConfigError } from './config.js';

/**
 * Creates `path` if needed and checks it can be written, at startup: a folder that
 * cannot be used is a ConfigError naming the setting to change, not a stack trace on
 * the first request.
 */
export function ensureWritableFolder(path: string, setting: string): void {
  try {
    mkdirSync(path, { recursive: true });
    accessSync(path, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(
      `${setting}: cannot write to ${path} (${code}); set ${setting} to a folder this user can write to.`,
    );
  }
}
