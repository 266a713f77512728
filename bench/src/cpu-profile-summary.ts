import { readFile } from 'node:fs/promises';

/**
 * Reads a V8 `.cpuprofile` (what `node --cpu-prof` writes) and says where the time
 * went: self time per function (time on top of the stack), the same rolled up per
 * package, and inclusive time (on the stack at all) of uig's own functions. Times
 * come from the sample time deltas, not hit counts, so a skipped sample is not lost.
 */
interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds of the system's monotonic clock (what `process.hrtime` reads on Linux). */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

interface FunctionTime {
  name: string;
  where: string;
  owner: string;
  ms: number;
  /** Of the busy time (everything but idle). */
  percent: number;
}

export interface ProfileSummary {
  file: string;
  wallMs: number;
  busyMs: number;
  selfTop: FunctionTime[];
  byOwner: { owner: string; ms: number; percent: number }[];
  uigInclusiveTop: FunctionTime[];
}

/**
 * Who a frame belongs to: a package (`fastify`, `@uig/core`), a part of node
 * (`node: fetch (undici)`, `node: fs`), or one of V8's buckets (`(garbage collector)`).
 */
function ownerOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : 'native';
  if (url.startsWith('node:')) {
    if (url.includes('deps/undici')) return 'node: fetch (undici)';
    const module = url
      .replace(/^node:(internal\/)?/, '')
      .split('/')[0]!
      .replace(/^_/, '')
      .replace(/^http_.*/, 'http')
      .replace(/^stream_base_commons$/, 'net');
    return `node: ${module}`;
  }
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pnpm) return pnpm[1]!;
  const plain = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (plain) return plain[1]!;
  const workspace = /\/(packages|apps)\/([^/]+)\//.exec(url);
  if (workspace) return `@uig/${workspace[2]}`;
  return url;
}

function where(frame: CallFrame): string {
  if (!frame.url) return '';
  const short = frame.url
    .replace(/^file:\/\//, '')
    .replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')
    .replace(/^.*\/(packages|apps)\//, '$1/');
  return `${short}:${frame.lineNumber + 1}`;
}

/**
 * `fromMicros`: only samples taken from then on (the monotonic clock, in µs), so the
 * process's startup (module loading, opening its database) does not count.
 */
export async function summarizeCpuProfile(
  file: string,
  options: { top?: number; fromMicros?: number } = {},
): Promise<ProfileSummary> {
  const top = options.top ?? 25;
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const key = (frame: CallFrame) => `${frame.functionName || '(anonymous)'}\u0000${where(frame)}`;

  const self = new Map<string, { frame: CallFrame; ms: number; caller?: CallFrame }>();
  const owners = new Map<string, number>();
  const inclusive = new Map<string, { frame: CallFrame; ms: number }>();
  let wallMs = 0;
  let idleMs = 0;
  let at = profile.startTime;
  for (let index = 0; index < profile.samples.length; index++) {
    at += profile.timeDeltas[index] ?? 0;
    if (options.fromMicros !== undefined && at < options.fromMicros) continue;
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    wallMs += ms;
    const leaf = byId.get(profile.samples[index]!)!;
    if (leaf.callFrame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    // C++ behind a JS call (a socket write, a file open, base64) counts for whoever called it.
    let caller: number | undefined;
    if (ownerOf(leaf.callFrame) === 'native') {
      caller = parent.get(leaf.id);
      while (caller !== undefined && ownerOf(byId.get(caller)!.callFrame) === 'native')
        caller = parent.get(caller);
    }
    const callerFrame = caller === undefined ? undefined : byId.get(caller)!.callFrame;
    const owner = callerFrame ? `${ownerOf(callerFrame)} (native)` : ownerOf(leaf.callFrame);
    owners.set(owner, (owners.get(owner) ?? 0) + ms);
    const leafKey = `${key(leaf.callFrame)}\u0000${callerFrame ? key(callerFrame) : ''}`;
    const entry = self.get(leafKey) ?? {
      frame: leaf.callFrame,
      ms: 0,
      ...(callerFrame ? { caller: callerFrame } : {}),
    };
    entry.ms += ms;
    self.set(leafKey, entry);
    // Each function once per sample, however deep it recurses.
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      if (!ownerOf(frame).startsWith('@uig/')) continue;
      const frameKey = key(frame);
      if (seen.has(frameKey)) continue;
      seen.add(frameKey);
      const total = inclusive.get(frameKey) ?? { frame, ms: 0 };
      total.ms += ms;
      inclusive.set(frameKey, total);
    }
  }
  const busyMs = wallMs - idleMs;
  const asTime = ({
    frame,
    ms,
    caller,
  }: {
    frame: CallFrame;
    ms: number;
    caller?: CallFrame;
  }): FunctionTime => ({
    name: frame.functionName || '(anonymous)',
    where: caller ? `native, from ${caller.functionName || '(anonymous)'} ${where(caller)}` : where(frame),
    owner: caller ? `${ownerOf(caller)} (native)` : ownerOf(frame),
    ms,
    percent: (100 * ms) / busyMs,
  });
  return {
    file,
    wallMs,
    busyMs,
    selfTop: [...self.values()]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top)
      .map(asTime),
    byOwner: [...owners]
      .sort((a, b) => b[1] - a[1])
      .map(([owner, ms]) => ({ owner, ms, percent: (100 * ms) / busyMs })),
    uigInclusiveTop: [...inclusive.values()]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top)
      .map(asTime),
  };
}
