// Power and snapshot operations on one guest, as worker tasks. Checks that real
// PVE does inside the worker (locks, "already running") fail the task; checks it
// does before forking (resume/suspend of a stopped guest) throw SimHttpError.

import { applyPending } from './config-keys';
import { addSnapshot } from './seed';
import type { ClusterState, SimGuest } from './state';
import type { TaskWork } from './tasks';

export class SimHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Record<string, string>,
  ) {
    super(message);
  }
}

export type PowerOp = 'start' | 'shutdown' | 'stop' | 'reboot' | 'reset' | 'suspend' | 'resume';

export const label = (g: Pick<SimGuest, 'type'>) => (g.type === 'qemu' ? 'VM' : 'CT');
export const taskPrefix = (g: SimGuest) => (g.type === 'qemu' ? 'qm' : 'vz');

/** A writer that finds the config file locked by a running worker waits 10 s, then gives up with PVE's words. */
export function checkFileLock(g: SimGuest): void {
  if (!g.fileLocked) return;
  const file = g.type === 'qemu' ? `/var/lock/qemu-server/lock-${g.vmid}.conf` : `/run/lock/lxc/pve-config-${g.vmid}.lock`;
  throw new SimHttpError(500, `can't lock file '${file}' - got timeout`);
}

function checkLock(g: SimGuest, skiplock = false): void {
  if (g.lock && !skiplock) throw new Error(`${label(g)} is locked (${g.lock})`);
}

function requireRunning(g: SimGuest): void {
  if (g.status !== 'running') throw new Error(`${label(g)} ${g.vmid} not running`);
}

function markStopped(g: SimGuest): void {
  g.status = 'stopped';
  g.qmpstatus = undefined;
  g.startedAt = undefined;
  g.frozen = false;
}

/** A (re)start: qemu and lxc read their configuration anew, so pending changes take effect. */
export function markRunning(g: SimGuest): void {
  applyPending(g);
  g.status = 'running';
  if (g.type === 'qemu') g.qmpstatus = 'running';
  g.startedAt = Date.now();
}

/** Returns the task type (qmstart, vzshutdown, …) and its work. */
export function powerWork(g: SimGuest, op: PowerOp, p: Record<string, unknown>): { type: string; work: TaskWork } {
  const type = `${taskPrefix(g)}${op}`;
  const skiplock = p.skiplock === true;
  const noop = () => {};
  switch (op) {
    case 'start':
      return {
        type,
        work: {
          begin() {
            if (g.template) throw new Error(`you can't start a ${g.type === 'qemu' ? 'vm' : 'CT'} if it's a template`);
            const resuming = g.type === 'qemu' && g.lock === 'suspended';
            if (!resuming) checkLock(g, skiplock);
            if (g.status === 'running') throw new Error(`${label(g)} ${g.vmid} already running`);
          },
          finish() {
            if (g.lock === 'suspended') resumeFromDisk(g);
            else markRunning(g);
          },
          lines: g.type === 'qemu' ? [`start VM ${g.vmid}: UUIDs ok`] : [],
        },
      };
    case 'shutdown':
      return {
        type,
        work: {
          begin() {
            checkLock(g, skiplock);
            requireRunning(g);
            if (g.qmpstatus === 'paused' && p.forceStop !== true) throw new Error('VM is paused - cannot shutdown');
          },
          finish: () => markStopped(g),
        },
      };
    case 'stop':
      return {
        type,
        work: {
          begin: () => checkLock(g, skiplock),
          finish: () => markStopped(g),
        },
      };
    case 'reboot':
      return {
        type,
        work: {
          begin() {
            checkLock(g);
            requireRunning(g);
          },
          finish: () => markRunning(g),
        },
      };
    case 'reset':
      return {
        type,
        work: {
          begin() {
            checkLock(g, skiplock);
            requireRunning(g);
          },
          finish: noop,
        },
      };
    case 'suspend':
      requireRunningSync(g);
      if (g.type === 'qemu' && p.todisk === true) {
        return {
          type: 'qmsuspend',
          work: {
            begin() {
              checkLock(g, skiplock);
              g.lock = 'suspending';
            },
            finish() {
              markStopped(g);
              g.lock = 'suspended';
              g.config.vmstate = `${p.statestorage ?? 'local-lvm'}:vm-${g.vmid}-state-suspend-${new Date().toISOString().slice(0, 10)}`;
              g.configVersion++;
            },
            abort() {
              if (g.lock === 'suspending') g.lock = undefined;
            },
            lines: ['saving VM state and RAM using storage \'local-lvm\''],
          },
        };
      }
      return {
        type,
        work: {
          begin: () => checkLock(g, skiplock),
          finish() {
            if (g.type === 'qemu') g.qmpstatus = 'paused';
            else g.frozen = true;
          },
        },
      };
    case 'resume':
      if (!(g.type === 'qemu' && g.lock === 'suspended')) requireRunningSync(g);
      return {
        type,
        work: {
          begin() {
            if (g.lock !== 'suspended') checkLock(g, skiplock);
          },
          finish() {
            if (g.lock === 'suspended') resumeFromDisk(g);
            else if (g.type === 'qemu') g.qmpstatus = 'running';
            else g.frozen = false;
          },
        },
      };
  }
}

