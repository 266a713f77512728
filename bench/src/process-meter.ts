import { readFileSync, writeFileSync } from 'node:fs';

/**
 * CPU time and memory of one process, read from /proc (Linux). CPU is what the
 * process and all its threads spent (utime + stime), so GC and libuv's thread pool
 * count too. Peak memory is the kernel's high-water mark (VmHWM), which
 * `resetPeak()` sets back to the current RSS so each measurement has its own peak.
 */
export const clockTicksPerSecond = 100; // USER_HZ: 100 on every Linux architecture Node runs on.

export interface ProcessReading {
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  rssBytes: number;
  peakRssBytes: number;
}

export class ProcessMeter {
  private peakResettable = true;
  /** Highest RSS polled since the last reset: the fallback when VmHWM cannot be reset. */
  private polledPeak = 0;

  constructor(readonly pid: number) {}

  read(): ProcessReading {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuTicks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const rssBytes = kilobytes(status, 'VmRSS') * 1024;
    this.polledPeak = Math.max(this.polledPeak, rssBytes);
    const hwm = kilobytes(status, 'VmHWM') * 1024;
    return {
      cpuTicks,
      rssBytes,
      peakRssBytes: this.peakResettable ? Math.max(hwm, this.polledPeak) : this.polledPeak,
    };
  }

  /** Starts a new peak. Writing 5 to clear_refs resets VmHWM (Linux 4.0+); if refused, polling takes over. */
  resetPeak(): void {
    try {
      writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
    } catch {
      this.peakResettable = false;
    }
    this.polledPeak = 0;
    this.read();
  }
}

function kilobytes(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : 0;
}

/** Busy CPU ticks of the whole machine, all cores (/proc/stat): to see load that is not ours. */
export function machineBusyTicks(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return user! + nice! + system! + irq! + softirq! + steal!;
}
