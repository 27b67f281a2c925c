// A guest's snapshot list read when it is needed (issue 17): a platform that fills the
// lists in after the tree (Proxmox VE) marks a guest `snapshotsPending` until its list
// is read; the Snapshots tab and the CLI ask for that one list at once.

export interface SnapshotListChannels {
  /** reads this guest's snapshot list now if it is pending (its snapshot nodes come as an inventory delta); at once if already read */
  'snapshots:readList': { args: [nodeId: string]; result: void };
}

export const SNAPSHOT_LIST_CHANNELS: Record<keyof SnapshotListChannels, true> = {
  'snapshots:readList': true,
};
