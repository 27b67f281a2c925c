// One run of one of Polyvisor's own policies: for each member, a snapshot through
// the core's actions (a task like the user's own, marked with the policy's id),
// then retention (this policy's oldest snapshots of that VM beyond `retain`).
// Members on one server run one after another; servers run side by side. Every
// outcome, error codes and all, goes into the run's items.

import { randomUUID } from 'node:crypto';
import type { ActionParams, ActionRequest, TaskInfo } from '../../../shared/contract';
import { toErrorInfo, type ErrorInfo } from '../../../shared/errors';
import type { InventoryNode, NodeKind } from '../../../shared/model';
import type { PolicyRun, PolicyRunItem, PolicySnapshotType } from '../../../shared/schedules';
import type { OwnPolicy } from './policy-store';
import type { ScheduleEnvironment } from './schedule-environment';
import { policySnapshotName, snapshotsToPrune } from './retention';

export interface RunOptions {
  trigger: PolicyRun['trigger'];
  /** each change of the run (started, an item done, finished) */
  progress(run: PolicyRun): void;
  /** awaited before the first snapshot (the runner records the slot the run stands for) */
  beforeStart?(run: PolicyRun): Promise<void>;
  /** names members had in earlier runs, for members the inventory no longer shows */
  knownNames?: Map<string, string>;
  /** how long a new snapshot may take to appear in the inventory before retention gives up this time */
  appearMs?: number;
}

const APPEAR_MS = 60_000;

export async function runOwnPolicy(policy: OwnPolicy, env: ScheduleEnvironment, options: RunOptions): Promise<PolicyRun> {
  const run: PolicyRun = {
    id: randomUUID(),
    policyId: policy.id,
    policyName: policy.name,
    trigger: options.trigger,
    startedAt: env.now().toISOString(),
    outcome: 'running',
    items: policy.members.map((nodeId) => ({ nodeId, name: env.node(nodeId)?.name ?? options.knownNames?.get(nodeId) ?? refOf(nodeId).nativeRef, pruned: [] })),
  };
  const report = () => options.progress(structuredClone(run));
  await options.beforeStart?.(structuredClone(run));
  report();
  const byServer = new Map<string, PolicyRunItem[]>();
  for (const item of run.items) {
    const serverId = env.node(item.nodeId)?.serverId ?? refOf(item.nodeId).serverId;
    byServer.set(serverId, [...(byServer.get(serverId) ?? []), item]);
  }
  const { failures, release } = await env.connect([...byServer.keys()]);
  // connected now: the inventory has the names of members whose servers were not connected before
  for (const item of run.items) item.name = env.node(item.nodeId)?.name ?? item.name;
  try {
    await Promise.all(
      [...byServer].map(async ([serverId, items]) => {
        for (const item of items) {
          const failure = failures.get(serverId);
          if (failure) item.error = { ...failure, message: `${env.serverName(serverId)}: ${failure.message}` };
          else await snapshotMember(policy, item, env, options.appearMs ?? APPEAR_MS);
          report();
        }
      }),
    );
  } finally {
    await release();
  }
  run.finishedAt = env.now().toISOString();
  run.outcome = outcomeOf(run.items);
  report();
  return run;
}

function outcomeOf(items: PolicyRunItem[]): PolicyRun['outcome'] {
  const failed = items.filter((i) => i.error).length;
  if (failed === 0) return 'success';
  return items.some((i) => i.created) ? 'partial' : 'failure';
}

const TYPE_PARAMS: Record<PolicySnapshotType, ActionParams> = { disk: {}, memory: { memory: true }, quiesce: { quiesce: true } };

async function snapshotMember(policy: OwnPolicy, item: PolicyRunItem, env: ScheduleEnvironment, appearMs: number): Promise<void> {
  const vm = env.node(item.nodeId);
  const params: ActionParams = { ...TYPE_PARAMS[policy.type], description: `Taken by the snapshot policy "${policy.name}".`, policyId: policy.id };
  let task: TaskInfo;
  try {
    if (vm) {
      params.name = nameFor(vm.serverId, vm.name, vm.id, env);
      task = await finished(env, env.runAction({ nodeIds: [vm.id], action: 'snapshot_create', params })[0]);
    } else {
      // gone from the inventory (deleted meanwhile?): ask the server, whose answer is the record
      const { serverId, kind, nativeRef } = refOf(item.nodeId);
      const request: Omit<ActionRequest, 'nodeIds'> = { action: 'snapshot_create', params: { ...params, name: nameFor(serverId, item.name, item.nodeId, env) } };
      task = await finished(env, env.runOnGone(serverId, { nativeRef, kind, name: item.name }, request));
    }
  } catch (e) {
    item.error = toErrorInfo(e);
    return;
  }
  if (task.status !== 'success') {
    item.error = task.error ?? { code: 'CANCELLED', message: 'The snapshot was cancelled.' };
    return;
  }
  if (!vm) return;
  const taken = await env.waitForNode(
    (n) => n.kind === 'snapshot' && (task.resultId ? n.id === task.resultId : n.snapshot?.ofId === vm.id && n.name === params.name),
    appearMs,
  );
  item.created = taken?.id ?? task.resultId;
  if (!taken) {
    item.error = { code: 'TIMEOUT', message: 'The new snapshot did not show in the inventory in time, so no old snapshot was deleted this time.' };
    return;
  }
  await prune(policy, vm, taken, item, env);
}

async function prune(policy: OwnPolicy, vm: InventoryNode, taken: InventoryNode, item: PolicyRunItem, env: ScheduleEnvironment): Promise<void> {
  for (const old of snapshotsToPrune(env.nodes(), vm.id, policy.id, policy.retain, taken.id)) {
    try {
      const task = await finished(env, env.runAction({ nodeIds: [old.id], action: 'snapshot_delete' })[0]);
      if (task.status !== 'success') {
        item.error = pruneError(old, task.error ?? { code: 'CANCELLED', message: 'cancelled' });
        return;
      }
      item.pruned.push(old.name);
    } catch (e) {
      item.error = pruneError(old, toErrorInfo(e));
      return;
    }
  }
}

function pruneError(old: InventoryNode, error: ErrorInfo): ErrorInfo {
  return { ...error, message: `The old snapshot "${old.name}" could not be deleted: ${error.message}` };
}

function nameFor(serverId: string, vmName: string, vmId: string, env: ScheduleEnvironment): string | undefined {
  const rule = env.descriptorOf(serverId)?.snapshotName;
  if (!rule) return undefined;
  const taken = new Set(env.nodes().filter((n) => n.kind === 'snapshot' && n.snapshot?.ofId === vmId).map((n) => n.name));
  return policySnapshotName(rule, vmName, env.now(), taken);
}

async function finished(env: ScheduleEnvironment, task: TaskInfo): Promise<TaskInfo> {
  return task.status === 'running' ? env.whenDone(task.id) : task;
}

/** The parts of a node id `${serverId}:${kind}:${nativeRef}` (native refs may hold colons). */
function refOf(nodeId: string): { serverId: string; kind: NodeKind; nativeRef: string } {
  const [serverId, kind, ...rest] = nodeId.split(':');
  return { serverId, kind: kind as NodeKind, nativeRef: rest.join(':') };
}
