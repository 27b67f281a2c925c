// The implicit messages xapi generates for every class — get_record, get_all,
// get_all_records, get_by_uuid, get_by_name_label, get_<field>, set_<field>,
// add_to_/remove_from_<map field>, add_/remove_<set field> — served for each
// class where the data model lists them. Parameter lists are built by rule
// (reference.test.ts checks them against the data model).
import type { MethodDef, Param, SimCore } from '../core';
import { XapiFailure } from '../failure';
import type { ClassModel } from '../model';

const SESSION: Param = ['session ref', 'session_id'];

export function registerGenericMethods(core: SimCore): void {
  for (const c of core.model.classes.values()) {
    for (const msg of c.messages.values()) {
      // `message` has hand-written get_all_records & co in xapi, with the usual shape
      if (!msg.implicit && !['get_record', 'get_all', 'get_all_records', 'get_by_uuid'].includes(msg.name)) continue;
      const def = genericMethod(c, msg.name);
      if (def) core.register(def);
    }
  }
}

function genericMethod(c: ClassModel, message: string): MethodDef | undefined {
  const cls = c.name;
  const self: Param = [`${cls} ref`, 'self'];
  const name = `${cls}.${message}`;
  const base = { name, errors: [] as string[] };
  switch (message) {
    case 'get_record':
      return { ...base, params: [SESSION, self], run: ({ core }, [, ref]) => core.db.get(cls, ref as string) };
    case 'get_all':
      return { ...base, params: [SESSION], run: ({ core }) => [...core.db.records(cls).keys()] };
    case 'get_all_records':
      return { ...base, params: [SESSION], run: ({ core }) => Object.fromEntries(core.db.records(cls)) };
    case 'get_by_uuid':
      return {
        ...base,
        params: [SESSION, ['string', 'uuid']],
        run: ({ core }, [, uuid]) => {
          const ref = core.db.byUuid(cls, uuid as string);
          if (!ref) throw new XapiFailure('UUID_INVALID', cls, uuid as string);
          return ref;
        },
      };
    case 'get_by_name_label':
      return {
        ...base,
        params: [SESSION, ['string', 'label']],
        run: ({ core }, [, label]) => {
          const out: string[] = [];
          for (const [ref, rec] of core.db.records(cls)) if (rec.name_label === label) out.push(ref);
          return out;
        },
      };
  }
  const fieldOf = (prefix: string) => {
    if (!message.startsWith(prefix)) return undefined;
    const f = c.fields.find((x) => x.name === message.slice(prefix.length));
    return f;
  };
  let f = fieldOf('get_');
  if (f) {
    const field = f.name;
    return { ...base, params: [SESSION, self], run: ({ core }, [, ref]) => core.db.get(cls, ref as string)![field] };
  }
  f = fieldOf('set_');
  if (f) {
    const field = f.name;
    return {
      ...base,
      params: [SESSION, self, [f.typeText, 'value']],
      run: ({ core }, [, ref, value]) => {
        core.db.set(cls, ref as string, field, value);
        return undefined;
      },
    };
  }
  f = fieldOf('add_to_');
  if (f && f.type.kind === 'map') {
    const field = f.name;
    return {
      ...base,
      errors: ['MAP_DUPLICATE_KEY'],
      params: [SESSION, self, [mapTypes(f.typeText)[0], 'key'], [mapTypes(f.typeText)[1], 'value']],
      run: ({ core }, [, ref, key, value]) => {
        const map = core.db.get(cls, ref as string)![field] as Record<string, unknown>;
        if (key as string in map) throw new XapiFailure('MAP_DUPLICATE_KEY', cls, field, ref as string, key as string);
        core.db.set(cls, ref as string, field, { ...map, [key as string]: value });
        return undefined;
      },
    };
  }
  f = fieldOf('remove_from_');
  if (f && f.type.kind === 'map') {
    const field = f.name;
    return {
      ...base,
      params: [SESSION, self, [mapTypes(f.typeText)[0], 'key']],
      run: ({ core }, [, ref, key]) => {
        const map = { ...(core.db.get(cls, ref as string)![field] as Record<string, unknown>) };
        delete map[key as string];
        core.db.set(cls, ref as string, field, map);
        return undefined;
      },
    };
  }
  f = fieldOf('add_');
  if (f && f.type.kind === 'set') {
    const field = f.name;
    const elem = f.typeText.slice(0, -4);
    return {
      ...base,
      params: [SESSION, self, [elem, 'value']],
      run: ({ core }, [, ref, value]) => {
        const set = core.db.get(cls, ref as string)![field] as unknown[];
        if (!set.includes(value)) core.db.set(cls, ref as string, field, [...set, value]);
        return undefined;
      },
    };
  }
  f = fieldOf('remove_');
  if (f && f.type.kind === 'set') {
    const field = f.name;
    const elem = f.typeText.slice(0, -4);
    return {
      ...base,
      params: [SESSION, self, [elem, 'value']],
      run: ({ core }, [, ref, value]) => {
        const set = core.db.get(cls, ref as string)![field] as unknown[];
        core.db.set(cls, ref as string, field, set.filter((x) => x !== value));
        return undefined;
      },
    };
  }
  return undefined;
}

/** `(K -> V) map` → [K, V] */
function mapTypes(typeText: string): [string, string] {
  const inner = typeText.slice(1, typeText.lastIndexOf(')'));
  const arrow = inner.indexOf(' -> ');
  return [inner.slice(0, arrow), inner.slice(arrow + 4)];
}
