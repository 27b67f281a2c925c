// Property-based tests of everything the vSphere provider reads from a server:
// the SOAP envelope reader, faults, the ServiceContent, update sets (and the
// inventory mapped from them, snapshot trees included), task infos and the API
// versions document. Whatever arrives — arbitrary text, real answers recorded
// from vcsim and then cut, spliced and garbled, or random documents built from
// vim25's own element names — gives a value or a PolyvisorError, never an
// exception of another kind.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPolyvisorError } from '../../shared/errors';
import type { HttpResponse } from '../../electron/core/providers/vsphere/http';
import { InventoryModel } from '../../electron/core/providers/vsphere/inventory-model';
import { knownPaths } from '../../electron/core/providers/vsphere/inventory-session';
import { readObjectContent, readUpdateSet } from '../../electron/core/providers/vsphere/property-collector';
import { readAdvertisedVersion, readServiceContent, readSoapReturn } from '../../electron/core/providers/vsphere/soap-answer';
import { readTaskInfo } from '../../electron/core/providers/vsphere/tasks';
import { children } from '../../electron/core/providers/vsphere/xml';
import { INITIAL_UPDATE_SET, LOGIN_FAULT, SERVICE_CONTENT, TASK_INFO } from '../integration/vsphere/recorded-answers';

type Method = 'RetrieveServiceContent' | 'Login' | 'WaitForUpdatesEx' | 'RetrievePropertiesEx';

/** Reads an answer the way the provider does, down to the normalized nodes. */
function readAnswer(method: Method, res: HttpResponse): unknown {
  const node = readSoapReturn(method, res);
  if (node === undefined) return null;
  switch (method) {
    case 'RetrieveServiceContent':
      return readServiceContent(node);
    case 'WaitForUpdatesEx': {
      const model = new InventoryModel('srv', false);
      model.applyUpdates(readUpdateSet(node, '').updates, knownPaths);
      const standalone = new InventoryModel('srv', true);
      standalone.applyUpdates(readUpdateSet(node, '').updates, knownPaths);
      return [model.nodes(), standalone.nodes()];
    }
    case 'RetrievePropertiesEx':
      return children(node, 'objects').map((o) => readTaskInfo(readObjectContent(o).props.get('info'), 'a task'));
    default:
      return node;
  }
}

/** A value, or a typed error that is not INTERNAL: never a TypeError, RangeError, … */
function valueOrTypedError(read: () => unknown): void {
  try {
    read();
  } catch (err) {
    if (!isPolyvisorError(err)) throw new Error(`not a PolyvisorError: ${String(err)}`, { cause: err });
    expect(err.code).not.toBe('INTERNAL');
  }
}

const response = (body: string, status = 200): HttpResponse => ({ status, headers: { 'content-type': 'text/xml; charset=utf-8' }, body });

const RECORDED: Array<[Method, string]> = [
  ['RetrieveServiceContent', SERVICE_CONTENT],
  ['Login', LOGIN_FAULT],
  ['WaitForUpdatesEx', INITIAL_UPDATE_SET],
  ['RetrievePropertiesEx', TASK_INFO],
];

/** XML-ish pieces a mutation splices in. */
const FRAGMENTS = [
  '<',
  '>',
  '</val>',
  '<val>',
  '<val xsi:type="ArrayOfString"><string>a</string><string>b</string></val>',
  '<changeSet><name>snapshot</name><op>assign</op><val><rootSnapshotList/></val></changeSet>',
  '<obj type="VirtualMachine">vm-1</obj>',
  '<obj/>',
  '<kind>leave</kind>',
  '<kind>bogus</kind>',
  '<truncated>true</truncated>',
  '&#x0;',
  '&#xFFFFFFF;',
  '&amp;&lt;',
  '&unknown;',
  '<![CDATA[x]]>',
  '<!DOCTYPE x [<!ENTITY a "aaaaaaaa">]>',
  '<?pi x?>',
  '<!-- c -->',
  ' xsi:type="VirtualMachineSnapshotInfo"',
  '<childSnapshotList><snapshot type="VirtualMachineSnapshot">s-9</snapshot></childSnapshotList>',
];

