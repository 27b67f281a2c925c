// What a parse worker does with XAPI's large JSON-RPC answers (worker side):
// - xapi-records: a get_all_records answer read by the same streaming reader as on the
//   event loop, records reduced there, sent back in parts of [ref, record] pairs;
// - xapi-event-batch: an event.from answer parsed whole, each event's record reduced as
//   the inventory will (keepNeeded), sent back in parts of events.
// The limits are the transport's; errors are the same typed errors.

import { decodeJsonRpcAnswer } from './answers';
import { readEventBatch } from './events';
import { JsonRecordsReader, type JsonRecordsLimits } from './json-records';
import { keepNeeded } from './records';
import { transformFor } from './record-reduction';
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
      let part: Array<[string, Record<string, unknown>]> = [];
      for (const entry of result as Map<string, Record<string, unknown>>) {
        part.push(entry);
        if (part.length === PART_SIZE) {
          emit(part);
          part = [];
        }
      }
      if (part.length) emit(part);
      return { streamed: true };
    },
  };
}

export interface EventBatchJobInit {
  where: string;
}

export function eventBatchJob(init: EventBatchJobInit): ParseJobRunner {
  const chunks: Buffer[] = [];
  return {
    push: (bytes) => chunks.push(bytes),
    finish(emit): { token: string } {
      const batch = readEventBatch(decodeJsonRpcAnswer(Buffer.concat(chunks), init.where), init.where);
      chunks.length = 0;
      for (let i = 0; i < batch.events.length; i += PART_SIZE) {
        emit(batch.events.slice(i, i + PART_SIZE).map((e) => (e.snapshot ? { ...e, snapshot: keepNeeded(e.class.toLowerCase(), e.snapshot) } : e)));
      }
      return { token: batch.token };
    },
  };
}

export const XAPI_PARSE_JOBS = {
  'xapi-records': (init: unknown) => recordsJob(init as RecordsJobInit),
  'xapi-event-batch': (init: unknown) => eventBatchJob(init as EventBatchJobInit),
};
