// Snapshot policies, assembled for the composition root: the stores, the service
// behind the schedules:* channels, Polyvisor's own runner (with the app's timer)
// and the OS timer. app-core.ts makes one and wires its handlers and hooks.

import type { ChannelHandlers, EventMap, StoreProblem } from '../../../shared/contract';
import type { ServerPolicy } from '../providers/provider';
import type { ProfileWatchOptions } from '../util/profile-file';
import { HistoryStore } from './history-store';
import { OsTimer } from './os-timer/os-timer';
import type { OsTimerHost } from './os-timer/installers';
import { defaultRunnerCommand } from './os-timer/runner-command';
import type { RunnerCommand } from './os-timer/runner-spec';
import { OwnPolicyRunner, type RunDueReport } from './own-runner';
import { OwnPolicyStore } from './policy-store';
import { scheduleEnvironment, type ScheduleEnvironmentParts } from './schedule-environment';
import { SchedulesService } from './schedules-service';

export interface ScheduleOptions {
  /** the clock policies run by (tests move it) */
  now?: () => Date;
  /** what the OS timer runs; defaults to Node with bin/polyvisor.js (Electron passes its own) */
  runnerCommand?: RunnerCommand;
  /** the machine the OS timer is installed on (tests give temporary folders) */
  osTimerHost?: OsTimerHost;
  /** how often the open app looks for due policies; 0: never (tests call runDue) */
  timerMs?: number;
  /** how long a new snapshot may take to show in the inventory before retention waits for the next run */
  appearMs?: number;
}

export interface SchedulesParts extends Omit<ScheduleEnvironmentParts, 'now' | 'onInventory'> {
  home: string;
  /** the app shows notices at once; the CLI leaves them for the app's next start */
  interactive: boolean;
  emit<E extends 'schedule:changed' | 'schedule:removed' | 'schedule:run' | 'inventory:delta'>(event: E, payload: EventMap[E]): void;
  on(event: 'inventory:delta', listener: (payload: EventMap['inventory:delta']) => void): () => void;
  problem(problem: StoreProblem): void;
  log?: (level: 'warn', message: string) => void;
  options?: ScheduleOptions;
}

export interface Schedules {
  handlers: Pick<ChannelHandlers, `schedules:${string}` & keyof ChannelHandlers>;
  /** the profile files that could not be read at start */
  problems: StoreProblem[];
  /** a connected server's policies (its provider's `policies` event); [] when it disconnects */
  serverPoliciesChanged(serverId: string, policies: ServerPolicy[]): void;
  runDue(): Promise<RunDueReport>;
  /** the app: show notices left by background runs, follow schedules.json, run what is due on a timer */
  start(watch?: Partial<ProfileWatchOptions>): Promise<void>;
  stop(): Promise<void>;
}

const NOTICE_SOURCE = 'Scheduled snapshots';

export async function createSchedules(parts: SchedulesParts): Promise<Schedules> {
  // a file made unusable later (by hand, by another process) is reported like one found at start
  const later = (p: StoreProblem) => parts.problem(p);
  const [policies, history] = await Promise.all([OwnPolicyStore.open(parts.home, later), HistoryStore.open(parts.home, later)]);
  const problems = [policies.problem, history.problem].filter((p): p is StoreProblem => !!p);
  const env = scheduleEnvironment({ ...parts, now: parts.options?.now ?? (() => new Date()), onInventory: (l) => parts.on('inventory:delta', l) });
  const notice = (n: { at: string; message: string }): StoreProblem => ({ file: NOTICE_SOURCE, keptAs: '', message: n.message, at: Date.parse(n.at) });
  let service: SchedulesService | undefined;
  const runner = new OwnPolicyRunner({
    home: parts.home,
    env,
    policies,
    history,
    appearMs: parts.options?.appearMs,
    log: parts.log,
    run: (run) => {
      parts.emit('schedule:run', run);
      if (run.outcome !== 'running') void service?.runFinished(run).catch((e: unknown) => parts.log?.('warn', `A policy's view could not be refreshed: ${String(e)}`));
    },
    passwordMissing: async (n) => (parts.interactive ? parts.problem(notice(n)) : history.addNotice(n)),
  });
  service = new SchedulesService(env, policies, history, runner, {
    changed: (p) => parts.emit('schedule:changed', p),
    removed: (id) => parts.emit('schedule:removed', { id }),
    run: (r) => parts.emit('schedule:run', r),
  });
  const svc = service;
  const osTimer = new OsTimer(parts.home, parts.options?.runnerCommand ?? defaultRunnerCommand(), parts.options?.osTimerHost);
  return {
    handlers: {
      'schedules:list': () => svc.list(),
      'schedules:create': (draft) => svc.create(draft),
      'schedules:update': (id, changes) => svc.update(id, changes),
      'schedules:delete': (id, options) => svc.delete(id, options),
      'schedules:runNow': (id) => svc.runNow(id),
      'schedules:history': (id) => svc.runHistory(id),
      'schedules:runner': () => osTimer.status(),
      'schedules:installRunner': () => osTimer.install(),
      'schedules:uninstallRunner': () => osTimer.uninstall(),
    },
    problems,
    serverPoliciesChanged: (serverId, list) => svc.serverPoliciesChanged(serverId, list),
    runDue: () => runner.runDue(),
    async start(watch = {}) {
      for (const n of await history.takeNotices()) parts.problem(notice(n));
      policies.watch((before, after) => void svc.ownPoliciesChangedOutside(before, after), {
        ...watch,
        onError: (e) => parts.log?.('warn', `Following ${policies.file} failed: ${e.message}`),
        onProblem: parts.problem,
      });
      const timerMs = parts.options?.timerMs;
      if (timerMs !== 0) runner.startTimer(timerMs);
    },
    async stop() {
      policies.close();
      await runner.stop();
    },
  };
}
