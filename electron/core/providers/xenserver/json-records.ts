// Incremental reader for the one large answer XAPI gives: `<class>.get_all_records`
// over JSON-RPC, `{"jsonrpc":"2.0","result":{"OpaqueRef:…":{record},…},"id":1}`.
// Records are cut out of the byte stream and parsed one by one as chunks arrive,
// so parsing overlaps the transfer and the whole body never sits in memory as
// one string. Anything else (errors, other result shapes) is parsed whole.

export type RecordTransform = (record: Record<string, unknown>) => Record<string, unknown>;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

export class JsonRecordsReader {
  /** what was read before the first record: the whole body when there are no records */
  private head: Buffer[] = [];
  private pending: Buffer | null = null;
  private scanned = 0; // bytes of `pending` already scanned
  private depth = 0;
  private inString = false;
  private escape = false;
  private stringStart = -1;
  private lastString = '';
  private topKey = '';
  private recordKey = '';
  private inResult = false;
  private recordStart = -1;
  private streamed = false;
  readonly records: Record<string, Record<string, unknown>> = {};

  constructor(private readonly transform: RecordTransform = (r) => r) {}

  push(chunk: Buffer): void {
    if (!this.streamed) this.head.push(chunk);
    let buf: Buffer;
    if (this.pending) {
      buf = Buffer.concat([this.pending, chunk]);
    } else {
      buf = chunk;
      this.scanned = 0;
    }
    this.scan(buf);
    // keep the unfinished record (or key) for the next chunk
    const keepFrom = this.recordStart >= 0 ? this.recordStart : this.inString && this.stringStart >= 0 ? this.stringStart : -1;
    if (keepFrom >= 0) {
      this.pending = buf.subarray(keepFrom);
      this.scanned = buf.length - keepFrom;
      if (this.recordStart >= 0) this.recordStart -= keepFrom;
      if (this.stringStart >= 0) this.stringStart -= keepFrom;
    } else {
      this.pending = null;
      this.scanned = 0;
    }
  }

  /** The parsed body: `{result: records}` when records were streamed, else the whole JSON. */
  finish(): { result?: unknown; error?: unknown } {
    if (this.streamed) {
      if (this.depth !== 0) throw new SyntaxError('JSON-RPC answer ended early');
      return { result: this.records };
    }
    return JSON.parse(Buffer.concat(this.head).toString('utf8')) as { result?: unknown; error?: unknown };
  }

  private scan(buf: Buffer): void {
    const n = buf.length;
    let i = this.scanned;
    let { depth, inString, escape } = this;
    for (; i < n; i++) {
      const b = buf[i]!;
      if (inString) {
        if (escape) escape = false;
        else if (b === BACKSLASH) escape = true;
        else if (b === QUOTE) {
          inString = false;
          if (this.stringStart >= 0) {
            this.lastString = decodeKey(buf, this.stringStart, i);
            this.stringStart = -1;
          }
        }
        continue;
      }
      switch (b) {
        case QUOTE:
          inString = true;
          // keys of the envelope and of the result map; strings inside records are skipped
          this.stringStart = depth <= 2 ? i + 1 : -1;
          break;
        case COLON:
          if (depth === 1) this.topKey = this.lastString;
          else if (depth === 2) this.recordKey = this.lastString;
          break;
        case OPEN_BRACE:
        case OPEN_BRACKET:
          depth++;
          if (depth === 2) this.inResult = b === OPEN_BRACE && this.topKey === 'result';
          else if (depth === 3 && this.inResult && b === OPEN_BRACE) this.recordStart = i;
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET:
          if (depth === 3 && this.recordStart >= 0) {
            const record = JSON.parse(buf.toString('utf8', this.recordStart, i + 1)) as Record<string, unknown>;
            this.records[this.recordKey] = this.transform(record);
            this.recordStart = -1;
            if (!this.streamed) {
              this.streamed = true;
              this.head = [];
            }
          }
          depth--;
          if (depth === 1) this.inResult = false;
          break;
      }
    }
    this.scanned = n;
    this.depth = depth;
    this.inString = inString;
    this.escape = escape;
  }
}

function decodeKey(buf: Buffer, start: number, end: number): string {
  const raw = buf.toString('utf8', start, end);
  return raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
}
