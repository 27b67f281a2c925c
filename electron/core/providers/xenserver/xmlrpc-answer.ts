// Reads an XML-RPC answer as it arrives, with the `xmlrpc` package's own SAX-based
// deserializer fed chunk by chunk (its HTTP client, which buffered the whole body
// without limit, is not used). On top of it: strict UTF-8, a bound on any one text
// value, struct keys that cannot reach Object.prototype, and for get_all_records
// each record reduced as soon as it closes, so a large pool never sits in memory
// with all its fields.

import Deserializer from 'xmlrpc/lib/deserializer.js';
import { PolyvisorError } from '../../../../shared/errors';
import { responseTooLarge } from '../common/limits';
import { malformedAnswer, recordMap, tooManyRecords, xmlRpcResult } from './answers';
import { descriptionText } from './errors';
import type { RecordTransform } from './transport';

export interface XmlRpcAnswerOptions {
  /** one text value (a string, a number …) */
  maxTextBytes: number;
  /** a get_all_records answer: records are transformed as they close */
  records?: { transform: RecordTransform; maxRecords: number };
}

/** The deserializer only wires these up; the reader writes to its parser itself. */
const NO_STREAM = { setEncoding: () => undefined, on: () => undefined, pipe: () => undefined };

/** Marks of the XAPI result struct and of its Value map: a struct closing below them is a record. */
const RECORD_DEPTH = 2;

class BoundedDeserializer extends Deserializer {
  private textBytes = 0;
  private recordCount = 0;

  constructor(
    private readonly where: string,
    private readonly options: XmlRpcAnswerOptions,
  ) {
    super('utf8');
  }

  override onOpentag(node: { name: string }): void {
    this.textBytes = 0;
    super.onOpentag(node);
  }

  override onText(text: string): void {
    this.count(text);
    super.onText(text);
  }

  override onCDATA(text: string): void {
    this.count(text);
    super.onCDATA(text);
  }

  /**
   * A datetime stays XAPI's text (as over JSON-RPC): the library would make a Date and read a
   * time without a zone (host.get_server_localtime) in this computer's zone, losing the server's.
   */
  override endDateTime(data: string): void {
    this.stack.push(data.trim());
    this.value = false;
  }

  /** Like the library's, but a member named `__proto__` stays a member, and records are reduced as they close. */
  override endStruct(): void {
    const mark = this.marks.pop() ?? 0;
    const items = this.stack.slice(mark);
    const struct: Record<string, unknown> = {};
    for (let i = 0; i < items.length; i += 2) {
      const key = items[i];
      if (typeof key !== 'string') throw malformedAnswer(this.where, 'a struct member has no name');
      Object.defineProperty(struct, key, { value: items[i + 1], enumerable: true, writable: true, configurable: true });
    }
    const records = this.options.records;
    const value = records && this.marks.length === RECORD_DEPTH ? this.record(struct, records) : struct;
    this.stack.splice(mark, this.stack.length - mark, value);
    this.value = false;
  }

  private record(struct: Record<string, unknown>, records: NonNullable<XmlRpcAnswerOptions['records']>): Record<string, unknown> {
    if (++this.recordCount > records.maxRecords) throw tooManyRecords(this.where, records.maxRecords);
    return records.transform(struct);
  }

  private count(text: string): void {
    this.textBytes += text.length;
    if (this.textBytes > this.options.maxTextBytes) throw responseTooLarge(this.where, this.options.maxTextBytes);
  }
}

type Outcome = { failed: true; error: unknown } | { failed: false; value: unknown };

export class XmlRpcAnswerReader {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly deserializer: BoundedDeserializer;
  private settled: Outcome | undefined;

  constructor(
    private readonly where: string,
    private readonly options: XmlRpcAnswerOptions,
  ) {
    this.deserializer = new BoundedDeserializer(where, options);
    this.deserializer.deserializeMethodResponse(NO_STREAM, (error, value) => {
      this.settled ??= error ? { failed: true, error } : { failed: false, value };
    });
  }

  push(chunk: Buffer): void {
    this.write(this.decode(chunk, true));
  }

  /** set by the deserializer's callback, from inside parser.write/end */
  private get outcome(): Outcome | undefined {
    return this.settled;
  }

  /** The call's value (records as a Map when reading get_all_records); a XAPI failure is thrown as such. */
  finish(): unknown {
    this.write(this.decode(Buffer.alloc(0), false));
    if (!this.outcome) {
      try {
        this.deserializer.parser.end();
      } catch (err) {
        throw this.typed(err);
      }
    }
    if (!this.outcome) throw malformedAnswer(this.where, 'it ended early');
    if (this.outcome.failed) throw this.typed(this.outcome.error);
    const value = xmlRpcResult(this.outcome.value, this.where);
    const records = this.options.records;
    // records were reduced as they closed: only their shape is checked here
    return records ? recordMap(value, (r) => r, this.where) : value;
  }

  private decode(chunk: Buffer, stream: boolean): string {
    try {
      return this.decoder.decode(chunk, { stream });
    } catch {
      throw malformedAnswer(this.where, 'it is not valid UTF-8');
    }
  }

  private write(text: string): void {
    this.throwIfFailed();
    if (this.outcome || text === '') return;
    try {
      this.deserializer.parser.write(text);
    } catch (err) {
      throw this.typed(err);
    }
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    const outcome = this.outcome;
    if (outcome?.failed) throw this.typed(outcome.error);
  }

  private typed(err: unknown): PolyvisorError {
    if (err instanceof PolyvisorError) return err;
    if (err instanceof Error && 'faultString' in err) {
      const { faultCode, faultString } = err as { faultCode?: unknown; faultString?: unknown };
      return new PolyvisorError({
        code: 'SERVER_ERROR',
        message: `${this.where} answered with an XML-RPC fault: ${descriptionText(faultString)}`,
        serverCode: 'XMLRPC_FAULT',
        serverParams: [descriptionText(faultCode), descriptionText(faultString)],
      });
    }
    const detail = err instanceof Error ? err.message : typeof err === 'string' ? err : 'unreadable XML';
    return malformedAnswer(this.where, `it is not XML-RPC (${detail.split('\n')[0]!.slice(0, 160)})`);
  }
}
