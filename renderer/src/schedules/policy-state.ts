// The store's part for snapshot policies: the list (kept by events), the Scheduled
// snapshots view, the selected policy and the OS timer's status.
import type { RunnerStatus, SnapshotPolicy } from '../../../shared/schedules';
import { useStore } from '../store/store';

const set = useStore.setState;
const get = useStore.getState;

const byName = (a: SnapshotPolicy, b: SnapshotPolicy) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

export const policyActions = {
  setPolicies(policies: SnapshotPolicy[]): void {
    set({ policies: [...policies].sort(byName) });
  },
  policyChanged(policy: SnapshotPolicy): void {
    const others = get().policies.filter((p) => p.id !== policy.id);
    set({ policies: [...others, policy].sort(byName) });
  },
  policyRemoved(id: string): void {
    const { policies, selectedPolicyId } = get();
    set({ policies: policies.filter((p) => p.id !== id), selectedPolicyId: selectedPolicyId === id ? null : selectedPolicyId });
  },
  /** focus: the tree objects it was opened for (their policies come first) */
  openSchedules(focus: string[]): void {
    set({ schedulesView: { focus }, contextMenu: null });
  },
  closeSchedules(): void {
    set({ schedulesView: null, selectedPolicyId: null });
  },
  selectPolicy(id: string | null): void {
    set({ selectedPolicyId: id });
  },
  setRunnerStatus(runnerStatus: RunnerStatus | null): void {
    set({ runnerStatus });
  },
};
