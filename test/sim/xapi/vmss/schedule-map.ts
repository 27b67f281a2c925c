// The VMSS `schedule` map as xapi checks it (Xapi_vmss with Map_check): which
// keys each frequency takes, their values (min one of 0/15/30/45, hour 0-23,
// days a comma-separated list of Monday…Sunday, any case, no repeats), defaults
// filled in and extra keys dropped when a frequency is set, and the error xapi
// answers: INVALID_VALUE ["schedule:<key>", value].
import { XapiFailure } from '../failure';

export const VMSS_DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export const VMSS_MINUTES = ['0', '15', '30', '45'] as const;

export type VmssFrequency = 'hourly' | 'daily' | 'weekly';
type Schedule = Record<string, string>;

type Rule = { kind: 'enum'; values: readonly string[] } | { kind: 'enumSet'; values: readonly string[] } | { kind: 'intRange'; min: number; max: number };
interface KeyRule {
  rule: Rule;
  fallback: string;
}

const MIN: KeyRule = { rule: { kind: 'enum', values: VMSS_MINUTES }, fallback: '0' };
const HOUR: KeyRule = { rule: { kind: 'intRange', min: 0, max: 23 }, fallback: '0' };
const DAYS: KeyRule = { rule: { kind: 'enumSet', values: VMSS_DAYS }, fallback: 'Monday' };

const KEYS: Record<VmssFrequency, Record<string, KeyRule>> = {
  hourly: { min: MIN },
  daily: { hour: HOUR, min: MIN },
  weekly: { hour: HOUR, min: MIN, days: DAYS },
};
/** every key of every frequency (xapi's check for set_schedule and add_to_schedule) */
const ALL_KEYS: Record<string, KeyRule> = { ...KEYS.hourly, ...KEYS.daily, ...KEYS.weekly };

function invalid(key: string, value: string): XapiFailure {
  return new XapiFailure('INVALID_VALUE', `schedule:${key}`, value);
}

/** OCaml's int_of_string: optional sign, decimal, 0x/0o/0b prefixes, underscores. */
export function ocamlInt(text: string): number | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*)$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[2]!.replace(/_/g, '').replace(/^0[oO]/, '0o').replace(/^0[bB]/, '0b').replace(/^0[xX]/, '0x'));
  return m[1] === '-' ? -n : n;
}

const canonical = (values: readonly string[], v: string) => values.find((x) => x.toLowerCase() === v.toLowerCase());

/** A value as xapi stores it (enum values in their own case), or INVALID_VALUE. */
function checkValue(key: string, { rule }: KeyRule, value: string): string {
  switch (rule.kind) {
    case 'enum': {
      const v = canonical(rule.values, value);
      if (v === undefined) throw invalid(key, value);
      return v;
    }
    case 'enumSet': {
      // right to left, like Map_check's fold_right: a repeat names the whole value
      let acc = '';
      for (const part of value.split(',').reverse()) {
        const v = canonical(rule.values, part);
        if (v === undefined) throw invalid(key, part);
        if (acc !== '' && acc.includes(v)) throw invalid(key, value);
        acc = acc === '' ? v : `${v},${acc}`;
      }
      return acc;
    }
    case 'intRange': {
      const n = ocamlInt(value);
      if (n === undefined || n < rule.min || n > rule.max) throw invalid(key, value);
      return value;
    }
  }
}

function validate(entries: Schedule, rules: Record<string, KeyRule>): Schedule {
  const out: Schedule = {};
  for (const [key, value] of Object.entries(entries)) {
    const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
    if (!rule) throw invalid(key, value);
    out[key] = checkValue(key, rule, value);
  }
  return out;
}

/** Map_check.assert_keys: the new keys over the stored ones, every key one the frequency (or, with none, any frequency) takes. */
export function checkScheduleKeys(frequency: VmssFrequency | undefined, value: Schedule, stored: Schedule): Schedule {
  return validate({ ...stored, ...value }, frequency ? KEYS[frequency] : ALL_KEYS);
}

/** Map_check.assert_all_keys: exactly the frequency's keys, missing ones at their defaults, others dropped. */
export function scheduleForFrequency(frequency: VmssFrequency, value: Schedule, stored: Schedule): Schedule {
  const merged = { ...stored, ...value };
  const rules = KEYS[frequency];
  const kept: Schedule = {};
  for (const [key, rule] of Object.entries(rules)) kept[key] = Object.hasOwn(merged, key) ? merged[key]! : rule.fallback;
  return validate(kept, rules);
}

/** Xapi_vmss.assert_retained_snapshots: 1 to 10. */
export function checkRetainedSnapshots(value: number): void {
  if (value < 1 || value > 10) throw new XapiFailure('INVALID_VALUE', 'retained_snapshots', String(value));
}
