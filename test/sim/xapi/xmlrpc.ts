// Server side of XML-RPC as XAPI speaks it: a small parser for <methodCall>
// and a typed encoder for responses. Encoding follows the XAPI wire protocol:
// strings, refs, enums and 64-bit ints travel as untyped <value>text</value>,
// floats as <double>, bools as <boolean>, datetimes as <dateTime.iso8601>,
// sets as <array>, maps and records as <struct>. Encoders are compiled once
// per type so a 10,000-VM get_all_records is a flat string build.
import type { XType, XapiModel } from './model';

// ---------------------------------------------------------------- parsing

export class XmlRpcParseError extends Error {}

export interface MethodCall {
  methodName: string;
  params: unknown[];
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function unescapeXml(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITY[e] ?? m;
  });
}

/** Character data of an element: entities decoded, CDATA sections (clients send text with < that way) taken as they are. */
function textContent(s: string): string {
  if (!s.includes('<![CDATA[')) return unescapeXml(s);
  return s.split(/(<!\[CDATA\[[\s\S]*?\]\]>)/).map((part) => (part.startsWith('<![CDATA[') ? part.slice(9, -3) : unescapeXml(part))).join('');
}

/** Parses an XML-RPC <methodCall>. Throws XmlRpcParseError on malformed input. */
export function parseMethodCall(xml: string): MethodCall {
  const p = new Cursor(xml);
  p.skipProlog();
  p.open('methodCall');
  p.open('methodName');
  const methodName = unescapeXml(p.textUntil('</methodName>')).trim();
  p.close('methodName');
  const params: unknown[] = [];
  if (p.peekOpen('params')) {
    if (!p.selfClosing('params')) {
      p.open('params');
      while (p.peekOpen('param')) {
        p.open('param');
        params.push(p.value());
        p.close('param');
      }
      p.close('params');
    }
  }
  p.close('methodCall');
  return { methodName, params };
}

class Cursor {
  private i = 0;
  constructor(private readonly s: string) {}

  private ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else if (s.startsWith('<!--', this.i)) {
        const end = s.indexOf('-->', this.i);
        if (end < 0) throw new XmlRpcParseError('unterminated comment');
        this.i = end + 3;
      } else break;
    }
  }

  skipProlog(): void {
    this.ws();
    if (this.s.startsWith('<?xml', this.i)) {
      const end = this.s.indexOf('?>', this.i);
      if (end < 0) throw new XmlRpcParseError('bad prolog');
      this.i = end + 2;
    }
    this.ws();
  }

  peekOpen(tag: string): boolean {
    this.ws();
    return this.s.startsWith(`<${tag}>`, this.i) || this.s.startsWith(`<${tag}/>`, this.i) || this.s.startsWith(`<${tag} `, this.i);
  }

  selfClosing(tag: string): boolean {
    this.ws();
    for (const form of [`<${tag}/>`, `<${tag} />`]) {
      if (this.s.startsWith(form, this.i)) {
        this.i += form.length;
        return true;
      }
    }
    return false;
  }

  open(tag: string): void {
    this.ws();
    const t = `<${tag}>`;
    if (!this.s.startsWith(t, this.i)) throw new XmlRpcParseError(`expected ${t} at ${this.i}`);
    this.i += t.length;
  }

  close(tag: string): void {
    this.ws();
    const t = `</${tag}>`;
    if (!this.s.startsWith(t, this.i)) throw new XmlRpcParseError(`expected ${t} at ${this.i}`);
    this.i += t.length;
  }

  textUntil(end: string): string {
    const j = this.s.indexOf(end, this.i);
    if (j < 0) throw new XmlRpcParseError(`expected ${end}`);
    const text = this.s.slice(this.i, j);
    this.i = j;
    return text;
  }

  value(): unknown {
    this.ws();
    if (this.selfClosing('value')) return '';
    this.open('value');
    // untyped string: text directly inside <value>
    if (this.s[this.i] !== '<' || this.s.startsWith('</value>', this.i)) {
      const raw = this.textUntil('<');
      if (this.s.startsWith('</value>', this.i)) {
        this.close('value');
        return unescapeXml(raw);
      }
      if (raw.trim() !== '') throw new XmlRpcParseError('mixed content in <value>');
    }
    this.ws();
    const m = /^<([A-Za-z0-9_.]+)\s*(\/?)>/.exec(this.s.slice(this.i, this.i + 40));
    if (!m) throw new XmlRpcParseError(`bad value at ${this.i}`);
    const tag = m[1];
    this.i += m[0].length;
    let v: unknown;
    if (m[2] === '/') {
      v = tag === 'string' ? '' : tag === 'array' ? [] : tag === 'struct' ? {} : tag === 'nil' ? null : '';
    } else {
      switch (tag) {
        case 'string':
          v = textContent(this.textUntil('</string>'));
          break;
        case 'int':
        case 'i4':
        case 'i8': {
          const t = this.textUntil(`</${tag}>`).trim();
          v = Number(t);
          if (!/^[-+]?\d+$/.test(t)) throw new XmlRpcParseError(`bad <${tag}> ${t}`);
          break;
        }
        case 'boolean': {
          const t = this.textUntil('</boolean>').trim();
          if (t !== '0' && t !== '1') throw new XmlRpcParseError(`bad <boolean> ${t}`);
          v = t === '1';
          break;
        }
        case 'double': {
          const t = this.textUntil('</double>').trim();
          v = Number(t);
          if (Number.isNaN(v)) throw new XmlRpcParseError(`bad <double> ${t}`);
          break;
        }
        case 'dateTime.iso8601':
          v = this.textUntil('</dateTime.iso8601>').trim();
          break;
        case 'base64':
          v = Buffer.from(this.textUntil('</base64>').trim(), 'base64').toString('utf8');
          break;
        case 'nil':
          v = null;
          break;
        case 'array': {
          const arr: unknown[] = [];
          if (!this.selfClosing('data')) {
            this.open('data');
            while (this.peekOpen('value')) arr.push(this.value());
            this.close('data');
          }
          v = arr;
          break;
        }
        case 'struct': {
          const obj: Record<string, unknown> = {};
          while (this.peekOpen('member')) {
            this.open('member');
            this.open('name');
            const name = unescapeXml(this.textUntil('</name>'));
            this.close('name');
            obj[name] = this.value();
            this.close('member');
          }
          v = obj;
          break;
        }
        default:
          throw new XmlRpcParseError(`unknown XML-RPC type <${tag}>`);
      }
      this.close(tag);
    }
    this.close('value');
    return v;
  }
}

