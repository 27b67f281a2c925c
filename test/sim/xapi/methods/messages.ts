// Alerts as xapi keeps them (class `message`): create with xapi's check that the
// object exists (UUID_INVALID naming the class), destroy and destroy_many, get_since
// (stamped after the given time) and get (one object's, since a time). Each message
// is a row of the `message` table, so event.from reports it (class "message", add/del).
// get_record, get_all, get_all_records and get_by_uuid are the generic ones.
import type { Param, SimCore } from '../core';
import type { XapiRecord } from '../database';
import { XapiFailure } from '../failure';

const SESSION: Param = ['session ref', 'session_id'];

/** The data model's `cls` enum → the class whose uuid a message names. */
const CLASS_OF_CLS: Record<string, string> = {
  VM: 'VM',
  Host: 'host',
  SR: 'SR',
  Pool: 'pool',
  VMPP: 'VMPP',
  VMSS: 'VMSS',
  PVS_proxy: 'PVS_proxy',
  VDI: 'VDI',
  Certificate: 'Certificate',
};

/** XAPI's datetime on the wire (20240131T12:34:56Z, also with dashes or a fraction) as epoch ms; NaN when unreadable. */
export function readXapiDate(text: string): number {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) return NaN;
  const zone = !m[7] || m[7] === 'Z' ? 'Z' : `${m[7].slice(0, 3)}:${m[7].slice(-2)}`;
  return Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`);
}

function since(core: SimCore, text: string, keep: (rec: XapiRecord) => boolean = () => true): Record<string, XapiRecord> {
  const after = readXapiDate(text);
  if (Number.isNaN(after)) throw new XapiFailure('INVALID_VALUE', 'since', text);
  const out: Record<string, XapiRecord> = {};
  for (const [ref, rec] of core.db.records('message')) if (readXapiDate(String(rec.timestamp)) > after && keep(rec)) out[ref] = rec;
  return out;
}

export function registerMessageMethods(core: SimCore): void {
  core.register({
    name: 'message.create',
    params: [SESSION, ['string', 'name'], ['int', 'priority'], ['enum cls', 'cls'], ['string', 'obj_uuid'], ['string', 'body']],
    errors: ['UUID_INVALID'],
    run: ({ core: c }, [, name, priority, cls, objUuid, body]) => {
      const table = CLASS_OF_CLS[cls as string];
      if (!table || !c.db.byUuid(table, objUuid as string)) throw new XapiFailure('UUID_INVALID', cls as string, objUuid as string);
      return c.db.add('message', { name, priority, cls, obj_uuid: objUuid, body, timestamp: c.now() });
    },
  });
  core.register({
    name: 'message.destroy',
    params: [SESSION, ['message ref', 'self']],
    errors: [],
    run: ({ core: c }, [, ref]) => {
      c.db.remove('message', ref as string);
      return undefined;
    },
  });
  core.register({
    name: 'message.destroy_many',
    params: [SESSION, ['message ref set', 'messages']],
    errors: [],
    run: ({ core: c }, [, refs]) => {
      for (const ref of refs as string[]) if (c.db.get('message', ref)) c.db.remove('message', ref);
      return undefined;
    },
  });
  core.register({
    name: 'message.get_since',
    params: [SESSION, ['datetime', 'since']],
    errors: [],
    run: ({ core: c }, [, after]) => since(c, after as string),
  });
  core.register({
    name: 'message.get',
    params: [SESSION, ['enum cls', 'cls'], ['string', 'obj_uuid'], ['datetime', 'since']],
    errors: [],
    run: ({ core: c }, [, cls, objUuid, after]) => since(c, after as string, (rec) => rec.cls === cls && rec.obj_uuid === objUuid),
  });
}
