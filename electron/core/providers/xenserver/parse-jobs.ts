// What a parse worker does with XAPI's large JSON-RPC answers (worker side):
// - xapi-records: a get_all_records answer read by the same streaming reader as on the
//   event loop, records reduced there, sent back in parts of [ref, record] pairs;
// - xapi-event-batch: an event.from answer parsed whole, each event's record reduced as
//   the inventory will (keepNeeded), sent back in parts of events;
// - xapi-xmlrpc-records / xapi-xmlrpc-event-batch: the same two over XML-RPC, read by the
//   transport's own SAX reader (xmlrpc-answer.ts).
// The limits are the transport's; errors are the same typed errors.

import { decodeJsonRpcAnswer } from './answers';
import { readEventBatch } from './events';
import { JsonRecordsReader, type JsonRecordsLimits } from './json-records';
import { keepNeeded } from './records';
import { transformFor } from './record-reduction';
import { XmlRpcAnswerReader } from './xmlrpc-answer';
import type { ParseJobRunner } from '../../util/parse-worker-host';

/** Pairs or events per part: each part is one message the event loop takes in at a time. */
export const PART_SIZE = 2_000;

export interface RecordsJobInit {
  where: string;
  limits: JsonRecordsLimits;
  keepNeededOf: string | null;
}

export type RecordsJobResult = { streamed: true } | { streamed: false; value: unknown };

export function recordsJob(init: RecordsJobInit): ParseJobRunner {
  const reader = new JsonRecordsReader(init.where, init.limits, transformFor(init.keepNeededOf));
  return {
    push: (bytes) => reader.push(bytes),
    finish(emit): RecordsJobResult {
      const result = reader.finish();
      if (!(result instanceof Map)) return { streamed: false, value: result };
      emitEntries(result as Map<string, Record<string, unknown>>, emit);
      return { streamed: true };
    },
  };
}

function emitEntries(records: Map<string, Record<string, unknown>>, emit: (part: unknown) => void): void {
  let part: Array<[string, Record<string, unknown>]> = [];
  for (const entry of records) {
    part.push(entry);
    if (part.length === PART_SIZE) {
      emit(part);
      part = [];
    }
  }
  if (part.length) emit(part);
}

function emitReducedEvents(result: unknown, where: string, emit: (part: unknown) => void): { token: string } {
  const batch = readEventBatch(result, where);
  for (let i = 0; i < batch.events.length; i += PART_SIZE) {
    emit(batch.events.slice(i, i + PART_SIZE).map((e) => (e.snapshot ? { ...e, snapshot: keepNeeded(e.class.toLowerCase(), e.snapshot) } : e)));
  }
  return { token: batch.token };
}

export interface EventBatchJobInit {
  where: string;
}

export function eventBatchJob(init: EventBatchJobInit): ParseJobRunner {
  const chunks: Buffer[] = [];
  return {
    push: (bytes) => chunks.push(bytes),
    finish(emit): { token: string } {
      const result = decodeJsonRpcAnswer(Buffer.concat(chunks), init.where);
      chunks.length = 0;
      return emitReducedEvents(result, init.where, emit);
    },
  };
}

export interface XmlRpcRecordsJobInit {
  where: string;
  maxTextBytes: number;
  maxRecords: number;
  keepNeededOf: string | null;
}

/** An XML-RPC get_all_records answer: read by the same SAX reader as on the event loop, records reduced as they close. */
export function xmlRpcRecordsJob(init: XmlRpcRecordsJobInit): ParseJobRunner {
  const reader = new XmlRpcAnswerReader(init.where, { maxTextBytes: init.maxTextBytes, records: { transform: transformFor(init.keepNeededOf), maxRecords: init.maxRecords } });
  return {
    push: (bytes) => reader.push(bytes),
    finish(emit): null {
      emitEntries(reader.finish() as Map<string, Record<string, unknown>>, emit);
      return null;
    },
  };
}

export interface XmlRpcEventBatchJobInit {
  where: string;
  maxTextBytes: number;
}

/** An XML-RPC event.from answer, read as it streams, each event's record reduced as the inventory will. */
export function xmlRpcEventBatchJob(init: XmlRpcEventBatchJobInit): ParseJobRunner {
  const reader = new XmlRpcAnswerReader(init.where, { maxTextBytes: init.maxTextBytes });
  return {
    push: (bytes) => reader.push(bytes),
    finish: (emit) => emitReducedEvents(reader.finish(), init.where, emit),
  };
}

export const XAPI_PARSE_JOBS = {
  'xapi-records': (init: unknown) => recordsJob(init as RecordsJobInit),
  'xapi-event-batch': (init: unknown) => eventBatchJob(init as EventBatchJobInit),
  'xapi-xmlrpc-records': (init: unknown) => xmlRpcRecordsJob(init as XmlRpcRecordsJobInit),
  'xapi-xmlrpc-event-batch': (init: unknown) => xmlRpcEventBatchJob(init as XmlRpcEventBatchJobInit),
};