function requireRunningSync(g: SimGuest): void {
  if (g.status !== 'running') throw new SimHttpError(500, `${label(g)} ${g.vmid} not running`);
}

function resumeFromDisk(g: SimGuest): void {
  delete g.config.vmstate;
  g.lock = undefined;
  g.configVersion++;
  markRunning(g);
}

export function snapshotCreateWork(
  s: ClusterState,
  g: SimGuest,
  snapname: string,
  description: string,
  vmstate: boolean,
): TaskWork {
  if (snapname === 'current') throw new SimHttpError(500, "unable to use snapshot name 'current' (reserved name)");
  if (snapname.toLowerCase() === 'pending') throw new SimHttpError(500, "unable to use snapshot name 'pending' (reserved name)");
  const withRam = vmstate && g.type === 'qemu' && g.status === 'running';
  const previousParent = g.parent;
  return {
    begin() {
      checkLock(g);
      if (g.snapshots.has(snapname)) throw new Error(`snapshot name '${snapname}' already used`);
      g.lock = 'snapshot';
      addSnapshot(s, g, snapname, description, Math.floor(Date.now() / 1000), withRam);
      // the snapshot exists from "prepare" on; `current` moves onto it at commit
      g.parent = previousParent;
    },
    finish() {
      g.parent = snapname;
      g.lock = undefined;
      g.configVersion++;
    },
    abort() {
      g.snapshots.delete(snapname);
      g.parent = previousParent;
      g.lock = undefined;
    },
    lines: withRam
      ? ["saving VM state and RAM using storage 'local-lvm'", 'completed saving the VM state in 1s, saved 412.31 MiB', "snapshotting 'drive-scsi0' (local-lvm:vm-" + g.vmid + '-disk-0)']
      : g.type === 'qemu'
        ? ["snapshotting 'drive-scsi0' (local-lvm:vm-" + g.vmid + '-disk-0)']
        : [`Logical volume "snap_vm-${g.vmid}-disk-0_${snapname}" created.`],
  };
}

/** PUT …/snapshot/{snapname}/config: at once, under the config lock (a locked guest refuses). */
export function setSnapshotDescription(g: SimGuest, snapname: string, description: string): void {
  const snap = g.snapshots.get(snapname);
  if (g.lock) throw new SimHttpError(500, `${label(g)} is locked (${g.lock})`);
  if (!snap) throw new SimHttpError(500, `snapshot '${snapname}' does not exist`);
  snap.description = description;
  snap.config.description = description;
  g.configVersion++;
}

export function snapshotRollbackWork(s: ClusterState, g: SimGuest, snapname: string, start: boolean): TaskWork {
  return {
    begin() {
      const snap = g.snapshots.get(snapname);
      if (!snap) throw new Error(`snapshot '${snapname}' does not exist`);
      checkLock(g);
      g.lock = 'rollback';
      if (g.status === 'running') markStopped(g);
    },
    finish() {
      const snap = g.snapshots.get(snapname);
      if (!snap) throw new Error(`snapshot '${snapname}' does not exist`);
      s.restoreConfig(g, snap);
      g.parent = snapname;
      g.lock = undefined;
      if (snap.vmstate && g.type === 'qemu') markRunning(g);
      else if (start) markRunning(g);
    },
    abort() {
      if (g.lock === 'rollback') g.lock = undefined;
    },
    lines: g.type === 'qemu' ? [`Rolling back to snapshot '${snapname}'`] : [`Logical volume "vm-${g.vmid}-disk-0" successfully removed.`],
  };
}

export function snapshotDeleteWork(g: SimGuest, snapname: string): TaskWork {
  return {
    begin() {
      if (!g.snapshots.has(snapname)) throw new Error(`snapshot '${snapname}' does not exist`);
      checkLock(g);
      g.lock = 'snapshot-delete';
    },
    finish() {
      const snap = g.snapshots.get(snapname);
      if (!snap) throw new Error(`snapshot '${snapname}' does not exist`);
      for (const other of g.snapshots.values()) {
        if (other.parent === snapname) {
          other.parent = snap.parent;
          if (snap.parent) other.config.parent = snap.parent;
          else delete other.config.parent;
        }
      }
      if (g.parent === snapname) g.parent = snap.parent;
      g.snapshots.delete(snapname);
      g.lock = undefined;
      g.configVersion++;
    },
    abort() {
      if (g.lock === 'snapshot-delete') g.lock = undefined;
    },
    lines: [`Logical volume "snap_vm-${g.vmid}-disk-0_${snapname}" successfully removed.`],
  };
}
