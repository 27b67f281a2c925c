// The simulator's call path, independent of transport: method lookup,
// parameter count and type checks, session and handle validation, faults, and
// Async.* dispatch into tasks. Mirrors the order in which xapi checks a call.
import { XapiFailure } from './failure';
import { startTask } from './tasks';
import { type XapiDatabase, xapiDate } from './database';
import { XmlRpcEncoders } from './xmlrpc';
import { NULL_REF, type XType, type XapiModel, parseType } from './model';
import { SimClock } from './clock';
import type { SimDirectory } from './directory';
import { authorize } from './rbac';

export type Param = readonly [type: string, name: string];

export interface CallContext {
  core: SimCore;
  /** the caller's session ref (when the method takes one) */
  session: string;
  /** set while running inside an Async task */
  taskRef?: string;
}

/** What an Async task locks while it runs (shown in the object's current_operations). */
export interface OperationLock {
  cls: string;
  ref: string;
  op: string;
}

export interface MethodDef {
  /** Class.message */
  name: string;
  /** parameters as the data model lists them, session_id first when there is one */
  params: readonly Param[];
  /** xapi accepts calls without trailing parameters that have defaults (e.g. login's version/originator) */
  minArgs?: number;
  /** error codes this method raises besides the generic ones */
  errors: readonly string[];
  /** whether Async.<name> exists */
  async?: boolean;
  /** result type when the data model has no usable one (event.from, system.listMethods) */
  result?: XType | 'eventBatch';
  run(ctx: CallContext, args: unknown[]): unknown | Promise<unknown>;
  /** validates before an Async task starts; returns what the task locks */
  precheck?(ctx: CallContext, args: unknown[]): OperationLock | void;
  /** ref parameters the method checks itself (VM.set_snapshot_schedule takes a null or dangling VMSS ref and answers INVALID_VALUE) */
  uncheckedRefs?: readonly string[];
}

export interface ResolvedOptions {
  user: string;
  password: string;
  taskDurationMs: number;
  slaveOf?: { host: string };
  /** host:port the simulator is reachable at (for console locations) */
  publicAddress: () => string;
  /** served over HTTPS (default true): the scheme of the addresses handed out (host.migrate_receive) */
  tls?: boolean;
  /** IANA zone of the pool master's clock: xapi runs snapshot schedules in the master's local time */
  timeZone: string;
  /** the Active Directory pool.enable_external_auth can join (users, groups, the joining account) */
  directory?: SimDirectory;
}

export interface FaultState {
  delays: Map<string, number>; // '' = every call
  failures: Map<string, { description: string[]; remaining: number }>;
  /** run once, right after the answer to the method was written (the caller has not read it yet) */
  afterAnswer: Map<string, () => void>;
}

export type CallOutcome =
  | { ok: true; value: unknown; type: XType | 'eventBatch' }
  | { ok: false; description: string[] };

export class SimCore {
  readonly methods = new Map<string, MethodDef>();
  readonly faults: FaultState = { delays: new Map(), failures: new Map(), afterAnswer: new Map() };
  /** hooks the transport layer uses to end long polls (restart, logout) */
  readonly aborters = new Set<() => void>();
  /** per-class calculators of allowed_operations, refreshed after a task releases its lock */
  readonly allowedOperations = new Map<string, (core: SimCore, ref: string) => string[]>();
  readonly xml: XmlRpcEncoders;
  readonly clock = new SimClock();
  /** the snapshot-schedule runner, told of each new schedule so it runs only for times after its creation */
  vmssScheduler?: { created(ref: string): void };
  private domid = 1;

  constructor(
    readonly db: XapiDatabase,
    readonly model: XapiModel,
    readonly opts: ResolvedOptions,
  ) {
    this.xml = new XmlRpcEncoders(model);
  }

  /** Recomputes allowed_operations of an object (no-op for classes without a calculator). */
  emitAllowedOperations(cls: string, ref: string): void {
    const calc = this.allowedOperations.get(cls);
    if (!calc || !this.db.get(cls, ref)) return;
    const rec = this.db.get(cls, ref)!;
    if (Object.keys(rec.current_operations as object).length) return;
    const next = calc(this, ref);
    const prev = rec.allowed_operations as string[];
    if (prev.length !== next.length || prev.some((op, i) => op !== next[i])) this.db.set(cls, ref, 'allowed_operations', next);
  }

  register(def: MethodDef): void {
    this.methods.set(def.name, def);
  }

  nextDomid(): number {
    return this.domid++;
  }

  /** The pool master (every call is answered "by" it). */
  masterHost(): string {
    const pool = this.db.records('pool').values().next().value as Record<string, unknown> | undefined;
    const master = pool?.master as string | undefined;
    if (master && this.db.get('host', master)) return master;
    return (this.db.records('host').keys().next().value as string | undefined) ?? NULL_REF;
  }

