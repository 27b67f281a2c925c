// What the delete confirmation asks the core before anything is destroyed.
import { toErrorInfo, type ErrorInfo } from '../../../../shared/errors';
import type { DeletePlan } from '../../../../shared/guests';
import { getClient } from '../../client';

export type PlanAnswer = { ok: true; value: DeletePlan } | { ok: false; error: ErrorInfo };

export async function fetchDeletePlan(nodeIds: string[]): Promise<PlanAnswer> {
  try {
    return { ok: true, value: await getClient().client.invoke('guests:deletePlan', nodeIds) };
  } catch (e) {
    return { ok: false, error: toErrorInfo(e) };
  }
}
