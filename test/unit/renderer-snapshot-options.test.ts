// What the Snapshots tab offers per platform and node: memory only for running VMs
// (never for containers), volume data only where the server has it, the platform's
// default name and name rule (from its descriptor), and the readable General-tab values.
import { describe, expect, it } from 'vitest';
import type { ServerView } from '../../shared/contract';
import type { InventoryNode, NodeKind, PowerState } from '../../shared/model';
import i18n from '../../renderer/src/i18n';
import {
  canSnapshotMemory,
  canSnapshotVolumes,
  memorySnapshotProblem,
  proposedSnapshotName,
  snapshotKindKey,
  snapshotKindsOf,
  snapshotNameMessage,
} from '../../renderer/src/tree/snapshot-kinds';
import { formatSeconds, isSecondsKey, isTimeKey } from '../../renderer/src/components/format';
import en from '../../renderer/src/i18n/en.json';
import zhCN from '../../renderer/src/i18n/zh-CN.json';
import { proxmoxDescriptor } from '../../electron/core/providers/proxmox/descriptor';
import { dockerDescriptor } from '../../electron/core/providers/docker/descriptor';
import { vsphereDescriptor } from '../../electron/core/providers/vsphere/descriptor';

type Kinds = Array<'disk' | 'memory' | 'quiesce' | 'volumes'>;
const server = (snapshotKinds?: Kinds): ServerView => ({
  id: 's',
  type: 'any',
  name: 's',
  host: 'h',
  port: 1,
  username: '',
  autoConnect: false,
  rememberPassword: false,
  hasStoredPassword: false,
  options: {},
  state: 'connected',
  capabilities: snapshotKinds ? { snapshotKinds, consoles: [], powerActions: [] } : undefined,
});
const node = (kind: NodeKind, state?: PowerState, props: InventoryNode['props'] = {}): InventoryNode => ({
  id: `s:${kind}:x`,
  serverId: 's',
  kind,
  name: 'web01',
  parentId: null,
  nativeRef: 'x',
  state,
  allowed: [],
  props,
});

describe('snapshot options', () => {
  const withMemory: Kinds = ['disk', 'memory'];
  it('offers memory for a running VM on a platform that has it, never for a container', () => {
    expect(canSnapshotMemory(node('vm', 'running'), withMemory)).toBe(true);
    expect(memorySnapshotProblem(node('vm', 'halted'), withMemory)).toBe('notRunning');
    expect(memorySnapshotProblem(node('container', 'running'), withMemory)).toBe('container');
    expect(memorySnapshotProblem(node('container', 'running'), ['disk', 'volumes', 'memory'])).toBe('container');
    expect(memorySnapshotProblem(node('vm', 'running'), ['disk'])).toBe('platform');
  });
  it('reads the live capabilities first, the provider facets before the server connected', () => {
    expect(snapshotKindsOf(server(['disk']), proxmoxDescriptor)).toEqual(['disk']);
    expect(snapshotKindsOf(server(), proxmoxDescriptor)).toEqual(proxmoxDescriptor.facets.snapshotKinds);
    expect(snapshotKindsOf(undefined, undefined)).toEqual([]);
  });
  it('offers volume data only where the server keeps it', () => {
    expect(canSnapshotVolumes(snapshotKindsOf(server(), dockerDescriptor))).toBe(true);
    expect(canSnapshotVolumes(snapshotKindsOf(server(), proxmoxDescriptor))).toBe(false);
    expect(canSnapshotVolumes([])).toBe(false);
  });
  it("proposes the platform's default name, one its own rule accepts", () => {
    const when = new Date(2025, 0, 2, 3, 4, 5);
    expect(proposedSnapshotName(proxmoxDescriptor, 'web01', when, 'fallback')).toBe('snap_20250102_030405');
    expect(proposedSnapshotName(vsphereDescriptor, 'web01', when, 'fallback')).toBe('web01 2025-01-02 03:04:05');
    expect(proposedSnapshotName(undefined, 'web01', when, 'fallback')).toBe('fallback');
    const t = i18n.getFixedT('en');
    for (const d of [proxmoxDescriptor, vsphereDescriptor, dockerDescriptor]) {
      expect(snapshotNameMessage(d.snapshotName, proposedSnapshotName(d, 'web01', when, ''), t, 'en')).toBeNull();
    }
  });
  it("says in the user's language why the platform would refuse a name", () => {
    const t = i18n.getFixedT('en');
    expect(snapshotNameMessage(proxmoxDescriptor.snapshotName, 'before upgrade', t, 'en')).toContain('a letter first');
    expect(snapshotNameMessage(proxmoxDescriptor.snapshotName, 'x'.repeat(41), t, 'en')).toContain('40');
    expect(snapshotNameMessage(proxmoxDescriptor.snapshotName, '  ', t, 'en')).toBe('The snapshot needs a name.');
    expect(snapshotNameMessage(vsphereDescriptor.snapshotName, 'before upgrade', t, 'en')).toBeNull();
    expect(snapshotNameMessage(proxmoxDescriptor.snapshotName, 'before upgrade', i18n.getFixedT('zh-CN'), 'zh-CN')).toContain('以字母开头');
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
  /** the `units.` words of a translation file, as i18next fills them in */
  const wordsOf = (file: { units: Record<string, string> }) => (key: string, values: { n: number }) =>
    file.units[key.replace('units.', '')].replace('{{n}}', String(values.n));
  it('shows uptimes in days, hours and minutes, in the user\'s language', () => {
    expect(isSecondsKey('uptime')).toBe(true);
    expect(formatSeconds(874353, wordsOf(en))).toBe('10 d 2 h 52 min');
    expect(formatSeconds(3600, wordsOf(en))).toBe('1 h 0 min');
    expect(formatSeconds(59, wordsOf(en))).toBe('59 s');
    expect(formatSeconds(86400 + 60, wordsOf(en))).toBe('1 d 0 h 1 min');
    expect(formatSeconds(874353, wordsOf(zhCN))).toBe('10 天 2 小时 52 分钟');
    expect(formatSeconds(59, wordsOf(zhCN))).toBe('59 秒');
  });
  it('knows which keys hold times', () => {
    for (const key of ['time', 'created', 'started', 'startedAt']) expect(isTimeKey(key)).toBe(true);
    expect(isTimeKey('uuid')).toBe(false);
  });
});
