// Live usage (issue 15): the current CPU and memory of running VMs, containers and
// hosts, sampled only for what is on screen (the tree's and the overview grid's rows).

import type { LocalizedText } from './descriptor';
import type { NodeKind } from './model';

/** Why a reading has no values: the guest is not running, the platform (or this kind) has no source, the server is not connected, or asking failed. */
export const USAGE_MISSING = ['not-running', 'no-source', 'not-connected', 'failed'] as const;
export type UsageMissing = (typeof USAGE_MISSING)[number];

export interface UsageReading {
  nodeId: string;
  /** share of the node's CPUs in use, 0..1 (a guest's of its vCPUs, a host's of its cores) */
  cpu?: number;
  /** bytes */
  memoryUsed?: number;
  memoryTotal?: number;
  /** Unix ms when it was read */
  at: number;
  missing?: UsageMissing;
}

/** What a platform offers for live usage (MetricsFacet.usage); absent = no live usage at all. */
export interface UsageFacet {
  /** node kinds that have live usage */
  kinds: NodeKind[];
  /** what a missing value's tooltip adds about the platform (where its source is, what it lacks) */
  note?: LocalizedText;
}

/** How often the core samples what is on screen; while every window is hidden it waits HIDDEN_FACTOR times longer. */
export const USAGE_INTERVAL_MS = 5000;
export const USAGE_HIDDEN_FACTOR = 6;
/** A watcher that has not renewed its list within this time is forgotten (a closed window). */
export const USAGE_WATCH_TTL_MS = 60_000;
/** The most node ids one watcher may ask to follow. */
export const USAGE_WATCH_MAX = 2000;

export interface UsageWatch {
  /** the page (window) watching: one id per renderer */
  watcher: string;
  /** the node ids on screen now */
  nodeIds: string[];
  /** the window is hidden: sample rarely */
  hidden?: boolean;
}
