// Which inventory items a rule watches (its scope and kinds, running guests only), and
// each item's readings of the rule's metric in percent: CPU and memory from the live
// performance series every platform answers in the shared model, a storage's free
// space from the inventory itself.

import type { MetricsAnswer, MetricSeries } from '../../../shared/metrics';
import type { InventoryNode } from '../../../shared/model';
import { ruleKinds, type ThresholdMetric, type ThresholdRule, type ThresholdScope } from '../../../shared/thresholds';
import type { Reading } from './evaluator';

const RUNNING = new Set(['running', 'paused', 'unhealthy']);

/** The items of `nodes` a rule watches now. `ancestors(id)` lists a node's parents up to its server. */
export function ruleTargets(rule: ThresholdRule, nodes: Iterable<InventoryNode>, ancestors: (node: InventoryNode) => Iterable<string>): InventoryNode[] {
  const kinds = new Set<string>(ruleKinds(rule));
  const out: InventoryNode[] = [];
  for (const node of nodes) {
    if (!kinds.has(node.kind) || node.controlDomain) continue;
    if ((node.kind === 'vm' || node.kind === 'container') && !RUNNING.has(node.state ?? '')) continue;
    if (node.kind === 'storage' && (!node.storage || node.storage.removable)) continue;
    if (inScope(rule.scope, node, ancestors)) out.push(node);
  }
  return out;
}

function inScope(scope: ThresholdScope, node: InventoryNode, ancestors: (node: InventoryNode) => Iterable<string>): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'server':
      return node.serverId === scope.serverId;
    case 'node':
      return node.id === scope.nodeId;
    case 'tag': {
      const tags = node.props.tags;
      return Array.isArray(tags) && tags.includes(scope.tag);
    }
    case 'subtree':
      if (node.id === scope.nodeId) return true;
      for (const id of ancestors(node)) if (id === scope.nodeId) return true;
      return false;
  }
}

/** A function listing a node's ancestors through `get`, memoized for one pass over the inventory. */
export function ancestorWalker(get: (id: string) => InventoryNode | undefined): (node: InventoryNode) => string[] {
  const memo = new Map<string, string[]>();
  const walk = (node: InventoryNode, depth: number): string[] => {
    const known = memo.get(node.id);
    if (known) return known;
    const parent = node.parentId && depth < 64 ? get(node.parentId) : undefined;
    const chain = node.parentId ? [node.parentId, ...(parent ? walk(parent, depth + 1) : [])] : [];
    memo.set(node.id, chain);
    return chain;
  };
  return (node) => walk(node, 0);
}

/** The metric's readings in a live performance answer, in percent. */
export function readingsOf(metric: Exclude<ThresholdMetric, 'diskFree'>, answer: MetricsAnswer, node: InventoryNode): Reading[] {
  if (metric === 'cpu') {
    const cpu = answer.series.find((s) => s.metric === 'cpuTotal');
    return cpu ? answer.times.map((t, i) => ({ t, v: cpu.values[i] ?? null })) : [];
  }
  const used = answer.series.find((s) => s.metric === 'memoryUsed');
  const total = answer.series.find((s) => s.metric === 'memoryTotal');
  // vSphere reports consumed memory only: the VM's configured size is the whole
  const configured = typeof node.props.memory === 'number' && node.props.memory > 0 ? node.props.memory : null;
  if (!used || (!total && configured === null)) return [];
  return answer.times.map((t, i) => ({ t, v: percentOf(used.values[i] ?? null, totalAt(total, i) ?? configured) }));
}

function totalAt(total: MetricSeries | undefined, i: number): number | null {
  return total ? (total.values[i] ?? null) : null;
}

function percentOf(part: number | null, whole: number | null): number | null {
  return part === null || whole === null || whole <= 0 ? null : Math.min(100, (100 * part) / whole);
}

/** A storage's free space now, in percent (one reading; the inventory follows its size and use). */
export function freeSpaceReading(node: InventoryNode, nowSeconds: number): Reading[] {
  const s = node.storage;
  if (!s || s.size === null || s.size <= 0) return [];
  const free = s.free ?? (s.used === null ? null : s.size - s.used);
  return free === null ? [] : [{ t: nowSeconds, v: Math.max(0, Math.min(100, (100 * free) / s.size)) }];
}
