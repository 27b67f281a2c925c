// Host operations as xapi does them (Xapi_host, Xapi_host_helpers.valid_operations):
// disable/enable (`enabled`), evacuate (every guest moved by the evacuation plan, or the
// first VM's reason), get_vms_which_prevent_evacuation (VM → [code, params…]),
// assert_can_evacuate (CANNOT_EVACUATE_HOST ["code,params|…"]), reboot/shutdown (only a
// disabled host without running guests: HOST_NOT_DISABLED [], HOST_IN_USE [host, "vm", vm]),
// power_on (a host that is down and has a power-on mode: HOST_IS_LIVE [host],
// HOST_POWER_ON_MODE_DISABLED []), compute_free_memory and migrate_receive.
import type { CallContext, MethodDef, Param, SimCore } from '../core';
import { XapiFailure } from '../failure';
import { evacuationPlan, hostFreeMemory, hostIsLive, residentGuests } from './placement';
import { SESSION } from './vm';
import { moveVm } from './vm-migrate';

const HOST: Param = ['host ref', 'host'];

/** xapi's valid_operations for a host. */
export function hostAllowedOperations(core: SimCore, ref: string): string[] {
  const host = core.db.get('host', ref)!;
  if (!hostIsLive(core, ref)) return host.power_on_mode ? ['power_on'] : [];
  const ops = ['provision', 'evacuate', 'vm_start', 'vm_resume', 'vm_migrate'];
  if (!host.enabled) ops.push('reboot', 'shutdown');
  return ops;
}

function setLive(core: SimCore, host: string, live: boolean): void {
  const metrics = core.db.get('host', host)!.metrics as string;
  if (core.db.get('host_metrics', metrics)) core.db.update('host_metrics', metrics, { live, last_updated: core.now() });
}

function refreshHost(core: SimCore, host: string): void {
  core.emitAllowedOperations('host', host);
}

/** A message that runs on the host itself fails while the host is down (xapi's message forwarding). */
function assertReachable(core: SimCore, host: string): void {
  if (!hostIsLive(core, host)) throw new XapiFailure('HOST_OFFLINE', host);
}

function assertBaconMode(core: SimCore, host: string): void {
  assertReachable(core, host);
  if (core.db.get('host', host)!.enabled) throw new XapiFailure('HOST_NOT_DISABLED');
  const running = residentGuests(core, host).find((vm) => core.db.get('VM', vm)!.power_state === 'Running');
  if (running) throw new XapiFailure('HOST_IN_USE', host, 'vm', running);
}

function planErrors(core: SimCore, host: string): Array<[string, string[]]> {
  return [...evacuationPlan(core, host)].flatMap(([vm, p]) => ('error' in p ? [[vm, p.error] as [string, string[]]] : []));
}

/** A host operation run as a task that locks the host (current_operations) while it runs. */
function hostOp(name: string, op: string, check: (core: SimCore, host: string) => void, apply: (ctx: CallContext, host: string) => void, errors: string[]): MethodDef {
  return {
    name,
    params: [SESSION, HOST],
    errors,
    async: true,
    precheck: ({ core }, args) => {
      check(core, args[1] as string);
      return { cls: 'host', ref: args[1] as string, op };
    },
    run: (ctx, args) => {
      check(ctx.core, args[1] as string);
      apply(ctx, args[1] as string);
      refreshHost(ctx.core, args[1] as string);
      return undefined;
    },
  };
}