type Mutation =
  | { op: 'cut'; at: number }
  | { op: 'delete'; at: number; length: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'duplicate'; at: number; length: number }
  | { op: 'rename'; from: string; to: string }
  /** removes the n-th whole `<tag …>…</tag>` (the document stays well-formed where the tag does not nest) */
  | { op: 'drop'; tag: string; nth: number }
  /** replaces the text of the n-th leaf `<tag>text</tag>` */
  | { op: 'retext'; tag: string; nth: number; text: string };

const TAGS = ['val', 'obj', 'name', 'kind', 'changeSet', 'objectSet', 'filterSet', 'returnval', 'rootSnapshotList', 'childSnapshotList', 'snapshot', 'state', 'fault', 'about', 'propSet', 'objects'];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 20 })) }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ op: fc.constant('rename' as const), from: fc.constantFrom(...TAGS), to: fc.constantFrom(...TAGS) }),
  fc.record({ op: fc.constant('drop' as const), tag: fc.constantFrom(...TAGS), nth: fc.nat({ max: 20 }) }),
  fc.record({ op: fc.constant('retext' as const), tag: fc.constantFrom(...TAGS, 'createTime', 'progress', 'apiType', 'version'), nth: fc.nat({ max: 20 }), text: fc.string({ maxLength: 12 }).map((t) => t.replace(/[<&]/g, '')) }),
);

/** Index of the n-th (modulo the count) match of `re` in `text`, or null. */
function nthMatch(text: string, re: RegExp, nth: number): RegExpExecArray | null {
  const all = [...text.matchAll(re)];
  return all.length ? (all[nth % all.length] as RegExpExecArray) : null;
}

function mutate(text: string, m: Mutation): string {
  const at = 'at' in m ? m.at % (text.length + 1) : 0;
  switch (m.op) {
    case 'cut':
      return text.slice(0, at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'duplicate':
      return text.slice(0, at + m.length) + text.slice(at);
    case 'rename':
      return text.replaceAll(`<${m.from}>`, `<${m.to}>`).replaceAll(`</${m.from}>`, `</${m.to}>`);
    case 'drop': {
      const hit = nthMatch(text, new RegExp(`<${m.tag}(\\s[^>]*)?>[\\s\\S]*?</${m.tag}>|<${m.tag}(\\s[^>]*)?/>`, 'g'), m.nth);
      return hit ? text.slice(0, hit.index) + text.slice(hit.index + hit[0].length) : text;
    }
    case 'retext': {
      const hit = nthMatch(text, new RegExp(`(<${m.tag}(?:\\s[^>]*)?>)[^<]*(</${m.tag}>)`, 'g'), m.nth);
      return hit ? text.slice(0, hit.index) + hit[1] + m.text + hit[2] + text.slice(hit.index + hit[0].length) : text;
    }
  }
}

/** Random well-formed documents made of vim25's own names, so shapes get confused rather than rejected. */
const element: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ maxLength: 12 }).map((t) => t.replace(/[<&]/g, '')),
    fc
      .record({
        tag: fc.constantFrom(...TAGS, 'currentSnapshot', 'createTime', 'quiesced', 'description', 'version', 'op', 'info', 'progress', 'cancelable', 'result', 'error', 'localizedMessage'),
        type: fc.option(fc.constantFrom('VirtualMachine', 'HostSystem', 'Datacenter', 'Folder', 'VirtualMachineSnapshot', 'Task', ''), { nil: undefined }),
        xsi: fc.option(fc.constantFrom('ManagedObjectReference', 'ArrayOfManagedObjectReference', 'VirtualMachineSnapshotInfo', 'InvalidLogin', 'xsd:int'), { nil: undefined }),
        kids: fc.array(tie('node'), { maxLength: 4 }),
      })
      .map(({ tag, type, xsi, kids }) => `<${tag}${type !== undefined ? ` type="${type}"` : ''}${xsi ? ` xsi:type="${xsi}"` : ''}>${kids.join('')}</${tag}>`),
  ),
})).node;

