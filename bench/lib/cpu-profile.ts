// A Chrome CPU profile of the page around one measured step (CDP Profiler), summed up as
// the functions that took the most time: self time and time including callees.
import { writeFileSync } from 'node:fs';
import type { CDPSession, Page } from 'playwright-core';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

export interface CpuProfile {
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

/** A stretch of samples where the thread was busy (idle gaps shorter than `gapMs` joined). */
export interface Block {
  /** ms from the profile's start */
  at: number;
  ms: number;
  /** sample indices, both included */
  from: number;
  to: number;
}

const IDLE = new Set(['(idle)', '(program)', '(root)']);
const isIdle = (n: ProfileNode) => IDLE.has(n.callFrame.functionName);

/** The stretches of at least `minMs` during which the thread ran without yielding for more than `gapMs`. */
export function longBlocks(profile: CpuProfile, minMs: number, gapMs = 5): Block[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const blocks: Block[] = [];
  let t = 0;
  let current: Block | undefined;
  let idleSince: number | undefined;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]! / 1000;
    const end = t + (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (isIdle(byId.get(profile.samples[i]!)!)) {
      if (current && idleSince === undefined) idleSince = t;
      continue;
    }
    if (current && idleSince !== undefined && t - idleSince > gapMs) {
      blocks.push(current);
      current = undefined;
    }
    idleSince = undefined;
    if (!current) current = { at: t, ms: 0, from: i, to: i };
    current.ms = end - current.at;
    current.to = i;
  }
  if (current) blocks.push(current);
  return blocks.filter((b) => b.ms >= minMs);
}

/** The functions with the most self time, and with the most time including what they called (only inside `within` when given). */
export function summarize(profile: CpuProfile, top: number, within?: Block[]): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const ranges = within?.map((b) => [b.from, b.to] as const) ?? [[0, profile.samples.length - 1] as const];
  for (const [from, to] of ranges)
    for (let i = from; i <= to; i++) {
      const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
      const leaf = byId.get(profile.samples[i]!)!;
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
  const idle = IDLE;
  const rank = (m: Map<string, number>) =>
    [...m]
      .filter(([name]) => !idle.has(name.split(' ')[0]))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, t]) => `${t.toFixed(0).padStart(7)} ms  ${name}`);
  const span = within ? within.reduce((n, b) => n + b.ms, 0) : (profile.endTime - profile.startTime) / 1000;
  const busy = [...self].filter(([n]) => !idle.has(n.split(' ')[0])).reduce((s, [, t]) => s + t, 0);
  return [`busy ${busy.toFixed(0)} ms of ${span.toFixed(0)} ms`, '  self:', ...rank(self).map((l) => `  ${l}`), '  including callees:', ...rank(total).map((l) => `  ${l}`)];
}
