// CDP helpers of the UI benchmark: V8 CPU profiles (start, stop, hottest functions by self time) and
// the renderer main thread's busy time since the current document started (Performance.getMetrics).
import type { CDPSession } from '@playwright/test';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}
export interface HotFunction {
  fn: string;
  selfMs: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export async function startProfile(cdp: CDPSession, intervalUs: number): Promise<void> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: intervalUs });
  await cdp.send('Profiler.start');
}

export async function stopProfile(cdp: CDPSession): Promise<CpuProfile> {
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  return profile;
}

/** Functions by self time; (program) is V8 work outside JS (mostly lazy compilation on a cold load). */
export function hottest(profile: CpuProfile, top = 15): HotFunction[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const f = node.callFrame;
    const file = f.url.split('/').pop() ?? '';
    const key = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self.entries()]
    .filter(([k]) => !k.startsWith('(idle)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, selfMs]) => ({ fn, selfMs: round1(selfMs) }));
}

export interface MainThreadTime {
  /** All main-thread tasks, of which script execution (which includes V8 compilation). */
  taskMs: number;
  scriptMs: number;
}

/** The main thread's busy time since the current document started: the counters restart with it. */
export async function mainThreadTime(cdp: CDPSession): Promise<MainThreadTime> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const seconds = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  return {
    taskMs: round1(seconds('TaskDuration') * 1000),
    scriptMs: round1(seconds('ScriptDuration') * 1000),
  };
}