const envelope = (method: string, inner: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><${method}Response xmlns="urn:vim25"><returnval>${inner}</returnval></${method}Response></soapenv:Body></soapenv:Envelope>`;

describe('vSphere answer readers (property-based)', () => {
  it('read the recorded answers as they are', () => {
    expect(readAnswer('RetrieveServiceContent', response(SERVICE_CONTENT))).toMatchObject({ about: { apiType: 'HostAgent' } });
    expect(() => readAnswer('Login', response(LOGIN_FAULT, 500))).toThrow(expect.objectContaining({ code: 'AUTH_FAILED' }));
    const [nodes] = readAnswer('WaitForUpdatesEx', response(INITIAL_UPDATE_SET)) as Array<Array<{ kind: string; name: string }>>;
    expect(nodes.filter((n) => n.kind === 'snapshot').map((n) => n.name)).toEqual(['s1', 's2']);
    expect(readAnswer('RetrievePropertiesEx', response(TASK_INFO))).toEqual([expect.objectContaining({ state: 'error' })]);
  });

  it('arbitrary text, any status: a value or a typed error', () => {
    fc.assert(
      fc.property(fc.constantFrom<Method>('RetrieveServiceContent', 'Login', 'WaitForUpdatesEx', 'RetrievePropertiesEx'), fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom(200, 302, 404, 500), (method, body, status) => {
        valueOrTypedError(() => readAnswer(method, response(body, status)));
        expect(() => readAdvertisedVersion(body)).not.toThrow();
      }),
      { numRuns: 400 },
    );
  });

  it('recorded answers cut, spliced and garbled: a value or a typed error', () => {
    fc.assert(
      fc.property(fc.constantFrom(...RECORDED), fc.array(mutation, { minLength: 1, maxLength: 4 }), ([method, recorded], mutations) => {
        const body = mutations.reduce(mutate, recorded);
        valueOrTypedError(() => readAnswer(method, response(body)));
        valueOrTypedError(() => readAnswer(method, response(body, 500)));
      }),
      { numRuns: 600 },
    );
  });

  it('random documents of vim25 names in every answer: a value or a typed error', () => {
    fc.assert(
      fc.property(fc.constantFrom<Method>('RetrieveServiceContent', 'WaitForUpdatesEx', 'RetrievePropertiesEx'), fc.array(element, { maxLength: 5 }), (method, parts) => {
        valueOrTypedError(() => readAnswer(method, response(envelope(method, parts.join('')))));
      }),
      { numRuns: 400 },
    );
  });

  it('update sets with random values under the properties the inventory reads: a value or a typed error', () => {
    const change = fc.record({ name: fc.constantFrom(...(knownPaths('VirtualMachine') ?? []), ...(knownPaths('HostSystem') ?? []), 'bogus'), val: fc.option(element, { nil: undefined }), op: fc.constantFrom('assign', 'remove', 'add', 'x') });
    const objectSet = fc.record({
      kind: fc.option(fc.constantFrom('enter', 'modify', 'leave', ''), { nil: undefined }),
      type: fc.constantFrom('VirtualMachine', 'HostSystem', 'Datacenter', 'ClusterComputeResource', 'Folder', ''),
      value: fc.constantFrom('vm-1', 'vm-2', 'host-1', 'dc-1', 'group-1'),
      changes: fc.array(change, { maxLength: 6 }),
    });
    fc.assert(
      fc.property(fc.array(objectSet, { maxLength: 8 }), (sets) => {
        const inner =
          '<version>1</version><filterSet><filter type="PropertyFilter">f</filter>' +
          sets
            .map(
              (s) =>
                `<objectSet>${s.kind === undefined ? '' : `<kind>${s.kind}</kind>`}<obj type="${s.type}">${s.value}</obj>` +
                s.changes.map((c) => `<changeSet><name>${c.name}</name><op>${c.op}</op>${c.val === undefined ? '' : `<val>${c.val}</val>`}</changeSet>`).join('') +
                '</objectSet>',
            )
            .join('') +
          '</filterSet>';
        valueOrTypedError(() => readAnswer('WaitForUpdatesEx', response(envelope('WaitForUpdatesEx', inner))));
      }),
      { numRuns: 400 },
    );
  });
});
