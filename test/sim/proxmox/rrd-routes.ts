// GET …/rrddata of nodes, qemu and lxc guests, as pvestatd's RRDs answer them: one
// row per step of the timeframe's archive (PVE's RRD setup: hour 1 min, day 30 min,
// week 3 h, month 12 h, year a week, decade (nodes) a month — 70 rows each), `time`
// the start of each step, rates in bytes per second, `cf` AVERAGE or MAX.
// Values are plausible and deterministic: they depend on the object, the field, the
// step's time and its resolution, so a test can recompute what was served. A guest
// that is not running has rows with only their time (the RRD holds no value there).

import { SimHttpError } from './guest-ops';
import { P } from './params';
import { requireGuest, requireNode, type Route } from './route-kit';
import type { SimGuest, SimNode } from './state';

export const RRD_RESOLUTION: Record<string, number> = { hour: 60, day: 1800, week: 10_800, month: 43_200, year: 604_800, decade: 2_592_000 };
const ROWS = 70;
const TIMEFRAME = { type: 'string', enum: ['hour', 'day', 'week', 'month', 'year'] } as const;
const CF = { type: 'string', enum: ['AVERAGE', 'MAX'], optional: true } as const;

function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0) / 2 ** 32;
}

/** A swing in [0, 1] for one object's field at the middle of the step starting at `time`. */
export function pveWave(key: string, time: number, reso: number): number {
  const seed = seedOf(key);
  const mid = time + reso / 2;
  const v = 0.5 + 0.25 * Math.sin((2 * Math.PI * mid) / 86_400 + seed * 6.283) + 0.2 * Math.sin((2 * Math.PI * mid) / 3_600 + seed * 17.1);
  return Math.min(1, Math.max(0, v));
}

const round = (v: number, digits: number) => Number(v.toFixed(digits));

/** One guest row; MAX is the step's peak, above its average. */
export function guestRow(g: SimGuest, time: number, reso: number, cf: string): Record<string, number> {
  if (g.status !== 'running') return { time };
  const peak = cf === 'MAX' ? 1.2 : 1;
  const w = (field: string) => pveWave(`${g.type}/${g.vmid}:${field}`, time, reso);
  return {
    time,
    cpu: round(Math.min(1, (0.02 + 0.5 * w('cpu')) * peak), 6),
    maxcpu: g.maxcpu,
    mem: Math.round(g.maxmem * (0.25 + 0.5 * w('mem'))),
    maxmem: g.maxmem,
    disk: g.disk,
    maxdisk: g.maxdisk,
    netin: round(1_500_000 * w('netin') * peak, 2),
    netout: round(600_000 * w('netout') * peak, 2),
    diskread: round(3_000_000 * w('diskread') * peak, 2),
    diskwrite: round(1_000_000 * w('diskwrite') * peak, 2),
  };
}

/** One node row (pve2-node: cpu, iowait, loadavg, memory, swap, root disk, network). */
export function nodeRow(n: SimNode, time: number, reso: number, cf: string): Record<string, number> {
  if (!n.online) return { time };
  const peak = cf === 'MAX' ? 1.2 : 1;
  const w = (field: string) => pveWave(`node/${n.name}:${field}`, time, reso);
  return {
    time,
    cpu: round(Math.min(1, (0.02 + 0.4 * w('cpu')) * peak), 6),
    maxcpu: n.maxcpu,
    iowait: round(0.01 * w('iowait'), 6),
    loadavg: round(4 * w('loadavg') * peak, 2),
    memtotal: n.maxmem,
    memused: Math.round(n.maxmem * (0.3 + 0.4 * w('mem'))),
    swaptotal: 8 * 1024 ** 3,
    swapused: 0,
    roottotal: n.maxdisk,
    rootused: n.disk,
    netin: round(20_000_000 * w('netin') * peak, 2),
    netout: round(9_000_000 * w('netout') * peak, 2),
  };
}

/** The start times of the archive's rows, oldest first, the last one the step now is in. */
export function rrdTimes(timeframe: string, nowMs: number): number[] {
  const reso = RRD_RESOLUTION[timeframe];
  if (!reso) throw new SimHttpError(400, `Parameter verification failed. (timeframe: value '${timeframe}' does not have a value in the enumeration)`);
  const last = Math.floor(nowMs / 1000 / reso) * reso;
  return Array.from({ length: ROWS }, (_v, i) => last - (ROWS - 1 - i) * reso);
}

const cfOf = (p: Record<string, unknown>) => String(p.cf ?? 'AVERAGE');

function guestRrd(type: 'qemu' | 'lxc'): Route {
  return {
    method: 'GET',
    path: `/nodes/{node}/${type}/{vmid}/rrddata`,
    params: { cf: CF, node: P.node, timeframe: TIMEFRAME, vmid: P.vmid },
    handler(ctx) {
      const g = requireGuest(ctx.state, type, ctx.params);
      const reso = RRD_RESOLUTION[String(ctx.params.timeframe)]!;
      return rrdTimes(String(ctx.params.timeframe), Date.now()).map((t) => guestRow(g, t, reso, cfOf(ctx.params)));
    },
  };
}

export const RRD_ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/nodes/{node}/rrddata',
    params: { cf: CF, node: P.node, timeframe: { type: 'string', enum: ['hour', 'day', 'week', 'month', 'year', 'decade'] } },
    handler(ctx) {
      const n = requireNode(ctx.state, String(ctx.params.node));
      const reso = RRD_RESOLUTION[String(ctx.params.timeframe)]!;
      return rrdTimes(String(ctx.params.timeframe), Date.now()).map((t) => nodeRow(n, t, reso, cfOf(ctx.params)));
    },
  },
  guestRrd('qemu'),
  guestRrd('lxc'),
];
