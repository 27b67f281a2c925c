// VM snapshot schedules (VMSS) as Xapi_vmss and Xapi_vm.set_snapshot_schedule
// serve them: the constructor and setters with xapi's checks (schedule keys and
// values per frequency, retained_snapshots 1-10, the VMSS and VSS licence
// features), destroy refused while VMs are assigned, snapshot_now running the
// schedule at once (vmss/plugin.ts), and the VM's side of the assignment.
import type { Param, SimCore } from '../core';
import type { XapiRecord } from '../database';
import { XapiFailure } from '../failure';
import { EPOCH, NULL_REF } from '../model';
import { runVmss } from '../vmss/plugin';
import { checkRetainedSnapshots, checkScheduleKeys, scheduleForFrequency, type VmssFrequency } from '../vmss/schedule-map';
import { SESSION } from './vm';

const SELF: Param = ['VMSS ref', 'self'];

/** Pool_features.assert_enabled: the pool's restrictions map says which features the licence withholds. */
function assertFeature(core: SimCore, feature: 'VMSS' | 'VSS'): void {
  for (const pool of core.db.records('pool').values()) {
    const restrictions = pool.restrictions as Record<string, string>;
    if (restrictions[`restrict_${feature.toLowerCase()}`] === 'true') throw new XapiFailure('LICENCE_RESTRICTION', feature);
  }
}

/** Xapi_vm_helpers.assert_vm_supports_quiesce_snapshot */
function assertSupportsQuiesce(core: SimCore, vm: string): void {
  const rec = core.db.get('VM', vm)!;
  for (const vbd of rec.VBDs as string[]) {
    const vdi = core.db.get('VDI', String(core.db.get('VBD', vbd)?.VDI));
    if ((vdi?.sm_config as Record<string, string> | undefined)?.on_boot === 'reset') throw new XapiFailure('VDI_ON_BOOT_MODE_INCOMPATIBLE_WITH_OPERATION');
  }
  const other = (core.db.get('VM_guest_metrics', rec.guest_metrics as string)?.other ?? {}) as Record<string, string>;
  if (!('feature-quiesce' in other) && !('feature-snapshot' in other)) throw new XapiFailure('VM_SNAPSHOT_WITH_QUIESCE_NOT_SUPPORTED', vm);
}

function stringMap(value: unknown, field: string): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new XapiFailure('FIELD_TYPE_ERROR', field);
  for (const v of Object.values(value)) if (typeof v !== 'string') throw new XapiFailure('FIELD_TYPE_ERROR', field);
  return value as Record<string, string>;
}

/** The constructor record: type and frequency are required, the rest have the data model's defaults. */
function readCreateArgs(core: SimCore, args: unknown): XapiRecord {
  if (!args || typeof args !== 'object' || Array.isArray(args)) throw new XapiFailure('FIELD_TYPE_ERROR', 'args');
  const a = args as Record<string, unknown>;
  const enumField = (field: string, enumName: string) => {
    const v = a[field];
    if (typeof v !== 'string' || !(core.model.enums.get(enumName) ?? []).includes(v)) throw new XapiFailure('FIELD_TYPE_ERROR', field);
    return v;
  };
  const text = (field: string) => {
    const v = a[field] ?? '';
    if (typeof v !== 'string') throw new XapiFailure('FIELD_TYPE_ERROR', field);
    return v;
  };
  const retained = a.retained_snapshots ?? 7;
  const retainedNumber = typeof retained === 'string' && /^-?\d+$/.test(retained) ? Number(retained) : retained;
  if (typeof retainedNumber !== 'number' || !Number.isInteger(retainedNumber)) throw new XapiFailure('FIELD_TYPE_ERROR', 'retained_snapshots');
  const enabled = a.enabled ?? true;
  if (typeof enabled !== 'boolean' && enabled !== 'true' && enabled !== 'false') throw new XapiFailure('FIELD_TYPE_ERROR', 'enabled');
  return {
    name_label: text('name_label'),
    name_description: text('name_description'),
    enabled: enabled === true || enabled === 'true',
    type: enumField('type', 'vmss_type'),
    retained_snapshots: retainedNumber,
    frequency: enumField('frequency', 'vmss_frequency'),
    schedule: stringMap(a.schedule ?? {}, 'schedule'),
  };
}

