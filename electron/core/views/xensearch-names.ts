// XenCenter's saved-search vocabulary (XenModel/XenSearch: Common.cs ObjectTypes and
// PropertyNames, SearchMarshalling.cs) beside Polyvisor's search fields and node kinds.

/** SearchMarshalling's namespace of the <Searches> document, and the versions it writes. */
export const XENSEARCH_XMLNS = 'http://www.citrix.com/XenCenter/XenSearch/schema';
export const XENSEARCH_MAJOR = 2;
export const XENSEARCH_MINOR = 0;
export const XENSEARCH_DOCTYPE = '<!DOCTYPE XenSearch PUBLIC "-//XENSEARCH//DTD XENSEARCH 1//EN" "XenSearch-1.dtd">';

/** ObjectTypes' single-bit members in the enum's order (what QueryScope writes, one element each). */
export const OBJECT_TYPES = ['Pool', 'Server', 'DisconnectedServer', 'VM', 'Snapshot', 'UserTemplate', 'DefaultTemplate', 'RemoteSR', 'LocalSR', 'VDI', 'Network', 'Folder', 'Appliance', 'DockerContainer'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

/** ObjectTypes.AllExcFolders: a scope holding all of these restricts nothing. */
export const ALL_EXC_FOLDERS: readonly ObjectType[] = ['Pool', 'Server', 'DisconnectedServer', 'VM', 'Snapshot', 'UserTemplate', 'DefaultTemplate', 'RemoteSR', 'LocalSR', 'VDI', 'Network'];

/** The Polyvisor node kind of each XenCenter type (null: no such object in Polyvisor's views). */
export const KIND_OF_TYPE: Record<ObjectType, string | null> = {
  Pool: 'pool',
  Server: 'host',
  DisconnectedServer: 'host',
  VM: 'vm',
  Snapshot: 'snapshot',
  UserTemplate: 'template',
  DefaultTemplate: 'template',
  RemoteSR: 'storage',
  LocalSR: 'storage',
  VDI: null,
  Network: 'network',
  Folder: null,
  Appliance: null,
  DockerContainer: 'container',
};

/** XenCenter types that share one Polyvisor kind: either alone is read as the kind (more broadly). */
export const PAIRED_TYPES: ReadonlyArray<readonly [ObjectType, ObjectType]> = [
  ['UserTemplate', 'DefaultTemplate'],
  ['RemoteSR', 'LocalSR'],
];

/** The XenCenter types a Polyvisor kind is written as. */
export function typesOfKind(kind: string): ObjectType[] {
  return OBJECT_TYPES.filter((t) => KIND_OF_TYPE[t] === kind);
}

export function isObjectType(name: string): name is ObjectType {
  return (OBJECT_TYPES as readonly string[]).includes(name);
}

/** XenAPI vm_power_state as XenCenter writes it ↔ Polyvisor's state. */
export const POWER_STATES: Record<string, string> = { Halted: 'halted', Paused: 'paused', Running: 'running', Suspended: 'suspended', unknown: 'unknown' };

/** StringPropertyQuery properties ↔ Polyvisor text fields. */
export const TEXT_PROPERTIES: Record<string, 'name' | 'description' | 'uuid' | 'os'> = { label: 'name', description: 'description', uuid: 'uuid', os_name: 'os' };

/** IntPropertyQuery properties ↔ Polyvisor size fields (XenCenter's size: the disks' size in bytes). */
export const SIZE_PROPERTIES: Record<string, 'memory' | 'disk'> = { memory: 'memory', size: 'disk' };

/** Polyvisor fields whose plain `field:value` compares whole values (shared/search FIELDS' exact). */
export const EXACT_FIELDS = new Set(['type', 'state', 'tag', 'uuid']);
