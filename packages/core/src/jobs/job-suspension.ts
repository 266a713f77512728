/**
 * The abort reason a job's signal carries when its worker stops without the job being
 * cancelled (the process shuts down, or another worker took the job over). Adapters
 * of task vendors leave the vendor task alone on it, so the next run can resume it.
 */
export class JobSuspendedError extends Error {
  override name = 'JobSuspendedError';
  constructor() {
    super('The job was suspended; another run will resume it.');
  }
}

export function isJobSuspension(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'JobSuspendedError';
}
