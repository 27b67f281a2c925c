// The name of the policy that took a snapshot: the server's word for it (XAPI VMSS), the
// policy as Polyvisor knows it, or "a deleted policy"; null for a user's own snapshot.
import type { TFunction } from 'i18next';
import type { InventoryNode } from '../../../shared/model';
import type { SnapshotPolicy } from '../../../shared/schedules';

export function policyLabel(snapshot: InventoryNode, policies: readonly SnapshotPolicy[], t: TFunction): string | null {
  const info = snapshot.snapshot;
  if (!info?.policyId) return null;
  return info.policyName || policies.find((p) => p.id === info.policyId)?.name || t('snapshotTab.removedPolicy');
}
