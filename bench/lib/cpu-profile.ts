// A Chrome CPU profile of the page around one measured step (CDP Profiler), summed up as
// the functions that took the most time: self time and time including callees.
import { writeFileSync } from 'node:fs';
import type { CDPSession, Page } from 'playwright-core';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSession {
  /** Stops, writes the profile to `file` when given (open it in Chrome's DevTools) and returns the summary lines. */
  stop(file?: string, top?: number): Promise<string[]>;
}

export async function startProfile(page: Page): Promise<ProfileSession> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return {
    async stop(file, top = 12) {
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
      await cdp.detach();
      if (file) writeFileSync(file, JSON.stringify(profile));
      return summarize(profile, top);
    },
  };
}

const frameName = (n: ProfileNode) => {
  const file = n.callFrame.url.split('/').pop() ?? '';
  return `${n.callFrame.functionName || '(anonymous)'}${file ? ` ${file}:${n.callFrame.lineNumber + 1}` : ''}`;
};

/** The functions with the most self time, and with the most time including what they called. */
export function summarize(profile: CpuProfile, top: number): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const leaf = byId.get(profile.samples[i])!;
    const name = frameName(leaf);
    self.set(name, (self.get(name) ?? 0) + dt);
    // a recursive function counts once per sample
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parentOf.get(id)) {
      const f = frameName(byId.get(id)!);
      if (seen.has(f)) continue;
      seen.add(f);
      total.set(f, (total.get(f) ?? 0) + dt);
    }
  }
  const idle = new Set(['(idle)', '(program)', '(root)']);
  const rank = (m: Map<string, number>) =>
    [...m]
      .filter(([name]) => !idle.has(name.split(' ')[0]))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, t]) => `${t.toFixed(0).padStart(7)} ms  ${name}`);
  const busy = [...self].filter(([n]) => !idle.has(n.split(' ')[0])).reduce((s, [, t]) => s + t, 0);
  return [`busy ${busy.toFixed(0)} ms of ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms`, '  self:', ...rank(self).map((l) => `  ${l}`), '  including callees:', ...rank(total).map((l) => `  ${l}`)];
}
