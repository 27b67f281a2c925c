// What the schedules UI asks of the core (schedules:* channels) and the events that keep
// the policy list live. Calls a dialog waits on throw ErrorInfo for it to show; the
// others report a failure as a notice.
import type { PolyvisorClient } from '../../../shared/contract';
import type { PolicyDraft, PolicyRun, RunnerStatus, SnapshotPolicy } from '../../../shared/schedules';
import { toErrorInfo } from '../../../shared/errors';
import { getClient } from '../client';
import i18n from '../i18n';
import { storeActions } from '../store/store';
import { policyActions } from './policy-state';

const client = () => getClient().client;

type RunListener = (run: PolicyRun) => void;
const runListeners = new Set<RunListener>();

/** Runs as they start, progress and finish (the history dialog follows them). */
export function onPolicyRun(listener: RunListener): () => void {
  runListeners.add(listener);
  return () => runListeners.delete(listener);
}

export function listenToPolicies(c: PolyvisorClient): void {
  c.on('schedule:changed', (policy) => policyActions.policyChanged(policy));
  c.on('schedule:removed', ({ id }) => policyActions.policyRemoved(id));
  c.on('schedule:run', (run) => runListeners.forEach((listener) => listener(run)));
}

export async function loadPolicies(): Promise<void> {
  try {
    policyActions.setPolicies(await client().invoke('schedules:list'));
  } catch (e) {
    storeActions.notify(toErrorInfo(e), i18n.t('schedules.loadFailed'));
  }
}

/** Calls the core; a refusal comes back as ErrorInfo. */
async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (e) {
    throw toErrorInfo(e);
  }
}

export async function createPolicy(draft: PolicyDraft): Promise<SnapshotPolicy> {
  const policy = await call(() => client().invoke('schedules:create', draft));
  policyActions.policyChanged(policy);
  return policy;
}

export async function updatePolicy(id: string, changes: Partial<PolicyDraft>): Promise<SnapshotPolicy> {
  const policy = await call(() => client().invoke('schedules:update', id, changes));
  policyActions.policyChanged(policy);
  return policy;
}

export async function deletePolicy(id: string, deleteSnapshots: boolean): Promise<void> {
  await call(() => client().invoke('schedules:delete', id, { deleteSnapshots }));
  policyActions.policyRemoved(id);
}

export function runPolicyNow(id: string): Promise<PolicyRun> {
  return call(() => client().invoke('schedules:runNow', id));
}

export function policyHistory(id: string): Promise<PolicyRun[]> {
  return call(() => client().invoke('schedules:history', id));
}

export type RunnerChange = 'read' | 'install' | 'uninstall';

const RUNNER_CHANNELS = { read: 'schedules:runner', install: 'schedules:installRunner', uninstall: 'schedules:uninstallRunner' } as const;

/** Reads, installs or removes the OS timer; the status it answers is kept in the store. */
export async function changeRunner(change: RunnerChange): Promise<RunnerStatus> {
  const status = await call(() => client().invoke(RUNNER_CHANNELS[change]));
  policyActions.setRunnerStatus(status);
  return status;
}
