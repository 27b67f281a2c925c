// PropertyCollector requests and results: filter specs with traversal specs,
// RetrievePropertiesEx of one object, CreateFilter and WaitForUpdatesEx (paged
// with maxObjectUpdates), read into plain objects.

import { PolyvisorError } from '../../../../shared/errors';
import { faultError, readLocalizedFault } from './faults';
import type { VimClient, CallOptions } from './vim-client';
import {
  child,
  childText,
  children,
  el,
  moRef,
  readBool,
  readMoRef,
  type ManagedObjectReference,
  type Xml,
  type XmlNode,
} from './xml';

export interface TraversalSpec {
  name: string;
  type: string;
  path: string;
  /** names of traversal specs to follow from the objects reached */
  selectSet: string[];
}

export interface FilterSpec {
  /** managed object type → property paths */
  propSet: Record<string, string[]>;
  /** starting object; the traversal specs reach the rest */
  root: ManagedObjectReference;
  /** all traversal specs, declared on the root's object spec (each applies to objects of its type) */
  traversal: TraversalSpec[];
}

/** A property path → its raw value (absent when unset). */
export type PropertyValues = Map<string, XmlNode>;

export interface ObjectContent {
  obj: ManagedObjectReference;
  props: PropertyValues;
}

export interface PropertyChange {
  name: string;
  op: 'add' | 'remove' | 'assign' | 'indirectRemove';
  val?: XmlNode;
}

export interface ObjectUpdate {
  kind: 'enter' | 'modify' | 'leave';
  obj: ManagedObjectReference;
  changes: PropertyChange[];
}

export interface UpdateSet {
  version: string;
  truncated: boolean;
  updates: ObjectUpdate[];
}

export function filterSpecXml(name: string, spec: FilterSpec): Xml {
  const propSets = Object.entries(spec.propSet).map(([type, paths]) =>
    el('propSet', [el('type', type), el('all', false), ...paths.map((p) => el('pathSet', p))]),
  );
  const traversals = spec.traversal.map((t) =>
    el('selectSet', [el('name', t.name), el('type', t.type), el('path', t.path), el('skip', false), ...t.selectSet.map(selectionSpec)], {
      'xsi:type': 'TraversalSpec',
    }),
  );
  // Named traversal specs are declared once on the object spec and referenced by name elsewhere.
  const objectSet = el('objectSet', [moRef('obj', spec.root), el('skip', false), ...traversals]);
  return el(name, [...propSets, objectSet]);
}

function selectionSpec(name: string): Xml {
  return el('selectSet', el('name', name));
}

/** Reads RetrievePropertiesEx's objects; a missing property because the session is gone becomes NotAuthenticated. */
export function readObjectContent(node: XmlNode): ObjectContent {
  const obj = readMoRef(child(node, 'obj'));
  if (!obj) throw new PolyvisorError({ code: 'SERVER_ERROR', message: 'ObjectContent without obj', serverCode: 'BadResponse' });
  const props: PropertyValues = new Map();
  for (const p of children(node, 'propSet')) {
    const name = childText(p, 'name')?.trim();
    const val = child(p, 'val');
    if (name && val !== undefined) props.set(name, val);
  }
  throwIfSessionMissing(node);
  return { obj, props };
}

function throwIfSessionMissing(node: XmlNode): void {
  for (const missing of children(node, 'missingSet')) {
    const fault = readLocalizedFault(child(missing, 'fault') ?? '');
    if (fault.name === 'NotAuthenticated') throw faultError(fault);
  }
}

/** Properties of one object (e.g. a task's info); null when the object no longer exists. */
export async function retrieveOne(client: VimClient, obj: ManagedObjectReference, paths: string[], opts: CallOptions = {}): Promise<PropertyValues | null> {
  const pc = client.serviceContent.propertyCollector;
  const spec = el('specSet', [
    el('propSet', [el('type', obj.type), el('all', false), ...paths.map((p) => el('pathSet', p))]),
    el('objectSet', [moRef('obj', obj), el('skip', false)]),
  ]);
  return client.withSession(async () => {
    const result = await client.call('RetrievePropertiesEx', pc, [spec, el('options', '')], { ...opts, reauth: false });
    const first = children(result, 'objects')[0];
    return first ? readObjectContent(first).props : null;
  }, opts);
}

/**
 * Properties of several objects in one RetrievePropertiesEx (and its continuations);
 * `paths` by managed object type. Objects gone meanwhile are left out.
 */
export async function retrieveObjects(
  client: VimClient,
  objs: ManagedObjectReference[],
  paths: Record<string, string[]>,
  opts: CallOptions = {},
): Promise<ObjectContent[]> {
  if (!objs.length) return [];
  const pc = client.serviceContent.propertyCollector;
  const types = [...new Set(objs.map((o) => o.type))];
  const spec = el('specSet', [
    ...types.map((type) => el('propSet', [el('type', type), el('all', false), ...(paths[type] ?? ['name']).map((p) => el('pathSet', p))])),
    ...objs.map((obj) => el('objectSet', [moRef('obj', obj), el('skip', false)])),
  ]);
  return client.withSession(async () => {
    const out: ObjectContent[] = [];
    let result = await client.call('RetrievePropertiesEx', pc, [spec, el('options', '')], { ...opts, reauth: false });
    for (;;) {
      out.push(...children(result, 'objects').map(readObjectContent));
      const token = childText(result, 'token')?.trim();
      if (!token) return out;
      result = await client.call('ContinueRetrievePropertiesEx', pc, [el('token', token)], { ...opts, reauth: false });
    }
  }, opts);
}

