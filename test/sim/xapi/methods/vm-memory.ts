// Memory and vCPUs with xapi's checks (Xapi_vm.set_memory_*, Vm_memory_constraints,
// Xapi_vm.set_VCPUs_*). The power states come from the operation each message
// takes (changing_memory_limits and changing_VCPUs: halted; changing_dynamic_range:
// halted or running; changing_VCPUs_live: running). Memory must satisfy
// static_min ≤ dynamic_min ≤ dynamic_max ≤ static_max, and without dynamic memory
// control (pool.restrictions restrict_dmc) dynamic_min = dynamic_max = static_max.
// xapi of the data model's release answers MEMORY_CONSTRAINT_VIOLATION with the
// constraint in words; later releases split it into _ORDER [] and _MAXPIN [reason].
import type { SimCore } from '../core';
import { XapiFailure } from '../failure';
import { SESSION, vmOp } from './vm';

const ORDER = 'Memory limits must satisfy: static_min ≤ dynamic_min ≤ dynamic_max ≤ static_max';
const PINNED = 'Memory limits must satisfy: static_min ≤ dynamic_min = dynamic_max = static_max';
const VCPUS_AT_STARTUP = 'VCPU values must satisfy: 0 < VCPUs_at_startup ≤ VCPUs_max';
const VCPUS_LIVE = 'VCPU values must satisfy: 0 < VCPUs ≤ VCPUs_max';
const SELF = ['VM ref', 'self'] as const;

interface Memory {
  static_min: number;
  dynamic_min: number;
  dynamic_max: number;
  static_max: number;
}

function memoryOf(core: SimCore, vm: string): Memory {
  const r = core.db.get('VM', vm)!;
  return {
    static_min: Number(r.memory_static_min),
    dynamic_min: Number(r.memory_dynamic_min),
    dynamic_max: Number(r.memory_dynamic_max),
    static_max: Number(r.memory_static_max),
  };
}

function dmcEnabled(core: SimCore): boolean {
  const pool = core.db.records('pool').values().next().value as Record<string, unknown> | undefined;
  return (pool?.restrictions as Record<string, string> | undefined)?.restrict_dmc !== 'true';
}

/** Vm_memory_constraints.assert_valid_for_current_context */
export function assertMemory(core: SimCore, m: Memory): void {
  const ordered = m.static_min <= m.dynamic_min && m.dynamic_min <= m.dynamic_max && m.dynamic_max <= m.static_max;
  if (!ordered) throw new XapiFailure('MEMORY_CONSTRAINT_VIOLATION', ORDER);
  if (!dmcEnabled(core) && !(m.dynamic_min === m.static_max && m.dynamic_max === m.static_max)) {
    throw new XapiFailure('MEMORY_CONSTRAINT_VIOLATION', PINNED);
  }
}

/** Writes the limits; a running domain balloons to the top of its range (its static max is reserved on the host). */
function applyMemory(core: SimCore, vm: string, m: Memory): void {
  const r = core.db.get('VM', vm)!;
  core.db.update('VM', vm, {
    memory_static_min: m.static_min,
    memory_static_max: m.static_max,
    memory_dynamic_min: m.dynamic_min,
    memory_dynamic_max: m.dynamic_max,
    // xapi: "memory_target is now unused but setting it equal to dynamic_min avoids tripping validation code"
    memory_target: m.dynamic_min,
  });
  const metrics = r.metrics as string;
  if (r.power_state === 'Running' && core.db.get('VM_metrics', metrics)) {
    core.db.update('VM_metrics', metrics, { memory_actual: m.dynamic_max, last_updated: core.now() });
  }
}

function invalidVcpus(text: string, value: number): XapiFailure {
  return new XapiFailure('INVALID_VALUE', text, String(value));
}

export function registerVmMemoryMethods(core: SimCore): void {
  const ints = (...names: string[]) => names.map((n) => ['int', n] as const);
  core.register(
    vmOp('VM.set_memory_limits', 'changing_memory_limits', [SESSION, SELF, ...ints('static_min', 'static_max', 'dynamic_min', 'dynamic_max')], ['MEMORY_CONSTRAINT_VIOLATION'], ({ core: c }, vm, args) => {
      const [staticMin, staticMax, dynamicMin, dynamicMax] = args.slice(2) as number[];
      const m = { static_min: staticMin!, static_max: staticMax!, dynamic_min: dynamicMin!, dynamic_max: dynamicMax! };
      assertMemory(c, m);
      applyMemory(c, vm, m);
    }),
  );
  core.register(
    vmOp('VM.set_memory_static_range', 'changing_static_range', [SESSION, SELF, ...ints('min', 'max')], ['MEMORY_CONSTRAINT_VIOLATION'], ({ core: c }, vm, [, , min, max]) => {
      const m = { ...memoryOf(c, vm), static_min: min as number, static_max: max as number };
      assertMemory(c, m);
      applyMemory(c, vm, m);
    }),
  );
  core.register(
    vmOp('VM.set_memory_dynamic_range', 'changing_dynamic_range', [SESSION, SELF, ...ints('min', 'max')], ['MEMORY_CONSTRAINT_VIOLATION'], ({ core: c }, vm, [, , min, max]) => {
      const m = { ...memoryOf(c, vm), dynamic_min: min as number, dynamic_max: max as number };
      assertMemory(c, m);
      applyMemory(c, vm, m);
    }),
  );
  core.register(
    vmOp('VM.set_VCPUs_max', 'changing_VCPUs', [SESSION, SELF, ['int', 'value']], ['INVALID_VALUE'], ({ core: c }, vm, [, , value]) => {
      const n = value as number;
      if (n < 1 || n < Number(c.db.get('VM', vm)!.VCPUs_at_startup)) throw invalidVcpus(VCPUS_AT_STARTUP, n);
      c.db.set('VM', vm, 'VCPUs_max', n);
    }),
  );
  core.register(
    vmOp('VM.set_VCPUs_at_startup', 'changing_VCPUs', [SESSION, SELF, ['int', 'value']], ['INVALID_VALUE'], ({ core: c }, vm, [, , value]) => {
      const n = value as number;
      if (n < 1 || n > Number(c.db.get('VM', vm)!.VCPUs_max)) throw invalidVcpus(VCPUS_AT_STARTUP, n);
      c.db.set('VM', vm, 'VCPUs_at_startup', n);
    }),
  );
  core.register(
    vmOp('VM.set_VCPUs_number_live', 'changing_VCPUs_live', [SESSION, SELF, ['int', 'nvcpu']], ['OPERATION_NOT_ALLOWED', 'INVALID_VALUE'], ({ core: c }, vm, [, , value]) => {
      const n = value as number;
      const r = c.db.get('VM', vm)!;
      if (n < 1 || n > Number(r.VCPUs_max)) throw invalidVcpus(VCPUS_LIVE, n);
      // xapi keeps VCPUs_at_startup in step, so the count survives a reboot
      c.db.set('VM', vm, 'VCPUs_at_startup', n);
      if (c.db.get('VM_metrics', r.metrics as string)) c.db.set('VM_metrics', r.metrics as string, 'VCPUs_number', n);
    }),
  );
}
