// Incremental reader for the one large answer XAPI gives: `<class>.get_all_records`
// over JSON-RPC, `{"jsonrpc":"2.0","result":{"OpaqueRef:…":{record},…},"id":1}`.
// Records are cut out of the byte stream and parsed one by one as chunks arrive,
// so parsing overlaps the transfer and the whole body never sits in memory as
// one string. Anything else (errors, other result shapes) is parsed whole.
//
// The server is not trusted: a record, the unstreamed part and the number of
// records are bounded (RESPONSE_TOO_LARGE), and bytes that are not JSON, not
// UTF-8 or not records give a typed error (answers.ts), never a bare exception.

import { isUtf8 } from 'node:buffer';
import { responseTooLarge } from '../common/limits';
import { decodeJsonRpcAnswer, malformedAnswer, tooManyRecords } from './answers';
import type { RecordTransform } from './transport';

export interface JsonRecordsLimits {
  /** what may be read before the first record (the whole body when there are none) */
  maxHeadBytes: number;
  /** one record, or one key of the envelope */
  maxRecordBytes: number;
  maxRecords: number;
}

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
  private headBytes = 0;
  /** the unfinished record (or envelope key) from earlier chunks */
  private parts: Buffer[] = [];
  private partsBytes = 0;
  private depth = 0;
  private inString = false;
  private escape = false;
  /** an envelope key is being read (depth ≤ 2); its start in this chunk, or -1 if in `parts` */
  private keyOpen = false;
  private keyStart = -1;
  /** a record is being read; its start in this chunk, or -1 if in `parts` */
  private recordOpen = false;
  private recordStart = -1;
  private lastString = '';
  private topKey = '';
  private recordKey = '';
  private inResult = false;
  /** after `"ref":` in the result: the next value must be a record */
  private awaitingRecord = false;
  private streamed = false;
  readonly records = new Map<string, Record<string, unknown>>();

  constructor(
    private readonly where: string,
    private readonly limits: JsonRecordsLimits,
    private readonly transform: RecordTransform = (r) => r,
  ) {}

  push(chunk: Buffer): void {
    if (!this.streamed) {
      this.headBytes += chunk.length;
      if (this.headBytes > this.limits.maxHeadBytes) throw responseTooLarge(this.where, this.limits.maxHeadBytes);
      this.head.push(chunk);
    }
    this.keyStart = this.keyOpen ? -1 : this.keyStart;
    this.recordStart = this.recordOpen ? -1 : this.recordStart;
    this.scan(chunk);
    // keep the unfinished record (or key) for the next chunk
    const from = this.recordOpen ? this.recordStart : this.keyOpen ? this.keyStart : null;
    if (from === null) return;
    const piece = from >= 0 ? chunk.subarray(from) : chunk;
    this.parts.push(piece);
    this.partsBytes += piece.length;
    if (this.partsBytes > this.limits.maxRecordBytes) throw responseTooLarge(this.where, this.limits.maxRecordBytes);
  }

  /** The call's result: the records when they were streamed, else the whole answer's result. Throws a XAPI failure as such. */
  finish(): unknown {
    if (this.streamed) {
      if (this.depth !== 0 || this.inString) throw malformedAnswer(this.where, 'it ended in the middle of the records');
      return this.records;
    }
    return decodeJsonRpcAnswer(Buffer.concat(this.head, this.headBytes), this.where);
  }

  private scan(buf: Buffer): void {
    const n = buf.length;
    let { depth, inString, escape } = this;
    for (let i = 0; i < n; i++) {
      const b = buf[i]!;
      if (inString) {
        if (escape) escape = false;
        else if (b === BACKSLASH) escape = true;
        else if (b === QUOTE) {
          inString = false;
          if (this.keyOpen) this.lastString = this.endKey(buf, i);
        }
        continue;
      }
      switch (b) {
        case QUOTE:
          if (this.awaitingRecord) throw this.notARecord();
          inString = true;
          // keys of the envelope and of the result map; strings inside records are skipped
          if (depth <= 2) {
            this.keyOpen = true;
            this.keyStart = i + 1;
          }
          break;
        case COLON:
          if (depth === 1) this.topKey = this.lastString;
          else if (depth === 2) {
            this.recordKey = this.lastString;
            this.awaitingRecord = this.inResult;
          }
          break;
        case OPEN_BRACE:
        case OPEN_BRACKET:
          depth++;
          if (depth === 2) this.inResult = b === OPEN_BRACE && this.topKey === 'result';
          else if (depth === 3 && this.inResult) {
            if (b !== OPEN_BRACE) throw this.notARecord();
            this.awaitingRecord = false;
            this.recordOpen = true;
            this.recordStart = i;
          }
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET:
          if (depth === 3 && this.recordOpen) this.endRecord(buf, i);
          depth--;
          if (depth === 1) this.inResult = false;
          break;
        default:
          // white space may stand before a record; a number, true, false or null may not
          if (this.awaitingRecord && b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) throw this.notARecord();
      }
    }
    this.depth = depth;
    this.inString = inString;
    this.escape = escape;
  }

  /** The bytes from the open piece's start (in `parts` and/or this chunk) up to `end` (exclusive). */
  private takePiece(buf: Buffer, start: number, end: number): Buffer {
    if (start >= 0) return buf.subarray(start, end);
    const bytes = Buffer.concat([...this.parts, buf.subarray(0, end)]);
    this.parts = [];
    this.partsBytes = 0;
    return bytes;
  }

  private endKey(buf: Buffer, quoteAt: number): string {
    const bytes = this.takePiece(buf, this.keyStart, quoteAt);
    this.keyOpen = false;
    this.keyStart = -1;
    if (!isUtf8(bytes)) throw malformedAnswer(this.where, 'it is not valid UTF-8');
    const raw = bytes.toString('utf8');
    if (!raw.includes('\\')) return raw;
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      throw malformedAnswer(this.where, 'a key is not a JSON string');
    }
  }

  private endRecord(buf: Buffer, closeAt: number): void {
    const bytes = this.takePiece(buf, this.recordStart, closeAt + 1);
    this.recordOpen = false;
    this.recordStart = -1;
    if (!isUtf8(bytes)) throw malformedAnswer(this.where, 'it is not valid UTF-8');
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    } catch (err) {
      throw malformedAnswer(this.where, `a record is not JSON (${(err as Error).message.slice(0, 120)})`);
    }
    if (this.records.size >= this.limits.maxRecords && !this.records.has(this.recordKey)) {
      throw tooManyRecords(this.where, this.limits.maxRecords);
    }
    this.records.set(this.recordKey, this.transform(record));
    if (!this.streamed) {
      this.streamed = true;
      this.head = [];
    }
  }

  private notARecord(): Error {
    return malformedAnswer(this.where, `the value of ${this.recordKey.slice(0, 60) || 'a record'} is not a record`);
  }
}