/** `collector`: a PropertyCollector of our own (createPropertyCollector); the session's by default. */
export async function createFilter(client: VimClient, spec: FilterSpec, signal?: AbortSignal, collector?: ManagedObjectReference): Promise<ManagedObjectReference> {
  const ref = readMoRef(
    await client.call('CreateFilter', collector ?? client.serviceContent.propertyCollector, [filterSpecXml('spec', spec), el('partialUpdates', false)], {
      reauth: false,
      signal,
    }),
  );
  if (!ref) throw new PolyvisorError({ code: 'SERVER_ERROR', message: 'CreateFilter returned no filter', serverCode: 'BadResponse' });
  return ref;
}

export async function destroyFilter(client: VimClient, filter: ManagedObjectReference, signal?: AbortSignal): Promise<void> {
  await client.call('DestroyPropertyFilter', filter, [], { reauth: false, signal });
}

/**
 * A PropertyCollector of this session's own: its filters and long polls are apart from the
 * session's collector (one long poll per collector), as govmomi's property.Wait does.
 */
export async function createPropertyCollector(client: VimClient, signal?: AbortSignal): Promise<ManagedObjectReference> {
  const ref = readMoRef(await client.call('CreatePropertyCollector', client.serviceContent.propertyCollector, [], { reauth: false, signal }));
  if (!ref) throw new PolyvisorError({ code: 'SERVER_ERROR', message: 'CreatePropertyCollector returned no collector', serverCode: 'BadResponse' });
  return ref;
}

export async function destroyPropertyCollector(client: VimClient, collector: ManagedObjectReference, signal?: AbortSignal): Promise<void> {
  await client.call('DestroyPropertyCollector', collector, [], { reauth: false, signal });
}

export interface WaitOptions {
  /** how long the server may hold the call when nothing changes */
  maxWaitSeconds: number;
  /** at most this many object updates per answer (more: `truncated`, the rest comes at once on the next call) */
  maxObjectUpdates: number;
  signal?: AbortSignal;
  /** a PropertyCollector of our own (createPropertyCollector); the session's by default */
  collector?: ManagedObjectReference;
}

/**
 * One WaitForUpdatesEx long poll. Resolves null when maxWaitSeconds passed without changes.
 * Session faults are surfaced (reauth: false): the caller must recreate its filter after a new login.
 */
export async function waitForUpdates(client: VimClient, version: string, opts: WaitOptions): Promise<UpdateSet | null> {
  const result = await client.call(
    'WaitForUpdatesEx',
    opts.collector ?? client.serviceContent.propertyCollector,
    [el('version', version), el('options', [el('maxWaitSeconds', opts.maxWaitSeconds), el('maxObjectUpdates', opts.maxObjectUpdates)])],
    { signal: opts.signal, extraTimeoutMs: opts.maxWaitSeconds * 1000, reauth: false },
  );
  return result === undefined || result === '' ? null : readUpdateSet(result, version);
}

const KINDS = new Set<string>(['enter', 'modify', 'leave']);
const OPS = new Set<string>(['add', 'remove', 'assign', 'indirectRemove']);

/** Reads an UpdateSet; unknown kinds count as modify, unknown operations as assign. */
export function readUpdateSet(result: XmlNode, previousVersion: string): UpdateSet {
  const updates: ObjectUpdate[] = [];
  for (const fs of children(result, 'filterSet')) {
    for (const os of children(fs, 'objectSet')) {
      const obj = readMoRef(child(os, 'obj'));
      if (!obj) continue;
      const kind = childText(os, 'kind')?.trim() ?? '';
      const changes: PropertyChange[] = children(os, 'changeSet').map((c) => {
        const op = childText(c, 'op')?.trim() ?? '';
        return { name: childText(c, 'name')?.trim() ?? '', op: (OPS.has(op) ? op : 'assign') as PropertyChange['op'], val: child(c, 'val') };
      });
      throwIfSessionMissing(os);
      updates.push({ kind: (KINDS.has(kind) ? kind : 'modify') as ObjectUpdate['kind'], obj, changes });
    }
  }
  return {
    version: childText(result, 'version')?.trim() || previousVersion,
    truncated: readBool(child(result, 'truncated')) ?? false,
    updates,
  };
}

export async function cancelWaitForUpdates(client: VimClient, signal?: AbortSignal): Promise<void> {
  await client.call('CancelWaitForUpdates', client.serviceContent.propertyCollector, [], { reauth: false, signal });
}
