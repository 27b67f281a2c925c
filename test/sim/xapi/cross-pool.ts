// Cross-pool storage migration between two simulators, the way xapi does it: the
// destination's host.migrate_receive hands out a map with its master's address and
// a session made for the move; the source checks against the destination over the
// API with that session (host record, free memory, SRs, networks), then sends the
// VM's metadata to the destination's PUT /import_metadata?session_id=… (xapi's
// handler of the same name; the body here is JSON, not xapi's XML archive), which
// creates the VM, its snapshots, disks on the mapped SRs and VIFs on the mapped
// networks. The disks' content is not modelled.
import https from 'node:https';
import http from 'node:http';
import type { SimCore } from './core';
import type { XapiRecord } from './database';
import { XapiFailure } from './failure';
import { NULL_REF } from './model';

/** What the destination's host.migrate_receive answers (xapi's keys). */
export interface DestMap {
  SM: string;
  host: string;
  xenops: string;
  session_id: string;
  master: string;
}

/** One VM (or snapshot) as sent: its record, its disks' drives, its VIFs. */
export interface ExportedVm {
  ref: string;
  record: XapiRecord;
  /** the memory image of a suspended VM or a checkpoint */
  suspendVdi?: { ref: string; record: XapiRecord };
  vbds: Array<{ record: XapiRecord; vdi?: { ref: string; record: XapiRecord } }>;
  vifs: Array<{ ref: string; record: XapiRecord }>;
}

export interface ImportRequest {
  host: string;
  /** the VM first, then its snapshots */
  vms: ExportedVm[];
  /** source VDI ref → destination SR ref */
  vdiMap: Record<string, string>;
  /** source VIF ref → destination network ref */
  vifMap: Record<string, string>;
}

export function isDestMap(dest: Record<string, string>): dest is Record<string, string> & DestMap {
  return typeof dest.master === 'string' && typeof dest.session_id === 'string' && typeof dest.host === 'string';
}

/** A call on the destination pool with the session of the dest map. */
export function remoteCall(dest: DestMap, method: string, ...args: unknown[]): Promise<unknown> {
  return jsonRpcAt(dest.master, dest.host, method, [dest.session_id, ...args]);
}

/** A JSON-RPC call on another simulator at `base` (its failures thrown as they came; `host` names it when it cannot be reached). */
export async function jsonRpcAt(base: string, host: string, method: string, params: unknown[]): Promise<unknown> {
  const answer = JSON.parse(await post(base, host, 'POST', '/jsonrpc', JSON.stringify({ jsonrpc: '2.0', method, params, id: 1 }))) as {
    result?: unknown;
    error?: { message: string; data?: string[] };
  };
  if (answer.error) throw new XapiFailure(answer.error.message, ...(answer.error.data ?? []));
  return answer.result;
}

export function remoteImport(dest: DestMap, request: ImportRequest): Promise<string> {
  return putJsonAt(dest.master, dest.host, `/import_metadata?session_id=${encodeURIComponent(dest.session_id)}`, request).then((answer) => (answer as { vm: string }).vm);
}

/** One of the simulator's JSON handlers on another simulator; an `error` in the answer is thrown as the failure it names. */
export async function putJsonAt(base: string, host: string, path: string, request: unknown): Promise<unknown> {
  const answer = JSON.parse(await post(base, host, 'PUT', path, JSON.stringify(request))) as { error?: string[] };
  if (answer.error) throw new XapiFailure(answer.error[0] ?? 'INTERNAL_ERROR', ...answer.error.slice(1));
  return answer;
}

function post(base: string, host: string, method: string, path: string, body: string): Promise<string> {
  const url = new URL(path, base);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method,
        // simulator to simulator: the destination's certificate is self-signed, as real pools' are
        rejectUnauthorized: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
      },
    );
    req.on('error', (e) => reject(new XapiFailure('CANNOT_CONTACT_HOST', host, e.message)));
    req.end(body);
  });
}

/** The VM and its snapshots with their drives and VIFs, as the destination needs them. */
export function exportVm(core: SimCore, vmRef: string): ExportedVm[] {
  const one = (ref: string): ExportedVm => {
    const record = core.db.get('VM', ref)!;
    const vbds = (record.VBDs as string[]).flatMap((vbd) => {
      const r = core.db.get('VBD', vbd);
      if (!r) return [];
      const vdi = r.VDI as string;
      // a CD stays where it is: the destination gets an empty drive
      const vdiRecord = vdi !== NULL_REF && r.type !== 'CD' ? core.db.get('VDI', vdi) : undefined;
      return [{ record: structuredClone(r), ...(vdiRecord ? { vdi: { ref: vdi, record: structuredClone(vdiRecord) } } : {}) }];
    });
    const vifs = (record.VIFs as string[]).flatMap((vif) => (core.db.get('VIF', vif) ? [{ ref: vif, record: structuredClone(core.db.get('VIF', vif)!) }] : []));
    const suspend = record.suspend_VDI as string;
    const suspendRecord = suspend !== NULL_REF ? core.db.get('VDI', suspend) : undefined;
    return { ref, record: structuredClone(record), vbds, vifs, ...(suspendRecord ? { suspendVdi: { ref: suspend, record: structuredClone(suspendRecord) } } : {}) };
  };
  const snapshots = (core.db.get('VM', vmRef)!.snapshots as string[]).filter((s) => core.db.get('VM', s));
  return [one(vmRef), ...snapshots.map(one)];
}

