// The readers of PVE's migration answers and the maintenance mark in node notes:
// real shapes (qemu and lxc spell the node lists differently, not_allowed_nodes
// lists every other node, allowed ones with nothing in them), hostile ones
// (wrong types become SERVER_ERROR or are dropped, never a TypeError), and
// what a user wrote in the notes kept around the mark.

import { describe, expect, it } from 'vitest';
import { isPolyvisorError } from '../../shared/errors';
import { readHaMaintenance, readMigratePrecondition, readNodeNotes } from '../../electron/core/providers/proxmox/migration-answers';
import { hasMaintenanceMark, MAINTENANCE_MARK, withMaintenanceMark, withoutMaintenanceMark } from '../../electron/core/providers/proxmox/maintenance-mark';

describe('readMigratePrecondition', () => {
  it('reads a stopped VM: allowed nodes, and only the nodes with a reason as not allowed', () => {
    const pre = readMigratePrecondition(
      {
        running: 0,
        allowed_nodes: ['pve3'],
        not_allowed_nodes: { pve1: { unavailable_storages: ['fast-ssd'] }, pve3: {} },
        local_disks: [{ volid: 'fast-ssd:vm-114-disk-0', size: 1, cdrom: 0, is_unused: 0 }],
        local_resources: [],
        'mapped-resources': [],
      },
      'GET migrate',
    );
    expect(pre).toEqual({ running: false, localDisks: ['fast-ssd:vm-114-disk-0'], localResources: [], allowedNodes: ['pve3'], notAllowed: { pve1: { unavailable_storages: ['fast-ssd'] } } });
  });

  it('reads the container spelling and HA blockers by their sid', () => {
    const pre = readMigratePrecondition(
      { running: 1, 'allowed-nodes': ['pve2'], 'not-allowed-nodes': { pve3: { 'blocking-ha-resources': [{ sid: 'ct:130', cause: 'resource-affinity' }] } } },
      'GET migrate',
    );
    expect(pre).toMatchObject({ running: true, allowedNodes: ['pve2'], notAllowed: { pve3: { 'blocking-ha-resources': ['ct:130'] } } });
  });

  it('drops wrong fields and refuses a non-object answer with SERVER_ERROR', () => {
    const pre = readMigratePrecondition({ running: 'yes', local_disks: [null, 3, { volid: 7 }], local_resources: 'hostpci0', not_allowed_nodes: [] }, 'GET migrate');
    expect(pre).toEqual({ running: false, localDisks: [], localResources: [], notAllowed: {} });
    let thrown: unknown;
    try {
      readMigratePrecondition(['not', 'an', 'object'], 'GET migrate');
    } catch (e) {
      thrown = e;
    }
    expect(isPolyvisorError(thrown) && thrown.info.code).toBe('SERVER_ERROR');
  });
});

describe('readHaMaintenance and readNodeNotes', () => {
  it('finds the LRMs in "maintenance mode" only', () => {
    const nodes = readHaMaintenance(
      [
        { id: 'quorum', type: 'quorum', node: 'pve1', status: 'OK' },
        { id: 'lrm:pve1', type: 'lrm', node: 'pve1', status: 'idle' },
        { id: 'lrm:pve2', type: 'lrm', node: 'pve2', status: 'maintenance mode' },
        { id: 'service:vm:100', type: 'service', node: 'pve3', status: 'maintenance mode' },
      ],
      'HA status',
    );
    expect([...nodes]).toEqual(['pve2']);
  });

  it('reads notes and whether a wake-on-LAN MAC is set', () => {
    expect(readNodeNotes({ description: 'rack 4', digest: 'abc', wakeonlan: 'mac=BC:24:11:0A:00:03,bind-interface=eno1' }, 'config')).toEqual({ description: 'rack 4', digest: 'abc', wakeOnLan: true });
    expect(readNodeNotes({ wakeonlan: 'bind-interface=eno1' }, 'config')).toEqual({ description: '', digest: undefined, wakeOnLan: false });
  });
});

describe('the maintenance mark in node notes', () => {
  it('adds the mark once on its own line and takes only it off', () => {
    const marked = withMaintenanceMark('rack 4\nUPS B');
    expect(marked).toBe(`rack 4\nUPS B\n${MAINTENANCE_MARK}`);
    expect(withMaintenanceMark(marked)).toBe(marked);
    expect(withoutMaintenanceMark(marked)).toBe('rack 4\nUPS B');
    expect(withMaintenanceMark('')).toBe(MAINTENANCE_MARK);
    expect(withoutMaintenanceMark(MAINTENANCE_MARK)).toBe('');
  });

  it('does not count the mark quoted inside a line', () => {
    expect(hasMaintenanceMark(`see "${MAINTENANCE_MARK}"`)).toBe(false);
    expect(hasMaintenanceMark(`x\r\n${MAINTENANCE_MARK}\r`)).toBe(true);
  });
});
