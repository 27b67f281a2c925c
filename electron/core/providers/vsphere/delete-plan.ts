// What deleting a VM or template removes on vSphere: its virtual disks (the
// .vmdk files with their capacity and datastore; Destroy_Task deletes them with
// the rest of the VM's folder) and its snapshots, read from the server now.

import { PolyvisorError } from '../../../../shared/errors';
import type { DeleteItem } from '../../../../shared/guests';
import { datastoreNameOf, disksOf, readDevices } from './devices';
import { retrieveObjects, retrieveOne } from './property-collector';
import { snapshotTrees, type SnapshotTree } from './snapshot-tree';
import type { VimClient } from './vim-client';
import { readMoRefArray, text } from './xml';

export async function deletePlan(client: VimClient, ref: string): Promise<Pick<DeleteItem, 'snapshots' | 'disks'>> {
  const props = await retrieveOne(client, { type: 'VirtualMachine', value: ref }, ['config.hardware.device', 'snapshot', 'datastore']);
  if (!props) throw new PolyvisorError({ code: 'NOT_FOUND', message: `The server no longer has virtual machine ${ref}.` });
  const stores = await retrieveObjects(client, readMoRefArray(props.get('datastore')), { Datastore: ['name'] });
  const storeNames = new Map(stores.map((s) => [s.obj.value, text(s.props.get('name'))?.trim() ?? '']));
  const disks = disksOf(readDevices(props.get('config.hardware.device'))).map((d) => ({
    name: d.fileName || d.label,
    sizeBytes: d.capacityBytes,
    ...withName((d.datastore && storeNames.get(d.datastore.value)) || datastoreNameOf(d.fileName)),
  }));
  return { snapshots: count(snapshotTrees(props.get('snapshot'))), disks };
}

const withName = (storageName: string | undefined) => (storageName ? { storageName } : {});

function count(trees: SnapshotTree[]): number {
  return trees.reduce((n, t) => n + 1 + count(t.children), 0);
}
