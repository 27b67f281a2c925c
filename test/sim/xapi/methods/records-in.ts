// Constructor records (`VDI.create(args)`, `VBD.create`, `VIF.create`) as xapi
// unmarshals them: each known field converted to its data-model type (XML-RPC
// sends ints as strings), unknown fields ignored, missing ones at their default.
import { coerce, type SimCore } from '../core';
import type { XapiRecord } from '../database';
import { XapiFailure } from '../failure';

export function recordArg(core: SimCore, cls: string, raw: unknown): XapiRecord {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new XapiFailure('FIELD_TYPE_ERROR', 'args');
  const out: XapiRecord = {};
  for (const f of core.model.cls(cls).fields) {
    const value = (raw as XapiRecord)[f.name];
    if (value === undefined || f.name === 'uuid') continue;
    out[f.name] = coerce(value, f.type, f.name);
    if (f.type.kind === 'enum' && !(core.model.enums.get(f.type.name) ?? []).includes(out[f.name] as string)) throw new XapiFailure('FIELD_TYPE_ERROR', f.name);
  }
  return out;
}

/** A ref field of a constructor record that must name a live object (xapi: HANDLE_INVALID [class, ref]). */
export function liveRef(core: SimCore, cls: string, ref: unknown): string {
  if (typeof ref !== 'string' || !core.db.get(cls, ref)) throw new XapiFailure('HANDLE_INVALID', cls, String(ref));
  return ref;
}
