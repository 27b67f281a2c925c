// session.*, system.listMethods and event.* (from, inject, get_current_id).
import type { CallContext, Param, SimCore } from '../core';
import { type XapiEvent, formatToken, parseToken } from '../database';
import { XapiFailure } from '../failure';
import { externalLogin } from './access';

const SESSION: Param = ['session ref', 'session_id'];

export function registerSessionMethods(core: SimCore): void {
  core.register({
    name: 'session.login_with_password',
    params: [
      ['string', 'uname'],
      ['string', 'pwd'],
      ['string', 'version'],
      ['string', 'originator'],
    ],
    minArgs: 2, // version and originator have defaults in xapi
    errors: ['SESSION_AUTHENTICATION_FAILED', 'HOST_IS_SLAVE', 'RBAC_PERMISSION_DENIED'],
    run: ({ core }, [uname, pwd, , originator]) => {
      if (core.opts.slaveOf) throw new XapiFailure('HOST_IS_SLAVE', core.opts.slaveOf.host);
      const local = uname === core.opts.user && pwd === core.opts.password;
      // with external authentication on, a name that is not the local superuser's is asked of the directory
      const external = !local && core.opts.directory && core.db.get('host', core.masterHost())?.external_auth_type === 'AD';
      if (!local && !external) {
        throw new XapiFailure('SESSION_AUTHENTICATION_FAILED', String(uname), 'Authentication failure');
      }
      const who = external ? externalLogin(core, String(uname), String(pwd), 'polyvisor-simulator') : { is_local_superuser: true, auth_user_name: String(uname) };
      const now = core.now();
      return core.db.add('session', {
        this_host: core.masterHost(),
        last_active: now,
        validation_time: now,
        pool: false,
        ...who,
        originator: typeof originator === 'string' ? originator : '',
      });
    },
  });

  core.register({
    name: 'session.logout',
    params: [SESSION],
    errors: [],
    run: ({ core, session }) => {
      core.db.remove('session', session);
      return undefined;
    },
  });

  core.register({
    name: 'session.local_logout',
    params: [SESSION],
    errors: [],
    run: ({ core, session }) => {
      core.db.remove('session', session);
      return undefined;
    },
  });

  core.register({
    name: 'system.listMethods',
    params: [],
    errors: [],
    result: { kind: 'set', of: { kind: 'string' } },
    run: ({ core }) => listMethods(core),
  });

  core.register({
    name: 'event.get_current_id',
    params: [SESSION],
    errors: [],
    run: ({ core }) => core.db.generation,
  });

  core.register({
    name: 'event.inject',
    params: [SESSION, ['string', 'class'], ['string', 'ref']],
    errors: [],
    run: ({ core }, [, cls, ref]) => {
      const name = core.model.className(cls as string);
      if (!name || !core.db.get(name, ref as string)) throw new XapiFailure('HANDLE_INVALID', String(cls), String(ref));
      core.db.touch(ref as string);
      core.db.emit('change', core.db.generation);
      return formatToken(core.db.generation);
    },
  });

  core.register({
    name: 'event.from',
    params: [SESSION, ['string set', 'classes'], ['string', 'token'], ['float', 'timeout']],
    errors: ['EVENTS_LOST', 'EVENT_FROM_TOKEN_PARSE_FAILURE'],
    result: 'eventBatch',
    run: (ctx, [, classes, token, timeout]) => eventFrom(ctx, classes as string[], token as string, timeout as number),
  });
}

export function listMethods(core: SimCore): string[] {
  const out: string[] = [];
  for (const def of core.methods.values()) {
    out.push(def.name);
    if (def.async) out.push(`Async.${def.name}`);
  }
  return out;
}

export interface EventBatch {
  events: XapiEvent[];
  valid_ref_counts: Record<string, number>;
  token: string;
}

async function eventFrom(ctx: CallContext, classes: string[], token: string, timeout: number): Promise<EventBatch> {
  const { core } = ctx;
  const db = core.db;
  let wanted: Set<string> | '*' = new Set();
  for (const c of classes) {
    if (c === '*') {
      wanted = '*';
      break;
    }
    const name = core.model.className(c);
    if (name) wanted.add(name);
  }
  const batch = (events: XapiEvent[]): EventBatch => {
    const counts: Record<string, number> = {};
    for (const cls of wanted === '*' ? db.classes() : wanted) counts[cls.toLowerCase()] = db.records(cls).size;
    return { events, valid_ref_counts: counts, token: formatToken(db.generation) };
  };
  if (token === '') return batch(db.allAsEvents(wanted));
  const since = parseToken(token);
  if (since === undefined) throw new XapiFailure('EVENT_FROM_TOKEN_PARSE_FAILURE', token);

  const deadline = Date.now() + Math.max(0, timeout) * 1000;
  for (;;) {
    if (!db.get('session', ctx.session)) throw new XapiFailure('SESSION_INVALID', ctx.session);
    const events = db.eventsSince(wanted, since);
    if (events.length) return batch(events);
    const left = deadline - Date.now();
    if (left <= 0) return batch([]);
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        db.off('change', done);
        core.aborters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, left);
      db.on('change', done);
      core.aborters.add(done);
    });
  }
}
