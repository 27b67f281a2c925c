// What a parse worker does with a large vim25 SOAP answer (a RetrievePropertiesEx or
// WaitForUpdatesEx over a large inventory): the bytes decoded and parsed there, the
// `returnval` (or the fault, as the same typed error) read as readSoapReturn reads it,
// and its long lists (RetrievePropertiesEx's objects, each filterSet's objectSet) sent
// back in parts, so taking the answer in never holds the core's event loop for long.

import type { ParseJobRunner } from '../../util/parse-worker-host';
import { decodeUtf8, type HttpResponse } from './http';
import { readSoapReturn } from './soap-answer';
import type { XmlNode } from './xml';

/** Items per part; an item (an object's properties) is a few kB, a VM with a long snapshot tree more. */
export const SOAP_PART_ITEMS = 250;
/** ...and characters of text in them: 200 VMs with a 600 kB snapshot description each came back as one 120 MB part, taken in by the event loop in one turn */
export const SOAP_PART_CHARS = 4 * 1024 * 1024;

export interface SoapJobInit {
  method: string;
  /** names the server in errors, as http.ts does */
  where: string;
  status: number;
  headers: HttpResponse['headers'];
}

/** A list taken out of the returnval: where it was (keys and indexes from the returnval) and a run of its items. */
export interface SoapPart {
  path: Array<string | number>;
  items: XmlNode[];
}

/** The returnval with its long lists emptied (the parts refill them, in order). */
export interface SoapJobResult {
  value: XmlNode | undefined;
}

/** Lists that may run to an inventory's length, by the element that holds them. */
const LONG_LISTS: Record<string, string[]> = { returnval: ['objects', 'filterSet'], filterSet: ['objectSet'] };

export function soapJob(init: SoapJobInit): ParseJobRunner {
  const chunks: Buffer[] = [];
  return {
    push: (bytes) => chunks.push(bytes),
    finish(emit): SoapJobResult {
      const body = decodeUtf8(Buffer.concat(chunks), init.where);
      chunks.length = 0;
      const value = readSoapReturn(init.method, { status: init.status, headers: init.headers, body });
      splitLists(value, 'returnval', [], (part) => emit(part));
      return { value };
    },
  };
}

function splitLists(node: XmlNode | undefined, name: string, path: Array<string | number>, emit: (part: SoapPart) => void): void {
  if (!node || typeof node === 'string') return;
  for (const key of LONG_LISTS[name] ?? []) {
    const list = node[key];
    if (!Array.isArray(list)) {
      if (list && typeof list === 'object') splitLists(list, key, [...path, key], emit);
      continue;
    }
    if (LONG_LISTS[key]) {
      list.forEach((item, i) => splitLists(item, key, [...path, key, i], emit));
      continue;
    }
    node[key] = [];
    let items: XmlNode[] = [];
    let chars = 0;
    for (const item of list) {
      items.push(item);
      chars += textLength(item);
      if (items.length < SOAP_PART_ITEMS && chars < SOAP_PART_CHARS) continue;
      emit({ path: [...path, key], items });
      items = [];
      chars = 0;
    }
    if (items.length) emit({ path: [...path, key], items });
  }
}

/** Characters of text (names, values, attributes) in a parsed element. */
function textLength(node: XmlNode | XmlNode[] | undefined): number {
  if (node === undefined) return 0;
  if (typeof node === 'string') return node.length;
  let n = 0;
  if (Array.isArray(node)) for (const item of node) n += textLength(item);
  else for (const key in node) n += key.length + textLength(node[key]);
  return n;
}

/** Puts a part's items back where the worker took them from (on the event loop, part by part). */
export function refill(value: XmlNode | undefined, part: SoapPart): void {
  let node: unknown = value;
  for (const step of part.path.slice(0, -1)) node = (node as Record<string | number, unknown>)[step];
  const list = (node as Record<string, XmlNode[]>)[part.path[part.path.length - 1] as string];
  for (const item of part.items) list.push(item);
}

export const VIM_SOAP_JOB = (init: unknown) => soapJob(init as SoapJobInit);
