// Which snapshot options a node offers, from its server's capabilities and its own kind.
import type { ServerView } from '../../../shared/contract';
import type { InventoryNode } from '../../../shared/model';

/** Memory snapshots: a running VM on a platform that has them. Containers (LXC, Docker) keep no RAM state across a restore. */
export function canSnapshotMemory(node: InventoryNode, server: ServerView | undefined): boolean {
  const kinds = server?.capabilities?.snapshotKinds;
  return (kinds?.includes('memory') ?? true) && node.kind !== 'container' && node.state === 'running';
}

/** Named-volume contents in the snapshot (Docker). */
export function canSnapshotVolumes(server: ServerView | undefined): boolean {
  return server?.capabilities?.snapshotKinds.includes('volumes') ?? false;
}

/** The translation key of what a snapshot holds: memory, named-volume data (Docker) or disks only. */
export function snapshotKindKey(snapshot: InventoryNode): string {
  if (snapshot.snapshot?.withMemory) return 'snapshots.kindMemory';
  const volumes = snapshot.props.volumes;
  return Array.isArray(volumes) && volumes.length > 0 ? 'snapshots.kindVolumes' : 'snapshots.kindDisk';
}

/** A default snapshot name the platform accepts (Proxmox VE: a letter, then letters, digits, "-" and "_"). */
export function defaultSnapshotName(server: ServerView | undefined, now: Date, localized: string): string {
  if (server?.type !== 'proxmox') return localized;
  const p = (n: number) => String(n).padStart(2, '0');
  return `snap_${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}_${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
}
