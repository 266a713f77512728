/**
 * Whether a process of this machine still runs: a temporary file or a claim made by a dead
 * one may be taken over. EPERM: it exists but belongs to another user.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
