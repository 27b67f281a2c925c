// Proxmox actions → API calls: the snapshot name follows the descriptor's rule
// (one rule and one default, shared with the core and the renderer).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultSnapshotName, snapshotNameProblem } from '../../shared/descriptor';
import { isPolyvisorError } from '../../shared/errors';
import { actionCall, type GuestTarget } from '../../electron/core/providers/proxmox/actions';
import { proxmoxDescriptor } from '../../electron/core/providers/proxmox/descriptor';

const vm: GuestTarget = { type: 'qemu', vmid: 100, node: 'node 1', status: 'running', name: 'web01' };
const rule = proxmoxDescriptor.snapshotName;

describe('Proxmox snapshot names', () => {
  it('accepts the default name the core makes, for any VM name and time', () => {
    fc.assert(
      fc.property(fc.string(), fc.date({ min: new Date('1970-01-02'), max: new Date('9999-12-30'), noInvalidDate: true }), (vmName, now) => {
        const name = defaultSnapshotName(rule, vmName, now);
        expect(snapshotNameProblem(rule, name)).toBeNull();
        expect(actionCall({ ...vm, name: vmName }, 'snapshot_create', { name }).params?.snapname).toBe(name);
      }),
    );
  });

  it('uses that default when no name is given', () => {
    const call = actionCall(vm, 'snapshot_create', {});
    expect(call.snapname).toMatch(/^snap_\d{8}_\d{6}$/);
    expect(call).toMatchObject({ method: 'POST', path: '/nodes/node%201/qemu/100/snapshot' });
  });

  it('refuses what PVE would refuse, before sending anything, with the rule in the message', () => {
    for (const name of ['has spaces', '1starts-with-digit', 'a', 'x'.repeat(41), 'dots.not.allowed']) {
      let err: unknown;
      try {
        actionCall(vm, 'snapshot_create', { name });
      } catch (e) {
        err = e;
      }
      expect(isPolyvisorError(err, 'INVALID_INPUT'), name).toBe(true);
    }
  });

  it('asks for RAM only for a running qemu guest', () => {
    expect(actionCall(vm, 'snapshot_create', { name: 'ram', memory: true }).params).toMatchObject({ vmstate: true });
    expect(actionCall({ ...vm, status: 'stopped' }, 'snapshot_create', { name: 'ram', memory: true }).params).not.toHaveProperty('vmstate');
    expect(actionCall({ ...vm, type: 'lxc' }, 'snapshot_create', { name: 'ram', memory: true }).params).not.toHaveProperty('vmstate');
  });
});
