// A VM's snapshot tree (VirtualMachineSnapshotInfo.rootSnapshotList) as vSphere
// sends it, and its snapshot nodes. A policy's snapshot carries the policy's tag
// on its description's last line: users read the rest.

import { nodeId, type ActionName, type InventoryNode } from '../../../../shared/model';
import { readMarkedDescription } from '../common/policy-mark';
import { child, children, readBool, readMoRef, text, type ManagedObjectReference, type XmlNode } from './xml';

/** What a snapshot allows on vCenter; a standalone ESXi host cannot clone. */
export const SNAPSHOT_ACTIONS: readonly ActionName[] = ['snapshot_revert', 'snapshot_delete', 'snapshot_edit', 'snapshot_clone', 'snapshot_template'];
export const LOCAL_SNAPSHOT_ACTIONS: readonly ActionName[] = ['snapshot_revert', 'snapshot_delete', 'snapshot_edit'];

const str = (node: XmlNode | undefined) => text(node)?.trim() ?? '';

export function snapshotNodes(serverId: string, vm: InventoryNode, trees: SnapshotTree[], allowed: readonly ActionName[]): InventoryNode[] {
  const out: InventoryNode[] = [];
  const walk = (list: SnapshotTree[], parentSnapshotId: string | null) => {
    for (const t of list) {
      const id = nodeId(serverId, 'snapshot', t.ref.value);
      const { description, policyId } = readMarkedDescription(t.description);
      out.push({
        id,
        serverId,
        kind: 'snapshot',
        name: t.name,
        parentId: vm.id,
        nativeRef: t.ref.value,
        allowed: [...allowed],
        props: { description, time: t.createTime, quiesced: t.quiesced, powerState: t.state || null },
        snapshot: {
          ofId: vm.id,
          parentSnapshotId,
          time: t.createTime,
          // a snapshot of a running VM keeps it running only when its memory was captured
          withMemory: t.state === 'poweredOn',
          description,
          ...(policyId ? { policyId } : {}),
        },
      });
      walk(t.children, id);
    }
  };
  walk(trees, null);
  return out;
}

/** The tree entry of one snapshot, found by its moref value. */
export function findSnapshot(trees: SnapshotTree[], ref: string): SnapshotTree | undefined {
  for (const t of trees) {
    if (t.ref.value === ref) return t;
    const below = findSnapshot(t.children, ref);
    if (below) return below;
  }
  return undefined;
}

export interface SnapshotTree {
  ref: ManagedObjectReference;
  name: string;
  description: string;
  createTime: string | null;
  state: string;
  quiesced: boolean;
  children: SnapshotTree[];
}

/** Reads VirtualMachineSnapshotInfo.rootSnapshotList (recursively). */
export function snapshotTrees(info: XmlNode | undefined): SnapshotTree[] {
  const read = (list: XmlNode[]): SnapshotTree[] =>
    list.flatMap((t) => {
      const ref = readMoRef(child(t, 'snapshot'));
      if (!ref) return [];
      const created = str(child(t, 'createTime'));
      const time = created ? new Date(created) : null;
      return [
        {
          ref,
          name: str(child(t, 'name')),
          description: text(child(t, 'description')) ?? '',
          createTime: time && !Number.isNaN(time.getTime()) ? time.toISOString() : null,
          state: str(child(t, 'state')),
          quiesced: readBool(child(t, 'quiesced')) ?? false,
          children: read(children(t, 'childSnapshotList')),
        },
      ];
    });
  return read(children(info, 'rootSnapshotList'));
}
