// What a datacenter offers a new VM: its datastores (free space, capacity,
// reachable, shared by several hosts), its networks (standard port groups and
// distributed port groups, the switches' uplinks left out) and the ISO images
// on its datastores (SearchDatastoreSubFolders_Task with an IsoImageFileQuery, datastore-search.ts).
// Choice ids: a datastore's moref value, "Type:moref" for a network, the
// datastore path for an ISO.

import { PolyvisorError, toErrorInfo } from '../../../../shared/errors';
import type { IsoChoice } from '../../../../shared/guests';
import type { TaskReporter } from '../provider';
import type { NetworkTarget } from './config-spec';
import { retrieveObjects, retrieveOne } from './property-collector';
import { searchDatastore } from './datastore-search';
import type { VimClient } from './vim-client';
import { child, childText, readBool, readMoRef, readMoRefArray, readNumber, text, type ManagedObjectReference, type XmlNode } from './xml';

export interface DatastoreFacts {
  ref: ManagedObjectReference;
  name: string;
  freeBytes?: number;
  capacityBytes?: number;
  accessible: boolean;
  /** mounted on several hosts (summary.multipleHostAccess) */
  shared: boolean;
  browser: ManagedObjectReference | null;
}

const NETWORK_TYPES = new Set(['Network', 'DistributedVirtualPortgroup']);

/** The datastores and networks a datacenter lists. */
async function datacenterLists(client: VimClient, dc: ManagedObjectReference): Promise<{ datastores: ManagedObjectReference[]; networks: ManagedObjectReference[] }> {
  const props = await retrieveOne(client, dc, ['datastore', 'network']);
  return { datastores: readMoRefArray(props?.get('datastore')), networks: readMoRefArray(props?.get('network')) };
}

export async function datastoresOf(client: VimClient, dc: ManagedObjectReference): Promise<DatastoreFacts[]> {
  return datastoreFacts(client, (await datacenterLists(client, dc)).datastores);
}

/** Free space, reach and browser of these datastores. */
export async function datastoreFacts(client: VimClient, datastores: ManagedObjectReference[]): Promise<DatastoreFacts[]> {
  const found = await retrieveObjects(client, datastores, { Datastore: ['summary', 'browser'] });
  return found.map(({ obj, props }) => readDatastore(obj, props.get('summary'), props.get('browser')));
}

function readDatastore(ref: ManagedObjectReference, summary: XmlNode | undefined, browser: XmlNode | undefined): DatastoreFacts {
  return {
    ref,
    name: childText(summary, 'name')?.trim() ?? ref.value,
    freeBytes: readNumber(child(summary, 'freeSpace')),
    capacityBytes: readNumber(child(summary, 'capacity')),
    accessible: readBool(child(summary, 'accessible')) !== false,
    shared: readBool(child(summary, 'multipleHostAccess')) === true,
    browser: readMoRef(browser),
  };
}

/** A datastore by its choice id, with its name (a disk's file name starts with it). */
export async function resolveDatastore(client: VimClient, id: string): Promise<{ ref: ManagedObjectReference; name: string }> {
  const ref: ManagedObjectReference = { type: 'Datastore', value: id };
  const name = text((await retrieveOne(client, ref, ['name']))?.get('name'))?.trim();
  if (!name) throw new PolyvisorError({ code: 'NOT_FOUND', field: 'storageId', message: `The server has no datastore ${JSON.stringify(id)}.` });
  return { ref, name };
}

export async function networksOf(client: VimClient, dc: ManagedObjectReference): Promise<NetworkTarget[]> {
  const { networks } = await datacenterLists(client, dc);
  return readNetworks(client, networks.filter((n) => NETWORK_TYPES.has(n.type)));
}

/** A network by its choice id ("Network:network-7", "DistributedVirtualPortgroup:dvportgroup-11"). */
export async function resolveNetwork(client: VimClient, id: string): Promise<NetworkTarget> {
  const split = id.indexOf(':');
  const ref = { type: id.slice(0, split), value: id.slice(split + 1) };
  const [found] = split > 0 && NETWORK_TYPES.has(ref.type) ? await readNetworks(client, [ref]) : [];
  if (!found) throw new PolyvisorError({ code: 'NOT_FOUND', field: 'networks', message: `The server has no network ${JSON.stringify(id)}.` });
  return found;
}

export const networkChoiceId = (ref: ManagedObjectReference): string => `${ref.type}:${ref.value}`;

async function readNetworks(client: VimClient, refs: ManagedObjectReference[]): Promise<NetworkTarget[]> {
  const found = await retrieveObjects(client, refs, {
    Network: ['name'],
    DistributedVirtualPortgroup: ['name', 'key', 'config.distributedVirtualSwitch'],
  });
  const switchRefs = uniqueRefs(found.map((f) => readMoRef(f.props.get('config.distributedVirtualSwitch'))));
  const switches = await retrieveObjects(client, switchRefs, {
    DistributedVirtualSwitch: ['uuid', 'config.uplinkPortgroup'],
    VmwareDistributedVirtualSwitch: ['uuid', 'config.uplinkPortgroup'],
  });
  const uplinks = new Set(switches.flatMap((s) => readMoRefArray(s.props.get('config.uplinkPortgroup')).map((r) => r.value)));
  const uuids = new Map(switches.map((s) => [s.obj.value, text(s.props.get('uuid'))?.trim() ?? '']));
  return found.flatMap(({ obj, props }): NetworkTarget[] => {
    const name = text(props.get('name'))?.trim() ?? obj.value;
    if (obj.type === 'Network') return [{ kind: 'network', ref: obj, name }];
    const dvs = readMoRef(props.get('config.distributedVirtualSwitch'));
    const switchUuid = dvs ? uuids.get(dvs.value) : undefined;
    if (!switchUuid || uplinks.has(obj.value)) return [];
    return [{ kind: 'dvportgroup', ref: obj, name, switchUuid, portgroupKey: text(props.get('key'))?.trim() || obj.value }];
  });
}

function uniqueRefs(refs: Array<ManagedObjectReference | null>): ManagedObjectReference[] {
  const seen = new Map<string, ManagedObjectReference>();
  for (const r of refs) if (r) seen.set(`${r.type}:${r.value}`, r);
  return [...seen.values()];
}

/**
 * The .iso files of these datastores, each searched through its own browser. A datastore
 * the server cannot search is logged and left out: the others' images are still offered.
 */
export async function isosOn(client: VimClient, datastores: DatastoreFacts[], task: TaskReporter, log?: (message: string) => void): Promise<IsoChoice[]> {
  const out: IsoChoice[] = [];
  for (const ds of datastores) {
    if (!ds.accessible || !ds.browser) continue;
    try {
      out.push(...(await searchIsos(client, ds, task)));
    } catch (err) {
      log?.(`searching ${ds.name} for ISO images failed: ${toErrorInfo(err).message}`);
    }
  }
  return out;
}

async function searchIsos(client: VimClient, ds: DatastoreFacts, task: TaskReporter): Promise<IsoChoice[]> {
  const found = await searchDatastore(client, { name: ds.name, browser: ds.browser! }, { type: 'IsoImageFileQuery', pattern: '*.iso' }, task, `Search ${ds.name} for ISO images`);
  return found
    .filter((f) => f.name.toLowerCase().endsWith('.iso'))
    .map((f) => ({ id: f.path, name: f.name, storageName: ds.name, sizeBytes: readNumber(child(f.info, 'fileSize')) }));
}