// ---------------------------------------------------------------- encoding

export function escapeXml(s: string): string {
  if (!/[&<>"\r]/.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\r/g, '&#13;');
}

export type Encoder = (v: unknown) => string;

function encodeString(v: unknown): string {
  return `<value>${escapeXml(v == null ? '' : String(v))}</value>`;
}
function encodeInt(v: unknown): string {
  return `<value>${typeof v === 'number' ? Math.trunc(v) : Number(v) || 0}</value>`;
}
function encodeFloat(v: unknown): string {
  const n = typeof v === 'number' ? v : Number(v) || 0;
  return `<value><double>${Number.isInteger(n) ? n.toFixed(1) : String(n)}</double></value>`;
}
function encodeBool(v: unknown): string {
  return `<value><boolean>${v ? 1 : 0}</boolean></value>`;
}
function encodeDate(v: unknown): string {
  return `<value><dateTime.iso8601>${escapeXml(String(v ?? ''))}</dateTime.iso8601></value>`;
}

/** Encodes a JS value without a declared type (strings stay untyped). */
export function encodeDynamic(v: unknown): string {
  if (v === null || v === undefined) return '<value></value>';
  if (typeof v === 'string') return encodeString(v);
  if (typeof v === 'boolean') return encodeBool(v);
  if (typeof v === 'number') return Number.isInteger(v) ? encodeInt(v) : encodeFloat(v);
  if (Array.isArray(v)) {
    let s = '<value><array><data>';
    for (const e of v) s += encodeDynamic(e);
    return s + '</data></array></value>';
  }
  let s = '<value><struct>';
  for (const k in v as Record<string, unknown>) {
    s += `<member><name>${escapeXml(k)}</name>${encodeDynamic((v as Record<string, unknown>)[k])}</member>`;
  }
  return s + '</struct></value>';
}

export class XmlRpcEncoders {
  private readonly recordEncoders = new Map<string, Encoder>();
  constructor(private readonly model: XapiModel) {}

  forType(t: XType): Encoder {
    switch (t.kind) {
      case 'string':
      case 'ref':
      case 'enum':
        return encodeString;
      case 'int':
        return encodeInt;
      case 'float':
        return encodeFloat;
      case 'bool':
        return encodeBool;
      case 'datetime':
        return encodeDate;
      case 'void':
        return () => '<value></value>';
      case 'set': {
        const inner = this.forType(t.of);
        return (v) => {
          let s = '<value><array><data>';
          if (Array.isArray(v)) for (const e of v) s += inner(e);
          return s + '</data></array></value>';
        };
      }
      case 'map': {
        const inner = this.forType(t.value);
        return (v) => {
          let s = '<value><struct>';
          if (v && typeof v === 'object') {
            const o = v as Record<string, unknown>;
            for (const k in o) s += `<member><name>${escapeXml(k)}</name>${inner(o[k])}</member>`;
          }
          return s + '</struct></value>';
        };
      }
      case 'record':
        return this.forRecord(t.cls);
      case 'option':
        return (v) => (v === undefined || v === null || v === '' ? '<value></value>' : this.forType(t.of)(v));
      default:
        return encodeDynamic;
    }
  }

  /** Encoder for a full record of a class, fields in data-model order. */
  forRecord(cls: string): Encoder {
    let enc = this.recordEncoders.get(cls);
    if (enc) return enc;
    const c = this.model.classes.get(cls);
    if (!c) return encodeDynamic;
    // placeholder to break recursion (records never nest records of the same class)
    this.recordEncoders.set(cls, encodeDynamic);
    const parts = c.fields.map((f) => [`<member><name>${escapeXml(f.name)}</name>`, this.forType(f.type), f.name] as const);
    enc = (v) => {
      const r = v as Record<string, unknown>;
      let s = '<value><struct>';
      for (const [head, e, name] of parts) s += head + e(r[name]) + '</member>';
      return s + '</struct></value>';
    };
    this.recordEncoders.set(cls, enc);
    return enc;
  }
}

/**
 * Collects a large response as Buffers of ~64 KiB: each element is encoded to
 * a short string and flushed, so no huge string rope is ever retained (a
 * 30,000-record get_all_records would otherwise spend most of its time in GC).
 */
export class ChunkSink {
  readonly chunks: Buffer[] = [];
  private parts: string[] = [];
  private size = 0;
  push(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= 65536) this.flush();
  }
  flush(): void {
    if (this.size) this.chunks.push(Buffer.from(this.parts.join(''), 'utf8'));
    this.parts = [];
    this.size = 0;
  }
  finish(): Buffer[] {
    this.flush();
    return this.chunks;
  }
}

const SUCCESS_HEAD =
  '<?xml version="1.0"?><methodResponse><params><param><value><struct>' +
  '<member><name>Status</name><value>Success</value></member><member><name>Value</name>';
const SUCCESS_TAIL = '</member></struct></value></param></params></methodResponse>';

/** A Success response whose value is written into the sink by `writeValue`. */
export function successResponseChunks(writeValue: (sink: ChunkSink) => void): Buffer[] {
  const sink = new ChunkSink();
  sink.push(SUCCESS_HEAD);
  writeValue(sink);
  sink.push(SUCCESS_TAIL);
  return sink.finish();
}

/** Writes a value of type `t`; sets and maps are written element by element. */
export function writeTyped(encoders: XmlRpcEncoders, t: XType, v: unknown, sink: ChunkSink): void {
  if (t.kind === 'map' && v && typeof v === 'object') {
    const inner = encoders.forType(t.value);
    const o = v as Record<string, unknown>;
    sink.push('<value><struct>');
    for (const k in o) sink.push(`<member><name>${escapeXml(k)}</name>${inner(o[k])}</member>`);
    sink.push('</struct></value>');
  } else if (t.kind === 'set' && Array.isArray(v)) {
    const inner = encoders.forType(t.of);
    sink.push('<value><array><data>');
    for (const e of v) sink.push(inner(e));
    sink.push('</data></array></value>');
  } else {
    sink.push(encoders.forType(t)(v));
  }
}

export function successResponse(encodedValue: string): string {
  return (
    '<?xml version="1.0"?><methodResponse><params><param><value><struct>' +
    '<member><name>Status</name><value>Success</value></member>' +
    `<member><name>Value</name>${encodedValue}</member>` +
    '</struct></value></param></params></methodResponse>'
  );
}

export function failureResponse(description: string[]): string {
  let arr = '';
  for (const d of description) arr += encodeString(d);
  return (
    '<?xml version="1.0"?><methodResponse><params><param><value><struct>' +
    '<member><name>Status</name><value>Failure</value></member>' +
    `<member><name>ErrorDescription</name><value><array><data>${arr}</data></array></value></member>` +
    '</struct></value></param></params></methodResponse>'
  );
}

/** XML-RPC <fault> for requests that are not valid XML-RPC at all. */
export function faultResponse(code: number, message: string): string {
  return (
    '<?xml version="1.0"?><methodResponse><fault><value><struct>' +
    `<member><name>faultCode</name><value><int>${code}</int></value></member>` +
    `<member><name>faultString</name><value><string>${escapeXml(message)}</string></value></member>` +
    '</struct></value></fault></methodResponse>'
  );
}
