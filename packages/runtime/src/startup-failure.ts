import { ConfigError } from '@uig/core';

/** Where a server was asked to listen, and the settings that chose it. */
export interface ListenTarget {
  host: string;
  port: number;
  hostSetting: string;
  portSetting: string;
}

/**
 * A failed `listen` as the setting to change (a port in use, a port below 1024 for a
 * normal user, a host that is not this machine's); any other error unchanged.
 */
export function listenError(error: unknown, target: ListenTarget): unknown {
  const { host, port, hostSetting, portSetting } = target;
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'EADDRINUSE':
      return new ConfigError(
        `${portSetting}: ${host}:${port} is already in use; set ${portSetting} to a free port.`,
      );
    case 'EACCES':
      return new ConfigError(
        `${portSetting}: this user may not listen on port ${port}; set ${portSetting} to a port above 1023.`,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new ConfigError(`${hostSetting}: ${host} is not an address of this machine.`);
    default:
      return error;
  }
}

/**
 * A command that cannot start says why in one line on stderr and exits with 2: a
 * ConfigError names the setting to change; anything else is summed up in its first
 * line, with the stack only at LOG_LEVEL=debug. Desktop clients show this line to the user.
 */
export function exitOnStartupFailure(command: string, error: unknown): never {
  const message =
    error instanceof ConfigError
      ? error.message
      : `could not start: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]} (LOG_LEVEL=debug shows where)`;
  process.stderr.write(`${command}: ${message}\n`);
  if (process.env.LOG_LEVEL === 'debug' && error instanceof Error && error.stack)
    process.stderr.write(`${error.stack}\n`);
  process.exit(2);
}
