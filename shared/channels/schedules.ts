// Snapshot schedules: the servers' own policies and Polyvisor's, and the OS timer that runs them.
import type { PolicyDraft, PolicyRun, RunnerStatus, SnapshotPolicy } from '../schedules';

export interface ScheduleChannels {
  /** every snapshot policy: the servers' own (XAPI VMSS) and Polyvisor's */
  'schedules:list': { args: []; result: SnapshotPolicy[] };
  'schedules:create': { args: [PolicyDraft]; result: SnapshotPolicy };
  'schedules:update': { args: [id: string, changes: Partial<PolicyDraft>]; result: SnapshotPolicy };
  /** deleteSnapshots: also delete the snapshots the policy took (never a user's own) */
  'schedules:delete': { args: [id: string, options?: { deleteSnapshots?: boolean }]; result: void };
  /** runs the policy once now; resolves when the run is recorded (its items may still be running) */
  'schedules:runNow': { args: [id: string]; result: PolicyRun };
  'schedules:history': { args: [id: string]; result: PolicyRun[] };
  /** the OS timer that runs Polyvisor's own policies while the app is closed */
  'schedules:runner': { args: []; result: RunnerStatus };
  'schedules:installRunner': { args: []; result: RunnerStatus };
  'schedules:uninstallRunner': { args: []; result: RunnerStatus };
}

export const SCHEDULE_CHANNELS: Record<keyof ScheduleChannels, true> = {
  'schedules:list': true,
  'schedules:create': true,
  'schedules:update': true,
  'schedules:delete': true,
  'schedules:runNow': true,
  'schedules:history': true,
  'schedules:runner': true,
  'schedules:installRunner': true,
  'schedules:uninstallRunner': true,
};
