// Snapshot actions that take more than one API call:
//   edit     = the description only (PUT …/snapshot/{snapname}/config): a snapshot's name
//              is its key in the guest's configuration, so PVE cannot rename one
//   clone    = POST …/clone with `snapname` into the next free VMID (GET /cluster/nextid)
//   template = that clone, then POST …/template on it
//   revert   = with snapshotFirst, a snapshot of the current state (the default name) first
// A policy's tag in a description is kept through an edit and left out of a clone's.

import type { ActionParams } from '../../../../shared/contract';
import { PolyvisorError, toErrorInfo } from '../../../../shared/errors';
import { nodeId, type ActionName } from '../../../../shared/model';
import { markDescription, readMarkedDescription } from '../common/policy-mark';
import { taskStep } from '../common/task-steps';
import type { ActionResult, ProviderConfig, TaskReporter } from '../provider';
import { actionCall, followTask, guestPath, type GuestTarget } from './actions';
import { readNothing, readSnapshotDescription, readUpid, readUpidOrNull } from './answers';
import type { PveClient } from './client';
import { withNextVmid } from './next-vmid';
import { guestRef, snapshotId } from './model-map';

export interface SnapshotActionDeps {
  client: PveClient;
  serverId: string;
  taskPollMs: number;
  log?: ProviderConfig['log'];
}

export interface SnapshotTarget extends GuestTarget {
  snapname: string;
}

/** Actions on a snapshot that this module runs (the rest are one call each, actions.ts). */
export function isCompositeSnapshotAction(action: ActionName, params: ActionParams): boolean {
  return action === 'snapshot_edit' || action === 'snapshot_clone' || action === 'snapshot_template' || (action === 'snapshot_revert' && !!params.snapshotFirst);
}

export function runCompositeSnapshotAction(
  deps: SnapshotActionDeps,
  target: SnapshotTarget,
  action: ActionName,
  params: ActionParams,
  task: TaskReporter,
): Promise<ActionResult> {
  switch (action) {
    case 'snapshot_edit':
      return editSnapshot(deps, target, params, task);
    case 'snapshot_clone':
      return copySnapshot(deps, target, params, task, false);
    case 'snapshot_template':
      return copySnapshot(deps, target, params, task, true);
    default:
      return revertAfterSnapshot(deps, target, task);
  }
}

const snapshotPath = (t: SnapshotTarget) => `${guestPath(t)}/snapshot/${encodeURIComponent(t.snapname)}`;

async function editSnapshot(deps: SnapshotActionDeps, target: SnapshotTarget, params: ActionParams, task: TaskReporter): Promise<ActionResult> {
  const rename = params.name?.trim();
  if (rename && rename !== target.snapname) {
    throw new PolyvisorError({
      code: 'UNSUPPORTED',
      field: 'name',
      message: `Proxmox VE cannot rename a snapshot: its name "${target.snapname}" is its key in the guest's configuration. Only its description can change.`,
    });
  }
  if (params.description !== undefined) {
    const path = `${snapshotPath(target)}/config`;
    // read now, not from the last poll: another client may have changed it meanwhile
    const { policyId } = readMarkedDescription(await deps.client.get(path, readSnapshotDescription));
    await deps.client.put(path, readNothing, { description: markDescription(params.description, policyId) });
  }
  task.progress(1);
  return {};
}

// PVE's dns-name format (pve_verify_dns_name): labels of letters, digits and inner hyphens, joined by dots
const DNS_LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const DNS_NAME = new RegExp(`^(?:${DNS_LABEL}\\.)*${DNS_LABEL}$`);

/** The new guest's name: the user's, checked against PVE's rule, or "<guest>-<snapshot>" made into one. */
export function cloneName(params: ActionParams, target: SnapshotTarget): string {
  const given = params.name?.trim();
  if (given) {
    if (!DNS_NAME.test(given)) {
      throw new PolyvisorError({
        code: 'INVALID_INPUT',
        field: 'name',
        message: `"${given}" cannot name a Proxmox VE guest: use letters, digits and "-" (dots between parts), beginning and ending with a letter or digit.`,
      });
    }
    return given;
  }
  const made = `${target.name}-${target.snapname}`.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/-*\.-*/g, '.').replace(/\.{2,}/g, '.').replace(/^[.-]+|[.-]+$/g, '');
  return DNS_NAME.test(made) ? made : `copy-of-${target.vmid}`;
}

async function copySnapshot(deps: SnapshotActionDeps, target: SnapshotTarget, params: ActionParams, task: TaskReporter, asTemplate: boolean): Promise<ActionResult> {
  const { client } = deps;
  const name = cloneName(params, target);
  // PVE copies the snapshot's description into the clone: without a policy's tag, which marks only that snapshot
  const { description } = readMarkedDescription(await client.get(`${snapshotPath(target)}/config`, readSnapshotDescription));
  const cloneParams = { snapname: target.snapname, [target.type === 'qemu' ? 'name' : 'hostname']: name, description };
  const { vmid: newid, upid } = await withNextVmid(client, (newid) => client.post(`${guestPath(target)}/clone`, readUpid, { ...cloneParams, newid }), deps.log);
  await followTask(client, upid, taskStep(task, 0, asTemplate ? 0.85 : 1), deps.taskPollMs, 6, deps.log);
  const copy = { node: target.node, type: target.type, vmid: newid };
  if (asTemplate) {
    try {
      await convertToTemplate(deps, copy, taskStep(task, 0.85, 1));
    } catch (err) {
      const info = toErrorInfo(err);
      throw new PolyvisorError({ ...info, message: `${name} (${newid}) was cloned from the snapshot, but making it a template failed: ${info.message}` }, { cause: err });
    }
  }
  const kind = asTemplate ? 'template' : target.type === 'qemu' ? 'vm' : 'container';
  task.progress(1);
  return { resultId: nodeId(deps.serverId, kind, guestRef(target.type, newid)) };
}

/** qemu converts in a worker task; lxc answers at once (null). */
export async function convertToTemplate(deps: SnapshotActionDeps, guest: Pick<GuestTarget, 'node' | 'type' | 'vmid'>, task: TaskReporter): Promise<void> {
  const path = `${guestPath(guest)}/template`;
  const upid = guest.type === 'qemu' ? await deps.client.post(path, readUpid) : await deps.client.post(path, readUpidOrNull);
  if (upid) await followTask(deps.client, upid, task, deps.taskPollMs, 2, deps.log);
  task.progress(1);
}

/** XenCenter's "take a snapshot of the current state first": a disk snapshot under the default name, then the rollback. */
async function revertAfterSnapshot(deps: SnapshotActionDeps, target: SnapshotTarget, task: TaskReporter): Promise<ActionResult> {
  const { client } = deps;
  const keep = actionCall(target, 'snapshot_create', {});
  await followTask(client, await client.post(keep.path, readUpid, keep.params), taskStep(task, 0, 0.4), deps.taskPollMs, 4, deps.log);
  const rollback = actionCall(target, 'snapshot_revert', {}, target.snapname);
  await followTask(client, await client.post(rollback.path, readUpid, rollback.params), taskStep(task, 0.4, 1), deps.taskPollMs, 4, deps.log);
  return { resultId: snapshotId(deps.serverId, guestRef(target.type, target.vmid), keep.snapname!) };
}
