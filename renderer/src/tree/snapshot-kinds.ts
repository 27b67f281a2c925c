// Which snapshot options a node offers: the server's live capabilities (or, before it
// connected, its provider's facets), narrowed by the node's kind and state; the
// default name and the name check come from the provider's snapshot-name rule.
import type { TFunction } from 'i18next';
import type { ServerView } from '../../../shared/contract';
import { defaultSnapshotName, localized, snapshotNameProblem, type ProviderDescriptor, type SnapshotNameRule } from '../../../shared/descriptor';
import type { Capabilities, InventoryNode } from '../../../shared/model';

export type SnapshotKinds = Capabilities['snapshotKinds'];

export function snapshotKindsOf(server: ServerView | undefined, descriptor: ProviderDescriptor | undefined): SnapshotKinds {
  return server?.capabilities?.snapshotKinds ?? descriptor?.facets.snapshotKinds ?? [];
}

/** Why a memory snapshot of this node is not possible; null when it is. Containers keep no RAM state across a restore. */
export function memorySnapshotProblem(node: InventoryNode, kinds: SnapshotKinds): 'platform' | 'container' | 'notRunning' | null {
  if (!kinds.includes('memory')) return 'platform';
  if (node.kind === 'container') return 'container';
  return node.state === 'running' ? null : 'notRunning';
}

export function canSnapshotMemory(node: InventoryNode, kinds: SnapshotKinds): boolean {
  return memorySnapshotProblem(node, kinds) === null;
}

/** Named-volume contents in the snapshot. */
export function canSnapshotVolumes(kinds: SnapshotKinds): boolean {
  return kinds.includes('volumes');
}

/** The translation key of what a snapshot holds: memory, named-volume data or disks only. */
export function snapshotKindKey(snapshot: InventoryNode): string {
  if (snapshot.snapshot?.withMemory) return 'snapshots.kindMemory';
  const volumes = snapshot.props.volumes;
  return Array.isArray(volumes) && volumes.length > 0 ? 'snapshots.kindVolumes' : 'snapshots.kindDisk';
}

/** The platform's default name; `fallback` only when this build lacks the provider. */
export function proposedSnapshotName(descriptor: ProviderDescriptor | undefined, vmName: string, now: Date, fallback: string): string {
  return descriptor ? defaultSnapshotName(descriptor.snapshotName, vmName, now) : fallback;
}

/** Why the platform would refuse this name, in the user's language; null when it accepts it. */
export function snapshotNameMessage(rule: SnapshotNameRule | undefined, name: string, t: TFunction, language: string): string | null {
  if (!name.trim()) return t('snapshotCreate.nameRequired');
  if (!rule || snapshotNameProblem(rule, name) === null) return null;
  if (rule.maxLength !== undefined && name.length > rule.maxLength) return t('snapshotCreate.nameTooLong', { max: rule.maxLength });
  return rule.hint ? t('snapshotCreate.nameNotAllowedHint', { hint: localized(rule.hint, language) }) : t('snapshotCreate.nameNotAllowed');
}

/** One name every platform of several VMs accepts: a platform's default without the VM's name, or `fallback`; '' when none fits. */
export function sharedSnapshotName(descriptors: ReadonlyArray<ProviderDescriptor | undefined>, now: Date, fallback: string): string {
  const rules = descriptors.filter((d): d is ProviderDescriptor => d !== undefined).map((d) => d.snapshotName);
  const proposals = [...rules.map((rule) => defaultSnapshotName(rule, '', now).replace(/^[\s_-]+|[\s_-]+$/g, '')), fallback];
  return proposals.find((name) => name !== '' && rules.every((rule) => snapshotNameProblem(rule, name) === null)) ?? '';
}

/** The first refusal among several platforms' rules, in the user's language; null when all accept the name. */
export function sharedNameMessage(descriptors: ReadonlyArray<ProviderDescriptor | undefined>, name: string, t: TFunction, language: string): string | null {
  if (!name.trim()) return t('snapshotCreate.nameRequired');
  for (const d of descriptors) {
    const message = snapshotNameMessage(d?.snapshotName, name, t, language);
    if (message) return message;
  }
  return null;
}
