// Normalized actions → PVE API calls, and following the worker task (UPID)
// each of them starts until it stops.

import type { ActionParams } from '../../../../shared/contract';
import { defaultSnapshotName, snapshotNameProblem } from '../../../../shared/descriptor';
import { PolyvisorError, toErrorInfo } from '../../../../shared/errors';
import type { ActionName } from '../../../../shared/model';
import { sleep } from '../../util/timing';
import type { ProviderConfig, TaskReporter } from '../provider';
import { readTaskLog, readTaskStatus, upidNode } from './answers';
import type { PveClient, PveParams } from './client';
import { markDescription } from '../common/policy-mark';
import { proxmoxDescriptor } from './descriptor';
import type { GuestType } from './model-map';

export interface GuestTarget {
  type: GuestType;
  vmid: number;
  node: string;
  /** PVE status from /cluster/resources (running, paused, stopped, …) */
  status?: string;
  /** for a default snapshot name */
  name: string;
}

export interface ActionCall {
  method: 'POST' | 'DELETE';
  path: string;
  params?: PveParams;
  /** the snapshot created by snapshot_create */
  snapname?: string;
}

// qemu: every normalized action exists. pause = suspend to RAM (QMP stop), suspend = hibernate
// (todisk). resume handles both a paused and a hibernated VM, as in PVE's own GUI.
const QEMU_POWER: Partial<Record<ActionName, { cmd: string; params?: PveParams }>> = {
  start: { cmd: 'start' },
  shutdown: { cmd: 'shutdown' },
  force_shutdown: { cmd: 'stop' },
  reboot: { cmd: 'reboot' },
  force_reboot: { cmd: 'reset' },
  pause: { cmd: 'suspend' },
  unpause: { cmd: 'resume' },
  suspend: { cmd: 'suspend', params: { todisk: true } },
  resume: { cmd: 'resume' },
};

// lxc: no reset; its suspend/resume are experimental CRIU checkpoints PVE's GUI does not offer.
const LXC_POWER: Partial<Record<ActionName, { cmd: string; params?: PveParams }>> = {
  start: { cmd: 'start' },
  shutdown: { cmd: 'shutdown' },
  force_shutdown: { cmd: 'stop' },
  reboot: { cmd: 'reboot' },
};

/** The API path of a guest: /nodes/{node}/{qemu|lxc}/{vmid} */
export function guestPath(guest: Pick<GuestTarget, 'node' | 'type' | 'vmid'>): string {
  return `/nodes/${encodeURIComponent(guest.node)}/${guest.type}/${guest.vmid}`;
}

export function actionCall(guest: GuestTarget, action: ActionName, params: ActionParams, snapname?: string): ActionCall {
  const base = guestPath(guest);
  switch (action) {
    case 'snapshot_create': {
      const rule = proxmoxDescriptor.snapshotName;
      const name = params.name?.trim() || defaultSnapshotName(rule, guest.name, new Date());
      const problem = snapshotNameProblem(rule, name);
      if (problem) throw new PolyvisorError({ code: 'INVALID_INPUT', message: `${problem} ("${name}")` });
      const withRam = !!params.memory && guest.type === 'qemu' && guest.status !== 'stopped';
      return {
        method: 'POST',
        path: `${base}/snapshot`,
        // a policy's snapshot: its tag on the description's last line, so retention finds only its own
        params: { snapname: name, description: markDescription(params.description, params.policyId) || undefined, ...(withRam ? { vmstate: true } : {}) },
        snapname: name,
      };
    }
    case 'snapshot_revert':
      return { method: 'POST', path: `${base}/snapshot/${encodeURIComponent(requireSnap(snapname))}/rollback` };
    case 'snapshot_delete':
      return { method: 'DELETE', path: `${base}/snapshot/${encodeURIComponent(requireSnap(snapname))}` };
    default: {
      const map = guest.type === 'qemu' ? QEMU_POWER : LXC_POWER;
      const op = map[action];
      if (!op) {
        throw new PolyvisorError({
          code: 'UNSUPPORTED',
          message: `Proxmox VE has no "${action}" for ${guest.type === 'qemu' ? 'virtual machines' : 'containers'}.`,
        });
      }
      return { method: 'POST', path: `${base}/status/${op.cmd}`, params: op.params };
    }
  }
}

function requireSnap(snapname: string | undefined): string {
  if (!snapname) throw new PolyvisorError({ code: 'INVALID_INPUT', message: 'No snapshot given.' });
  return snapname;
}

/**
 * Follows a worker task until it stops. Progress is an estimate from the number of
 * log lines (PVE reports none). Resolves on exitstatus OK; a stopped task with any other
 * exit status becomes SERVER_ERROR carrying it (CANCELLED when we stopped it).
 */
export async function followTask(
  client: PveClient,
  upid: string,
  task: TaskReporter,
  pollMs: number,
  expectedLines = 4,
  log?: ProviderConfig['log'],
): Promise<void> {
  const node = encodeURIComponent(upidNode(upid));
  const base = `/nodes/${node}/tasks/${encodeURIComponent(upid)}`;
  const stopTask = () => client.delete(base, () => undefined);
  let cancelled = false;
  task.setCancellable(async () => {
    cancelled = true;
    await stopTask();
  });
  let lines = 0;
  try {
    for (;;) {
      const status = await client.get(`${base}/status`, readTaskStatus);
      if (status.status === 'stopped') {
        const exit = status.exitstatus ?? 'unknown exit status';
        if (exit === 'OK') {
          task.progress(1);
          return;
        }
        if (cancelled || task.signal.aborted) {
          throw new PolyvisorError({ code: 'CANCELLED', message: 'The task was cancelled.', serverCode: 'TASK ERROR', serverParams: [exit, upid] });
        }
        throw new PolyvisorError({ code: 'SERVER_ERROR', message: exit, serverCode: 'TASK ERROR', serverParams: [exit, upid] });
      }
      lines += await client.get(`${base}/log`, readTaskLog, { start: lines, limit: 500 }).catch((e: unknown) => {
        // the log only moves the progress estimate; the status above decides the outcome
        log?.('debug', `task log of ${upid} not read: ${toErrorInfo(e).message}`);
        return 0;
      });
      task.progress(Math.min(0.95, lines / (expectedLines + 2)));
      if (task.signal.aborted && !cancelled) {
        cancelled = true;
        // the status poll goes on and reports how the task really ended
        await stopTask().catch((e: unknown) => log?.('warn', `stopping task ${upid} failed: ${toErrorInfo(e).message}`));
      }
      await sleep(pollMs, cancelled ? undefined : task.signal);
    }
  } finally {
    task.setCancellable(null);
  }
}
