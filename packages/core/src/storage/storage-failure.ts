import { isUigError, StorageUnavailableError } from '../errors.js';

/**
 * The one place that decides what a failed storage operation means, for every image
 * store backend: whatever the operating system (or an object store) said becomes a
 * `StorageUnavailableError` carrying its own code (`ENOSPC`, `EROFS`, `EACCES`, ...) and
 * the path, so the client gets a 503 `storage_unavailable` with Retry-After and the
 * operator a log line that names the disk problem, never the vendor.
 */
type StorageOperation = 'write' | 'read' | 'probe';

/** Codes that say the store itself is unusable rather than one file being odd. */
const conditions: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the file system is read-only',
  EACCES: 'the process may not write there',
  EPERM: 'the process may not write there',
  ENOENT: 'a folder is missing and could not be created',
  ENOTDIR: 'a path that must be a folder is a file',
  EISDIR: 'a path that must be a file is a folder',
  EIO: 'the disk reported an I/O error',
  EMFILE: 'the process has too many open files',
  ENFILE: 'the system has too many open files',
};

/** The OS code of a Node fs error (`ENOSPC`), or the error's own name for anything else. */
function osErrorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code) return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string' && name && name !== 'Error') return name;
  }
  return 'UNKNOWN';
}

/** Turns a failed store operation into the error every caller and log expects. */
export function storageFailure(
  error: unknown,
  operation: StorageOperation,
  path: string | undefined,
): StorageUnavailableError {
  if (error instanceof StorageUnavailableError) return error;
  if (isUigError(error) && error.code === 'STORAGE_UNAVAILABLE') return error as StorageUnavailableError;
  const osCode = osErrorCode(error);
  const condition = Object.hasOwn(conditions, osCode) ? conditions[osCode] : 'the operation failed';
  return new StorageUnavailableError(
    `Image storage is unavailable: a ${operation} failed with ${osCode} (${condition}). Try again later.`,
    { osCode, path, cause: error },
  );
}
