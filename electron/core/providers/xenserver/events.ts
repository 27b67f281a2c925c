// The initial snapshot and XAPI's event.from long poll.

import { keepNeeded, WATCHED_CLASSES, type XapiEvent, type XapiRecord } from './records';
import type { XapiSession } from './session';
import { XapiDouble } from './transport';

export interface EventBatch {
  events: XapiEvent[];
  token: string;
}

export interface Snapshot {
  /** class → (ref → record) */
  tables: Array<[cls: string, records: Record<string, XapiRecord>]>;
  /** where the event stream continues from */
  token: string;
}

interface EventFromResult {
  events?: XapiEvent[];
  token?: unknown;
}

const CLASSES = [...WATCHED_CLASSES];

/**
 * Every watched object. The token is taken first (from a tiny event.from on the
 * one pool object), so anything that changes while the records load is replayed
 * by the next poll. One get_all_records per class, all in flight at once: the
 * server serializes the large VM table while the small ones are already parsed.
 * Records arrive reduced to the fields the inventory reads.
 */
export async function fetchEverything(session: XapiSession): Promise<Snapshot> {
  const { token } = await eventFrom(session, ['pool'], '', 0);
  const tables = await Promise.all(
    CLASSES.map(async (cls): Promise<[string, Record<string, XapiRecord>]> => {
      const key = cls.toLowerCase();
      return [cls, await session.allRecords(cls, (record) => keepNeeded(key, record))];
    }),
  );
  return { tables, token };
}

/** Waits up to `timeoutS` for changes after `token`. */
export function waitForEvents(session: XapiSession, token: string, timeoutS: number): Promise<EventBatch> {
  // the HTTP call may legitimately last the whole poll: give it extra room
  return eventFrom(session, CLASSES, token, timeoutS, timeoutS * 1000 + 30_000);
}

async function eventFrom(
  session: XapiSession,
  classes: string[],
  token: string,
  timeoutS: number,
  callTimeoutMs?: number,
): Promise<EventBatch> {
  const args = [classes, token, new XapiDouble(timeoutS)];
  const result = callTimeoutMs
    ? await session.callWithTimeout<EventFromResult>(callTimeoutMs, 'event.from', ...args)
    : await session.call<EventFromResult>('event.from', ...args);
  return { events: Array.isArray(result?.events) ? result.events : [], token: String(result?.token ?? '') };
}
