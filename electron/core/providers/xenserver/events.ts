// The initial load and XAPI's event.from long poll.

import { allOrNothing } from '../common/concurrency';
import { isPlainObject, malformedAnswer } from './answers';
import { isXapiFailure } from './errors';
import { serverName } from './http-post';
import { OPTIONAL_CLASSES, WATCHED_CLASSES, type XapiEvent, type XapiRecord } from './records';
import { keepNeededFor } from './record-reduction';
import type { XapiSession } from './session';
import { XapiDouble } from './transport';

export interface EventBatch {
  events: XapiEvent[];
  token: string;
}

export interface Snapshot {
  /** class → (ref → record) */
  tables: Array<[cls: string, records: Map<string, XapiRecord>]>;
  /** where the event stream continues from */
  token: string;
  /** the watched classes this server has (an older one lacks VMSS): the ones to follow */
  classes: string[];
}

const CLASSES = [...WATCHED_CLASSES];

/**
 * Every watched object, and the event token to follow it from. The token is taken
 * FIRST (from a tiny event.from on the one pool object; a XAPI token is a point in
 * the whole database's history, not per class), so anything another client changes
 * while the records load is replayed by the first poll: no change can fall between
 * the load and the live stream. One get_all_records per class, all in flight at
 * once: the server serializes the large VM table while the small ones are already
 * parsed. Records arrive reduced to the fields the inventory reads.
 */
export async function fetchEverything(session: XapiSession, signal?: AbortSignal): Promise<Snapshot> {
  const { token } = await eventFrom(session, ['pool'], '', 0, signal);
  const loaded = await allOrNothing(
    signal,
    CLASSES.map((cls) => async (shared: AbortSignal): Promise<[string, Map<string, XapiRecord>] | null> => {
      const key = cls.toLowerCase();
      try {
        return [cls, await session.allRecords(cls, keepNeededFor(key), shared)];
      } catch (err) {
        if (OPTIONAL_CLASSES.has(cls) && isXapiFailure(err, 'MESSAGE_METHOD_UNKNOWN')) return null;
        throw err;
      }
    }),
  );
  const tables = loaded.filter((t) => t !== null);
  return { tables, token, classes: tables.map(([cls]) => cls) };
}

/** Waits up to `timeoutS` for changes after `token` to the given classes. */
export function waitForEvents(session: XapiSession, classes: string[], token: string, timeoutS: number, signal?: AbortSignal): Promise<EventBatch> {
  return eventFrom(session, classes, token, timeoutS, signal);
}

async function eventFrom(session: XapiSession, classes: string[], token: string, timeoutS: number, signal?: AbortSignal): Promise<EventBatch> {
  const result = await session.longPoll(timeoutS, signal, 'event.from', classes, token, new XapiDouble(timeoutS));
  return readEventBatch(result, serverName(session.host, session.port));
}

const OPERATIONS = new Set(['add', 'mod', 'del']);

/** event.from's `{events, valid_ref_counts, token}`, every event checked: a broken one is the server's error, not ours. */
export function readEventBatch(result: unknown, where: string): EventBatch {
  if (!isPlainObject(result) || typeof result.token !== 'string') throw malformedAnswer(where, 'event.from gave no token');
  const raw = result.events ?? [];
  if (!Array.isArray(raw)) throw malformedAnswer(where, 'event.from gave no list of events');
  const events: XapiEvent[] = [];
  for (const e of raw) {
    if (!isPlainObject(e) || typeof e.class !== 'string' || typeof e.ref !== 'string' || typeof e.operation !== 'string' || !OPERATIONS.has(e.operation)) {
      throw malformedAnswer(where, 'event.from gave an event without class, ref or operation');
    }
    const snapshot = e.snapshot;
    if (snapshot !== undefined && snapshot !== null && !isPlainObject(snapshot)) throw malformedAnswer(where, `the event on ${e.ref.slice(0, 60)} carries no record`);
    events.push({ class: e.class, ref: e.ref, operation: e.operation as XapiEvent['operation'], snapshot: snapshot ?? undefined });
  }
  return { events, token: result.token };
}
