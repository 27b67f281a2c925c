// XML for vim25 SOAP: escaping and a tiny element builder for requests, and a
// parser setup for responses that keeps xsi:type apart from a
// ManagedObjectReference's own `type` attribute and decodes numeric character
// references (Go and VMware both emit &#xA; for newlines).

import { XMLParser, XMLValidator } from 'fast-xml-parser';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for element content and attribute values; drops characters XML 1.0 cannot carry. */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

/** A request fragment: already-serialized XML. */
export type Xml = { readonly xml: string };

export interface ManagedObjectReference {
  type: string;
  value: string;
}

/** Builds `<name attrs>children</name>`; strings are escaped, Xml fragments inserted as they are. */
export function el(name: string, children?: Array<Xml | string | number | boolean | null | undefined> | Xml | string | number | boolean | null, attrs?: Record<string, string>): Xml {
  const list = Array.isArray(children) ? children : children === undefined || children === null ? [] : [children];
  const attrText = attrs ? Object.entries(attrs).map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('') : '';
  const body = list
    .filter((c) => c !== undefined && c !== null)
    .map((c) => (typeof c === 'object' ? (c as Xml).xml : escapeXml(String(c))))
    .join('');
  return { xml: `<${name}${attrText}>${body}</${name}>` };
}

/** An optional element: nothing when the value is undefined. */
export function opt(name: string, value: string | number | boolean | undefined): Xml | undefined {
  return value === undefined ? undefined : el(name, value);
}

export function moRef(name: string, ref: ManagedObjectReference): Xml {
  return el(name, ref.value, { type: ref.type });
}

export const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
export const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

export function envelope(method: string, body: Array<Xml | undefined>): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_ENV}" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="${XSI}">` +
    `<soapenv:Body><${method} xmlns="urn:vim25">` +
    body.filter((b): b is Xml => b !== undefined).map((b) => b.xml).join('') +
    `</${method}></soapenv:Body></soapenv:Envelope>`
  );
}

// ---- parsing ----

/** A parsed element: a string for a leaf without attributes, otherwise an object of children and `@_` attributes. */
export type XmlNode = string | { [key: string]: XmlNode | XmlNode[] | string | undefined };

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (match, entity: string) => {
    if (entity[0] !== '#') return NAMED_ENTITIES[entity] ?? match;
    const code = entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : match;
  });
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  entityDecoder: {
    decode: decodeEntities,
    setExternalEntities() {},
    addInputEntities() {},
    reset() {},
    setXmlVersion() {},
  },
  // Element names lose their namespace prefix (soapenv:Body → Body); xsi:type becomes @_xsiType
  // so it never collides with the `type` attribute of a ManagedObjectReference.
  transformTagName: (name) => name.replace(/^[^:]+:/, ''),
  transformAttributeName: (name) => (name.endsWith(':type') ? '@_xsiType' : name),
  // vSphere keeps snapshot chains to 32 (each a level deeper in rootSnapshotList): nothing it
  // sends nests past ~100; deeper documents fail to parse instead of exhausting the stack
  maxNestedTags: 256,
  // no callback reads the tag path: without this the parser builds its string for every
  // tag, attribute and text (a third of the parse time of an update set, issue 17)
  jPath: false,
});

/** Parses a well-formed document; throws (a plain Error saying where) on anything else, e.g. a cut or garbled answer. */
export function parseXml(text: string): Record<string, XmlNode> {
  // the parser alone is lenient: an unclosed or mismatched tag would quietly lose what follows it
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`${valid.err.msg} (line ${valid.err.line})`);
  return parser.parse(text) as Record<string, XmlNode>;
}

// ---- reading parsed nodes ----

export function asArray<T>(value: T | T[] | undefined | null): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  if (!node || typeof node === 'string') return undefined;
  const v = node[name];
  return Array.isArray(v) ? v[0] : (v as XmlNode | undefined);
}

export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  if (!node || typeof node === 'string') return [];
  return asArray(node[name] as XmlNode | XmlNode[] | undefined);
}

export function text(node: XmlNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node === 'string') return node;
  const t = node['#text'];
  return typeof t === 'string' ? t : Array.isArray(t) ? t.join('') : '';
}

export function childText(node: XmlNode | undefined, name: string): string | undefined {
  return text(child(node, name));
}

export function xsiType(node: XmlNode | undefined): string | undefined {
  if (!node || typeof node === 'string') return undefined;
  const t = node['@_xsiType'];
  return typeof t === 'string' ? t.replace(/^[^:]+:/, '') : undefined;
}

export function readMoRef(node: XmlNode | undefined): ManagedObjectReference | null {
  if (!node || typeof node === 'string') return null;
  const type = node['@_type'];
  const value = text(node);
  return typeof type === 'string' && value ? { type, value: value.trim() } : null;
}

/** A value typed ArrayOfManagedObjectReference (or a repeated moref element). */
export function readMoRefArray(node: XmlNode | undefined): ManagedObjectReference[] {
  if (!node || typeof node === 'string') return [];
  const inner = node['ManagedObjectReference'];
  const items = inner !== undefined ? asArray(inner as XmlNode | XmlNode[]) : [node];
  return items.map(readMoRef).filter((r): r is ManagedObjectReference => r !== null);
}

export function readBool(node: XmlNode | undefined): boolean | undefined {
  const t = text(node)?.trim();
  return t === undefined || t === '' ? undefined : t === 'true' || t === '1';
}

export function readNumber(node: XmlNode | undefined): number | undefined {
  const t = text(node)?.trim();
  if (t === undefined || t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** Simple leaf fields of an element as `name=value` (for fault parameters). */
export function leafFields(node: XmlNode | undefined): string[] {
  if (!node || typeof node === 'string') return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@_') || key === '#text') continue;
    for (const item of asArray(value as XmlNode | XmlNode[])) {
      const t = typeof item === 'string' ? item : Object.keys(item).every((k) => k.startsWith('@_') || k === '#text') ? text(item) : undefined;
      if (t !== undefined && t !== '') out.push(`${key}=${t}`);
    }
  }
  return out;
}
