import { homedir } from 'node:os';
import { join, win32 } from 'node:path';
import type { Env } from './config.js';

export interface DataDirContext {
  platform: NodeJS.Platform;
  env: Env;
  /** The user's home folder; defaults to HOME (USERPROFILE on Windows), else the account's. */
  home?: string;
}

/**
 * Where uig keeps its data when UIG_DATA_DIR is not set: the platform's per-user data
 * folder, never the working directory (a desktop client starts servers in `/`, which a
 * normal user cannot write to). Hand-written rather than env-paths because that library
 * puts Windows data under `%LOCALAPPDATA%\<name>\Data` and Linux data under `<name>-nodejs`.
 */
export function defaultDataDir({ platform, env, home }: DataDirContext): string {
  const userHome = home ?? (platform === 'win32' ? env.USERPROFILE : env.HOME) ?? homedir();
  if (platform === 'win32')
    return win32.join(env.LOCALAPPDATA || win32.join(userHome, 'AppData', 'Local'), 'uig');
  if (platform === 'darwin') return join(userHome, 'Library', 'Application Support', 'uig');
  // XDG Base Directory: a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  return join(xdg?.startsWith('/') ? xdg : join(userHome, '.local', 'share'), 'uig');
}