export function registerHostActionMethods(core: SimCore): void {
  core.allowedOperations.set('host', hostAllowedOperations);
  for (const [op, enabled] of [['disable', false], ['enable', true]] as const) {
    core.register({
      name: `host.${op}`,
      params: [SESSION, HOST],
      errors: ['HOST_OFFLINE'],
      async: true,
      run: ({ core: c }, [, host]) => {
        assertReachable(c, host as string);
        if (c.db.get('host', host as string)!.enabled !== enabled) c.db.set('host', host as string, 'enabled', enabled);
        refreshHost(c, host as string);
        return undefined;
      },
    });
  }
  core.register({
    name: 'host.get_vms_which_prevent_evacuation',
    params: [SESSION, ['host ref', 'self']],
    errors: [],
    async: true,
    run: ({ core: c }, [, host]) => Object.fromEntries(planErrors(c, host as string)),
  });
  core.register({
    name: 'host.assert_can_evacuate',
    params: [SESSION, HOST],
    errors: ['CANNOT_EVACUATE_HOST'],
    async: true,
    run: ({ core: c }, [, host]) => {
      const errors = planErrors(c, host as string).map(([, e]) => e.join(','));
      if (errors.length) throw new XapiFailure('CANNOT_EVACUATE_HOST', errors.join('|'));
      return undefined;
    },
  });
  core.register({
    ...hostOp(
      'host.evacuate',
      'evacuate',
      (c, host) => {
        assertReachable(c, host);
        const first = planErrors(c, host)[0];
        if (first) throw new XapiFailure(first[1][0]!, ...first[1].slice(1));
      },
      ({ core: c }, host) => {
        for (const [vm, p] of evacuationPlan(c, host)) if ('host' in p) moveVm(c, vm, p.host);
      },
      ['HOST_OFFLINE', 'NO_HOSTS_AVAILABLE', 'HOST_NOT_ENOUGH_FREE_MEMORY', 'VM_REQUIRES_SR', 'HOST_DISABLED', 'HOST_NOT_LIVE'],
    ),
    params: [SESSION, HOST, ['network ref', 'network'], ['int', 'evacuate_batch_size']],
    // network and batch size came later, with defaults: older clients send the host only; a null network is the default
    minArgs: 2,
    uncheckedRefs: ['network'],
  });
  core.register(
    hostOp('host.reboot', 'reboot', assertBaconMode, ({ core: c }, host) => {
      setLive(c, host, false);
      // the host comes back after a while, enabled again (xapi enables a host once it has started)
      setTimeout(() => {
        if (!c.db.get('host', host)) return;
        setLive(c, host, true);
        c.db.set('host', host, 'enabled', true);
        refreshHost(c, host);
      }, c.opts.taskDurationMs);
    }, ['HOST_OFFLINE', 'HOST_NOT_DISABLED', 'HOST_IN_USE']),
  );
  core.register(hostOp('host.shutdown', 'shutdown', assertBaconMode, ({ core: c }, host) => setLive(c, host, false), ['HOST_OFFLINE', 'HOST_NOT_DISABLED', 'HOST_IN_USE']));
  core.register(
    hostOp(
      'host.power_on',
      'power_on',
      (c, host) => {
        if (hostIsLive(c, host)) throw new XapiFailure('HOST_IS_LIVE', host);
        if (!c.db.get('host', host)!.power_on_mode) throw new XapiFailure('HOST_POWER_ON_MODE_DISABLED');
      },
      ({ core: c }, host) => {
        setLive(c, host, true);
        c.db.set('host', host, 'enabled', true);
      },
      ['HOST_IS_LIVE', 'HOST_POWER_ON_MODE_DISABLED'],
    ),
  );
  core.register({
    name: 'host.compute_free_memory',
    params: [SESSION, HOST],
    errors: [],
    async: true,
    run: ({ core: c }, [, host]) => hostFreeMemory(c, host as string),
  });
  core.register({
    name: 'host.migrate_receive',
    params: [SESSION, HOST, ['network ref', 'network'], ['(string -> string) map', 'options']],
    errors: ['HOST_OFFLINE'],
    async: true,
    run: ({ core: c }, [, host]) => {
      assertReachable(c, host as string);
      const now = c.now();
      // xapi logs in a session of its own for the move; the source uses it to talk to us
      const session = c.db.add('session', { this_host: host, last_active: now, validation_time: now, pool: true, is_local_superuser: true, auth_user_name: 'root', originator: 'migrate_receive' });
      const base = `${c.opts.tls === false ? 'http' : 'https'}://${c.opts.publicAddress()}`;
      return {
        SM: `${base}/services/SM?session_id=${session}`,
        host: host as string,
        xenops: `${base}/services/xenops?session_id=${session}`,
        session_id: session,
        master: `${base}/`,
      };
    },
  });
}