/**
 * The destination side of /import_metadata: new records for every VM, disk and VIF
 * (references local to the source pool are dropped, the ones between the sent
 * objects are translated). Returns the new VM.
 */
export function importVms(core: SimCore, request: ImportRequest, onCreated: (vm: string) => void): string {
  const host = core.db.get('host', request.host);
  if (!host) throw new XapiFailure('HANDLE_INVALID', 'host', request.host);
  const defaultSr = (core.db.records('pool').values().next().value as XapiRecord | undefined)?.default_SR as string | undefined;
  const newVm = new Map<string, string>();
  const newVdi = new Map<string, string>();
  const [main] = request.vms;
  const srFor = (vdiRef: string, record: XapiRecord): string => {
    const mapped = request.vdiMap[vdiRef] ?? request.vdiMap[record.snapshot_of as string];
    const sr = mapped ?? defaultSr;
    if (!sr || !core.db.get('SR', sr)) throw new XapiFailure('HANDLE_INVALID', 'SR', String(sr ?? NULL_REF));
    return sr;
  };
  const networkByDevice = new Map(main!.vifs.map((v) => [v.record.device as string, request.vifMap[v.ref]]));
  // the VM first, so snapshots can point at it
  for (const exported of request.vms) {
    const fields = localFields(core, 'VM', exported.record);
    const isMain = exported === main;
    const live = isMain && ['Running', 'Paused'].includes(exported.record.power_state as string);
    fields.resident_on = live ? request.host : NULL_REF;
    fields.snapshot_of = isMain ? NULL_REF : (newVm.get(exported.record.snapshot_of as string) ?? NULL_REF);
    fields.metrics = core.db.add('VM_metrics', { memory_actual: live ? exported.record.memory_static_max : 0, last_updated: core.now() });
    fields.domid = live ? core.nextDomid() : -1;
    newVm.set(exported.ref, core.db.add('VM', fields));
  }
  for (const exported of request.vms) {
    const vm = newVm.get(exported.ref)!;
    const parent = exported.record.parent as string;
    if (newVm.has(parent)) core.db.set('VM', vm, 'parent', newVm.get(parent));
    for (const { record, vdi } of exported.vbds) {
      let vdiRef = NULL_REF;
      if (vdi) {
        vdiRef = newVdi.get(vdi.ref) ?? core.db.add('VDI', { ...localFields(core, 'VDI', vdi.record), SR: srFor(vdi.ref, vdi.record), snapshot_of: newVdi.get(vdi.record.snapshot_of as string) ?? NULL_REF });
        newVdi.set(vdi.ref, vdiRef);
      }
      core.db.add('VBD', { ...localFields(core, 'VBD', record), VM: vm, VDI: vdiRef, empty: vdiRef === NULL_REF });
    }
    for (const vif of exported.vifs) {
      // a snapshot's VIF follows the VM's VIF on the same device (xapi maps the VM's only)
      const network = request.vifMap[vif.ref] ?? networkByDevice.get(vif.record.device as string);
      if (!network || !core.db.get('network', network)) throw new XapiFailure('HANDLE_INVALID', 'network', String(network ?? NULL_REF));
      core.db.add('VIF', { ...localFields(core, 'VIF', vif.record), VM: vm, network });
    }
    if (exported.suspendVdi) {
      const { ref, record } = exported.suspendVdi;
      const diskSr = exported.vbds.find((b) => b.vdi)?.vdi;
      const sr = diskSr ? srFor(diskSr.ref, diskSr.record) : srFor(ref, record);
      core.db.set('VM', vm, 'suspend_VDI', core.db.add('VDI', { ...localFields(core, 'VDI', record), SR: sr }));
    }
    onCreated(vm);
  }
  return newVm.get(main!.ref)!;
}

/** A record's fields without the references into the pool it came from (sets emptied, refs nulled, a new uuid). */
function localFields(core: SimCore, cls: string, record: XapiRecord): XapiRecord {
  const out: XapiRecord = {};
  for (const f of core.model.cls(cls).fields) {
    const value = record[f.name];
    if (value === undefined) continue;
    if (f.typeText.endsWith(' ref')) out[f.name] = NULL_REF;
    else if (f.typeText.endsWith(' ref set')) out[f.name] = [];
    else if (f.typeText.includes(' ref') && f.type.kind === 'map') out[f.name] = {};
    else out[f.name] = structuredClone(value);
  }
  // a VM keeps its identity across pools; its disks and devices are new objects
  if (cls !== 'VM') out.uuid = '';
  out.current_operations = {};
  return out;
}

/** xapi's PUT /import_metadata on the destination, for the session the dest map carries. */
export function importMetadataHandler(core: SimCore, created: (vm: string) => void): (query: URLSearchParams, body: string) => { vm: string } {
  return (query, body) => {
    const session = query.get('session_id') ?? '';
    if (!core.db.get('session', session)) throw new XapiFailure('SESSION_INVALID', session);
    return { vm: importVms(core, JSON.parse(body) as ImportRequest, created) };
  };
}
