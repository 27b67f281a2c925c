// What the migration dialogs and the tree's drag ask the core: where VMs can go
// (the servers' own checks) and where an evacuation would put a host's VMs.
import type { EvacuationPlan, MigrationPlan } from '../../../shared/migration';
import { toErrorInfo, type ErrorInfo } from '../../../shared/errors';
import { getClient } from '../client';

export type Answer<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export async function ask<T>(call: () => Promise<T>): Promise<Answer<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (e) {
    return { ok: false, error: toErrorInfo(e) };
  }
}

export function fetchMigrationPlan(vmIds: string[]): Promise<Answer<MigrationPlan>> {
  return ask(() => getClient().client.invoke('migration:plan', vmIds));
}

export function fetchEvacuationPlan(hostId: string): Promise<Answer<EvacuationPlan>> {
  return ask(() => getClient().client.invoke('hosts:evacuationPlan', hostId));
}