export function registerVmssMethods(core: SimCore): void {
  const vmss = (c: SimCore, ref: unknown) => c.db.get('VMSS', ref as string)!;
  /** the schedule as it stood before the last remove_from_schedule (xapi's workaround for `xe vmss-param-set`) */
  let scheduleBackup: Record<string, string> = {};

  core.register({
    name: 'VMSS.create',
    params: [SESSION, ['VMSS record', 'args']],
    errors: ['INVALID_VALUE', 'LICENCE_RESTRICTION'],
    run: ({ core: c }, [, args]) => {
      assertFeature(c, 'VMSS');
      const rec = readCreateArgs(c, args);
      if (rec.type === 'snapshot_with_quiesce') assertFeature(c, 'VSS');
      const frequency = rec.frequency as VmssFrequency;
      checkScheduleKeys(frequency, rec.schedule as Record<string, string>, {});
      const schedule = scheduleForFrequency(frequency, rec.schedule as Record<string, string>, rec.schedule as Record<string, string>);
      checkRetainedSnapshots(rec.retained_snapshots as number);
      const ref = c.db.add('VMSS', { ...rec, schedule, last_run_time: EPOCH, VMs: [] });
      c.vmssScheduler?.created(ref);
      return ref;
    },
  });
  core.register({
    name: 'VMSS.destroy',
    params: [SESSION, SELF],
    errors: ['VMSS_HAS_VM', 'LICENCE_RESTRICTION'],
    run: ({ core: c }, [, ref]) => {
      assertFeature(c, 'VMSS');
      const rec = vmss(c, ref);
      if ((rec.VMs as string[]).length > 0) throw new XapiFailure('VMSS_HAS_VM');
      for (const [m, msg] of [...c.db.records('message')]) if (msg.obj_uuid === rec.uuid) c.db.remove('message', m);
      c.db.remove('VMSS', ref as string);
      return undefined;
    },
  });
  core.register({
    name: 'VMSS.set_frequency',
    params: [SESSION, SELF, ['enum vmss_frequency', 'value']],
    errors: ['INVALID_VALUE', 'LICENCE_RESTRICTION'],
    run: ({ core: c }, [, ref, value]) => {
      assertFeature(c, 'VMSS');
      const stored = vmss(c, ref).schedule as Record<string, string>;
      const schedule = scheduleForFrequency(value as VmssFrequency, stored, stored);
      c.db.update('VMSS', ref as string, { frequency: value, schedule });
      return undefined;
    },
  });
  core.register({
    name: 'VMSS.set_schedule',
    params: [SESSION, SELF, ['(string -> string) map', 'value']],
    errors: ['INVALID_VALUE', 'LICENCE_RESTRICTION'],
    run: ({ core: c }, [, ref, value]) => {
      assertFeature(c, 'VMSS');
      const schedule = checkScheduleKeys(undefined, stringMap(value, 'value'), vmss(c, ref).schedule as Record<string, string>);
      c.db.set('VMSS', ref as string, 'schedule', schedule);
      return undefined;
    },
  });
  core.register({
    name: 'VMSS.add_to_schedule',
    params: [SESSION, SELF, ['string', 'key'], ['string', 'value']],
    errors: ['INVALID_VALUE', 'LICENCE_RESTRICTION', 'MAP_DUPLICATE_KEY'],
    run: ({ core: c }, [, ref, key, value]) => {
      assertFeature(c, 'VMSS');
      const stored = vmss(c, ref).schedule as Record<string, string>;
      const k = key as string;
      try {
        const checked = checkScheduleKeys(undefined, { [k]: value as string }, stored)[k]!;
        if (Object.hasOwn(stored, k)) throw new XapiFailure('MAP_DUPLICATE_KEY', 'VMSS', 'schedule', ref as string, k);
        c.db.set('VMSS', ref as string, 'schedule', { ...stored, [k]: checked });
      } catch (e) {
        // a refused value must not lose the key that remove_from_schedule took out just before
        if (!Object.hasOwn(stored, k) && Object.hasOwn(scheduleBackup, k)) c.db.set('VMSS', ref as string, 'schedule', { ...stored, [k]: scheduleBackup[k]! });
        throw e;
      }
      return undefined;
    },
  });
  core.register({
    name: 'VMSS.remove_from_schedule',
    params: [SESSION, SELF, ['string', 'key']],
    errors: ['LICENCE_RESTRICTION'],
    run: ({ core: c }, [, ref, key]) => {
      assertFeature(c, 'VMSS');
      scheduleBackup = { ...(vmss(c, ref).schedule as Record<string, string>) };
      const schedule = { ...scheduleBackup };
      delete schedule[key as string];
      c.db.set('VMSS', ref as string, 'schedule', schedule);
      return undefined;
    },
  });
  core.register({
    name: 'VMSS.set_retained_snapshots',
    params: [SESSION, SELF, ['int', 'value']],
    errors: ['INVALID_VALUE', 'LICENCE_RESTRICTION'],
    run: ({ core: c }, [, ref, value]) => {
      assertFeature(c, 'VMSS');
      checkRetainedSnapshots(value as number);
      c.db.set('VMSS', ref as string, 'retained_snapshots', value);
      return undefined;
    },
  });
  core.register({
    name: 'VMSS.set_type',
    params: [SESSION, SELF, ['enum vmss_type', 'value']],
    errors: ['LICENCE_RESTRICTION', 'VM_SNAPSHOT_WITH_QUIESCE_NOT_SUPPORTED', 'VDI_ON_BOOT_MODE_INCOMPATIBLE_WITH_OPERATION'],
    run: ({ core: c }, [, ref, value]) => {
      assertFeature(c, 'VMSS');
      if (value === 'snapshot_with_quiesce') {
        assertFeature(c, 'VSS');
        for (const vm of vmss(c, ref).VMs as string[]) assertSupportsQuiesce(c, vm);
      }
      c.db.set('VMSS', ref as string, 'type', value);
      return undefined;
    },
  });
  core.register({
    name: 'VMSS.set_last_run_time',
    params: [SESSION, SELF, ['datetime', 'value']],
    errors: ['LICENCE_RESTRICTION'],
    run: ({ core: c }, [, ref, value]) => {
      assertFeature(c, 'VMSS');
      c.db.set('VMSS', ref as string, 'last_run_time', value);
      return undefined;
    },
  });
  core.register({
    name: 'VMSS.snapshot_now',
    params: [SESSION, ['VMSS ref', 'vmss']],
    errors: ['LICENCE_RESTRICTION'],
    run: ({ core: c }, [, ref]) => {
      assertFeature(c, 'VMSS');
      runVmss(c, ref as string);
      return '';
    },
  });

  core.register({
    name: 'VM.set_snapshot_schedule',
    params: [SESSION, ['VM ref', 'self'], ['VMSS ref', 'value']],
    errors: ['INVALID_VALUE', 'LICENCE_RESTRICTION', 'VM_SNAPSHOT_WITH_QUIESCE_NOT_SUPPORTED', 'VDI_ON_BOOT_MODE_INCOMPATIBLE_WITH_OPERATION'],
    uncheckedRefs: ['value'],
    run: ({ core: c }, [, vm, value]) => {
      assertFeature(c, 'VMSS');
      const ref = value as string;
      const valid = c.db.get('VMSS', ref) !== undefined;
      if (!valid && ref !== NULL_REF && ref !== '') throw new XapiFailure('INVALID_VALUE', ref);
      if (valid) {
        const rec = c.db.get('VM', vm as string)!;
        // no schedule for a control domain; none for a template (snapshots are templates)
        if (rec.is_control_domain) throw new XapiFailure('INVALID_VALUE', ref);
        if (rec.is_a_template) throw new XapiFailure('VM_IS_TEMPLATE', vm as string);
        if (vmss(c, ref).type === 'snapshot_with_quiesce') {
          assertFeature(c, 'VSS');
          assertSupportsQuiesce(c, vm as string);
        }
      }
      c.db.set('VM', vm as string, 'snapshot_schedule', valid ? ref : NULL_REF);
      return undefined;
    },
  });
}
