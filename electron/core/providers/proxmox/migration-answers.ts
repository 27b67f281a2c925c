// Readers for the answers migration and node maintenance use: the precondition
// answer of GET …/migrate (qemu and lxc spell the node lists differently), the HA
// manager's status and a node's notes. Same rules as answers.ts: checked shapes,
// wrong optional fields dropped.

import { PolyvisorError } from '../../../../shared/errors';
import { requireObject, requireObjects, str } from './answers';

export interface MigratePrecondition {
  running: boolean;
  /** volids of disks on storage that is not shared */
  localDisks: string[];
  /** host devices passed through (hostpci0, usb0, …) */
  localResources: string[];
  /** only for a stopped VM: the nodes it can move to */
  allowedNodes?: string[];
  /** per node: why not (PVE's keys kept: unavailable_storages, unavailable-resources, blocking-ha-resources) */
  notAllowed: Record<string, Record<string, string[]>>;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.flatMap((x) => (typeof x === 'string' ? [x] : [])) : []);

function reasonsOf(v: unknown): Record<string, string[]> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
    // blocking-ha-resources are objects {sid, cause}: the sid names the resource
    const items = Array.isArray(value) ? value.flatMap((x) => (typeof x === 'string' ? [x] : x && typeof x === 'object' && typeof (x as { sid?: unknown }).sid === 'string' ? [String((x as { sid: string }).sid)] : [])) : [];
    if (items.length) out[key] = items;
  }
  return out;
}

/** GET /nodes/{node}/{qemu|lxc}/{vmid}/migrate */
export function readMigratePrecondition(data: unknown, where: string): MigratePrecondition {
  const o = requireObject(data, where);
  const allowed = o.allowed_nodes ?? o['allowed-nodes'];
  const notAllowedRaw = o.not_allowed_nodes ?? o['not-allowed-nodes'];
  const notAllowed: MigratePrecondition['notAllowed'] = {};
  if (notAllowedRaw && typeof notAllowedRaw === 'object' && !Array.isArray(notAllowedRaw)) {
    for (const [node, reasons] of Object.entries(notAllowedRaw as Record<string, unknown>)) {
      const r = reasonsOf(reasons);
      if (Object.keys(r).length) notAllowed[node] = r;
    }
  }
  const disks = Array.isArray(o.local_disks) ? o.local_disks : [];
  return {
    running: o.running === 1 || o.running === true,
    localDisks: disks.flatMap((d) => (d && typeof d === 'object' && typeof (d as { volid?: unknown }).volid === 'string' ? [(d as { volid: string }).volid] : [])),
    localResources: strings(o.local_resources),
    ...(Array.isArray(allowed) ? { allowedNodes: strings(allowed) } : {}),
    notAllowed,
  };
}

/** GET /cluster/ha/status/current: the nodes whose LRM says "maintenance mode" (ha-manager crm-command node-maintenance). */
export function readHaMaintenance(data: unknown, where: string): Set<string> {
  const out = new Set<string>();
  for (const e of requireObjects(data, where)) {
    const node = str(e.node);
    if (e.type === 'lrm' && node && str(e.status) === 'maintenance mode') out.add(node);
  }
  return out;
}

/** GET /nodes/{node}/config: the node's notes, whether it has a wake-on-LAN MAC, and the digest a change must name. */
export function readNodeNotes(data: unknown, where: string): { description: string; digest?: string; wakeOnLan: boolean } {
  const o = requireObject(data, where);
  return { description: str(o.description) ?? '', digest: str(o.digest), wakeOnLan: /(?:^|,)(?:mac=)?[0-9a-f]{2}(?::[0-9a-f]{2}){5}(?:,|$)/i.test(str(o.wakeonlan) ?? '') };
}

/** POST /nodes/{node}/wakeonlan: the MAC the magic packet went to. */
export function readMac(data: unknown, where: string): string {
  const mac = str(data);
  if (!mac) throw new PolyvisorError({ code: 'SERVER_ERROR', message: `${where}: the answer is not a MAC address.`, serverCode: 'BAD_ANSWER' });
  return mac;
}

/** GET …/tasks/{upid}/log: the lines' text, in order. */
export function readTaskLogLines(data: unknown, where: string): string[] {
  return requireObjects(data, where).flatMap((e) => (typeof e.t === 'string' ? [e.t] : []));
}