  /** The simulator's time in XAPI's wire form (tests move the clock forward). */
  now(): string {
    return xapiDate(this.clock.now());
  }

  /** Consumes a configured failure for `method`, throwing it. */
  takeFailure(method: string): void {
    const f = this.faults.failures.get(method);
    if (!f) return;
    if (--f.remaining <= 0) this.faults.failures.delete(method);
    throw new XapiFailure(f.description[0], ...f.description.slice(1));
  }

  /** Runs (once) what a test wanted to happen once `method` was answered. */
  answered(method: string): void {
    const hook = this.faults.afterAnswer.get(method);
    if (!hook) return;
    this.faults.afterAnswer.delete(method);
    hook();
  }

  resultTypeOf(def: MethodDef): XType | 'eventBatch' {
    if (def.result) return def.result;
    const dot = def.name.indexOf('.');
    const msg = this.model.classes.get(def.name.slice(0, dot))?.messages.get(def.name.slice(dot + 1));
    return msg ? parseType(msg.result[0]) : { kind: 'any' };
  }

  async call(method: string, rawArgs: unknown[]): Promise<CallOutcome> {
    try {
      const delay = this.faults.delays.get(method) ?? this.faults.delays.get('');
      if (delay) await new Promise((r) => setTimeout(r, delay));
      const isAsync = method.startsWith('Async.');
      const name = isAsync ? method.slice(6) : method;
      const def = this.methods.get(name);
      if (!def || (isAsync && !def.async)) throw new XapiFailure('MESSAGE_METHOD_UNKNOWN', method);
      const args = this.checkArgs(method, def, rawArgs);
      const ctx: CallContext = { core: this, session: def.params[0]?.[1] === 'session_id' ? (args[0] as string) : '' };
      authorize(this, ctx.session, name);
      if (isAsync) {
        return { ok: true, value: startTask(ctx, def, args), type: { kind: 'ref', cls: 'task' } };
      }
      this.takeFailure(method);
      const value = await def.run(ctx, args);
      return { ok: true, value, type: this.resultTypeOf(def) };
    } catch (e) {
      if (e instanceof XapiFailure) return { ok: false, description: e.description };
      return { ok: false, description: ['INTERNAL_ERROR', e instanceof Error ? e.message : String(e)] };
    }
  }

  private checkArgs(method: string, def: MethodDef, args: unknown[]): unknown[] {
    const max = def.params.length;
    const min = def.minArgs ?? max;
    if (args.length < min || args.length > max) {
      throw new XapiFailure('MESSAGE_PARAMETER_COUNT_MISMATCH', method, String(max), String(args.length));
    }
    const out = args.slice();
    def.params.forEach(([typeText, name], i) => {
      if (i >= out.length) return;
      if (def.uncheckedRefs?.includes(name)) {
        if (typeof out[i] !== 'string') throw new XapiFailure('FIELD_TYPE_ERROR', name);
        return;
      }
      if (name === 'session_id' && typeText === 'session ref') {
        const s = out[i];
        if (typeof s !== 'string' || !this.db.get('session', s)) throw new XapiFailure('SESSION_INVALID', String(s));
        return;
      }
      const type = parseType(typeText);
      out[i] = coerce(out[i], type, name);
      // an enum value the data model does not list does not unmarshal
      if (type.kind === 'enum' && !(this.model.enums.get(type.name) ?? []).includes(out[i] as string)) throw new XapiFailure('FIELD_TYPE_ERROR', name);
      const cls = type.kind === 'ref' ? this.model.className(type.cls) : undefined;
      if (cls && !this.db.get(cls, out[i] as string)) throw new XapiFailure('HANDLE_INVALID', cls, out[i] as string);
    });
    return out;
  }
}

/** Accepts what real clients send: XML-RPC ints and floats often arrive as strings. */
export function coerce(v: unknown, t: XType, name: string): unknown {
  const bad = (): never => {
    throw new XapiFailure('FIELD_TYPE_ERROR', name);
  };
  switch (t.kind) {
    case 'string':
    case 'ref':
    case 'enum':
    case 'datetime':
      return typeof v === 'string' ? v : bad();
    case 'int': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
      return Number.isInteger(n) ? n : bad();
    }
    case 'float': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      return Number.isFinite(n) ? n : bad();
    }
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      return bad();
    case 'set':
      return Array.isArray(v) ? v.map((e) => coerce(e, t.of, name)) : bad();
    case 'map':
      return v && typeof v === 'object' && !Array.isArray(v) ? v : bad();
    default:
      return v;
  }
}
