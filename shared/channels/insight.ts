// What the servers report: performance series, storage contents, alerts and everyone's tasks.
import type { Alert, AlertQuery, DismissOutcome, ServerTask, ServerTaskQuery } from '../notifications';
import type { MetricTimeframe, MetricsAnswer } from '../metrics';
import type { StorageContents } from '../storage';
import type { TaskInfo } from '../contract';

export interface InsightChannels {
  /** a VM's, container's or host's performance series over the timeframe (the Performance tab pulls it every few seconds while open) */
  'metrics:query': { args: [nodeId: string, timeframe: MetricTimeframe]; result: MetricsAnswer };
  /** the disks on a storage node (the storage tab), with the VMs that use each */
  'storage:contents': { args: [nodeId: string]; result: StorageContents };
  /** asks the server to look at a storage again (XAPI SR.scan, vSphere RefreshDatastoreStorageInfo) */
  'storage:rescan': { args: [nodeId: string]; result: TaskInfo };
  /** moves one of a guest's disks (GuestDisk.id) to a storage node of its server, as a task of the guest */
  'storage:moveDisk': { args: [guestId: string, diskId: string, storageId: string]; result: TaskInfo };

  /** the servers' alerts (XAPI messages, vSphere warnings, Proxmox failed tasks, Docker die/oom/unhealthy), newest first */
  'alerts:list': { args: [query?: AlertQuery]; result: Alert[] };
  /** deletes alerts on their servers where the server can (XAPI message.destroy) */
  'alerts:dismiss': { args: [ids: string[]]; result: DismissOutcome };
  /** every task and event on the servers, by anyone, newest first */
  'serverTasks:list': { args: [query?: ServerTaskQuery]; result: ServerTask[] };
}

export const INSIGHT_CHANNELS: Record<keyof InsightChannels, true> = {
  'metrics:query': true,
  'storage:contents': true,
  'storage:rescan': true,
  'storage:moveDisk': true,
  'alerts:list': true,
  'alerts:dismiss': true,
  'serverTasks:list': true,
};
