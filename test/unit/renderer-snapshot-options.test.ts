// What the Snapshots tab offers per platform and node: memory only for running VMs
// (never for LXC or Docker containers), volume data only where the server has it,
// Proxmox-valid default names, and the readable General-tab values.
import { describe, expect, it } from 'vitest';
import type { ServerView } from '../../shared/contract';
import type { InventoryNode, NodeKind, PowerState } from '../../shared/model';
import { canSnapshotMemory, canSnapshotVolumes, defaultSnapshotName, snapshotKindKey } from '../../renderer/src/tree/snapshot-kinds';
import { formatSeconds, isSecondsKey, isTimeKey } from '../../renderer/src/components/format';

const server = (type: ServerView['type'], snapshotKinds: Array<'disk' | 'memory' | 'quiesce' | 'volumes'>): ServerView => ({
  id: type,
  type,
  name: type,
  host: 'h',
  port: 1,
  username: '',
  autoConnect: false,
  rememberPassword: false,
  hasStoredPassword: false,
  options: {},
  state: 'connected',
  capabilities: { snapshotKinds, consoles: [], powerActions: [] },
});
const node = (kind: NodeKind, state?: PowerState, props: InventoryNode['props'] = {}): InventoryNode => ({
  id: `s:${kind}:x`,
  serverId: 's',
  kind,
  name: 'x',
  parentId: null,
  nativeRef: 'x',
  state,
  allowed: [],
  props,
});

describe('snapshot options', () => {
  const pve = server('proxmox', ['disk', 'memory']);
  it('offers memory for a running VM on a platform that has it, never for a container', () => {
    expect(canSnapshotMemory(node('vm', 'running'), pve)).toBe(true);
    expect(canSnapshotMemory(node('vm', 'halted'), pve)).toBe(false);
    expect(canSnapshotMemory(node('container', 'running'), pve)).toBe(false);
    expect(canSnapshotMemory(node('container', 'running'), server('docker', ['disk', 'volumes', 'memory']))).toBe(false);
    expect(canSnapshotMemory(node('vm', 'running'), server('xenserver', ['disk']))).toBe(false);
  });
  it('offers volume data only where the server keeps it', () => {
    expect(canSnapshotVolumes(server('docker', ['disk', 'volumes']))).toBe(true);
    expect(canSnapshotVolumes(pve)).toBe(false);
    expect(canSnapshotVolumes(undefined)).toBe(false);
  });
  it('proposes a name Proxmox VE accepts, the localized one elsewhere', () => {
    const when = new Date(2025, 0, 2, 3, 4, 5);
    expect(defaultSnapshotName(pve, when, 'Snapshot 1/2/2025')).toBe('snap_20250102_030405');
    expect(defaultSnapshotName(pve, when, 'x')).toMatch(/^[a-z][a-z0-9_-]+$/i);
    expect(defaultSnapshotName(server('vsphere', ['disk']), when, 'Snapshot 1/2/2025')).toBe('Snapshot 1/2/2025');
  });
  it('names what a snapshot holds', () => {
    const snap = (withMemory: boolean, props: InventoryNode['props'] = {}) => ({
      ...node('snapshot', undefined, props),
      snapshot: { ofId: 'v', parentSnapshotId: null, time: null, withMemory, description: '' },
    });
    expect(snapshotKindKey(snap(true))).toBe('snapshots.kindMemory');
    expect(snapshotKindKey(snap(false, { volumes: ['data'] }))).toBe('snapshots.kindVolumes');
    expect(snapshotKindKey(snap(false, { volumes: [] }))).toBe('snapshots.kindDisk');
  });
});

describe('General-tab values', () => {
  it('shows uptimes in days, hours and minutes', () => {
    expect(isSecondsKey('uptime')).toBe(true);
    expect(formatSeconds(874353)).toBe('10 d 2 h 52 min');
    expect(formatSeconds(3600)).toBe('1 h 0 min');
    expect(formatSeconds(59)).toBe('59 s');
    expect(formatSeconds(86400 + 60)).toBe('1 d 0 h 1 min');
  });
  it('knows which keys hold times', () => {
    for (const key of ['time', 'created', 'started', 'startedAt']) expect(isTimeKey(key)).toBe(true);
    expect(isTimeKey('uuid')).toBe(false);
  });
});
