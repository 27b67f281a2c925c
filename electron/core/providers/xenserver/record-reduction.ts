// How get_all_records' records are reduced as they are read, by name as well as by
// function: a parse worker cannot be sent a function, so a transform that may run there
// says what it does (keepNeeded of a class, or the records whole).

import { keepNeeded } from './records';
import type { RecordTransform } from './transport';

type Reduction = { keepNeededOf: string } | { whole: true };
type NamedTransform = RecordTransform & { reduction?: Reduction };

/** keepNeeded for one class (lower case), runnable in a parse worker. */
export function keepNeededFor(cls: string): RecordTransform {
  return Object.assign((record: Record<string, unknown>) => keepNeeded(cls, record), { reduction: { keepNeededOf: cls } });
}

/** Records kept whole, runnable in a parse worker. */
export const WHOLE_RECORDS: RecordTransform = Object.assign((record: Record<string, unknown>) => record, { reduction: { whole: true as const } });

/** The class whose keepNeeded this is, null for whole records, undefined for a transform only this thread can run. */
export function reductionOf(transform: RecordTransform): string | null | undefined {
  const reduction = (transform as NamedTransform).reduction;
  if (!reduction) return undefined;
  return 'keepNeededOf' in reduction ? reduction.keepNeededOf : null;
}

/** The transform a worker runs for a reduction named by reductionOf. */
export function transformFor(keepNeededOf: string | null): RecordTransform {
  return keepNeededOf === null ? (record) => record : (record) => keepNeeded(keepNeededOf, record);
}
