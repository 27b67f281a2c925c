// Time a thread spent inside one function (callees included) in an inspector CPU profile:
// e.g. the core's XML parsing during a vSphere connect (issue 17).
import type { CpuProfile } from './cpu-profile';

/** ms of samples whose stack holds a frame named `functionName` from a file ending in `fileSuffix`. */
export function msInside(profile: CpuProfile, functionName: string, fileSuffix: string): number {
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const inside = new Map<number, boolean>();
  const isInside = (id: number): boolean => {
    const known = inside.get(id);
    if (known !== undefined) return known;
    const { callFrame } = byId.get(id)!;
    const parent = parentOf.get(id);
    const hit = (callFrame.functionName === functionName && callFrame.url.endsWith(fileSuffix)) || (parent !== undefined && isInside(parent));
    inside.set(id, hit);
    return hit;
  };
  let ms = 0;
  for (let i = 0; i < profile.samples.length; i++) if (isInside(profile.samples[i]!)) ms += (profile.timeDeltas[i + 1] ?? 0) / 1000;
  return ms;
}
