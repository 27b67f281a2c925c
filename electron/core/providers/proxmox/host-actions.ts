// What Polyvisor does to a Proxmox VE node: evacuate (every guest moved to the
// node the plan picks, each as a child task), maintenance (evacuate, then the
// mark in the node's notes; see maintenance-mark.ts), reboot and shutdown
// (POST /nodes/{node}/status, refused while guests run unless forced; the task
// ends when the node is down, or back for a reboot), power on by wake on LAN.

import { PolyvisorError, toErrorInfo, type ErrorInfo } from '../../../../shared/errors';
import type { HostAction } from '../../../../shared/model';
import { sleep } from '../../util/timing';
import type { ActionResult, ProviderActionParams, TaskReporter } from '../provider';
import { readNothing, readResources } from './answers';
import type { GuestResource } from './cluster-cache';
import { hasMaintenanceMark, nodePath, withMaintenanceMark, withoutMaintenanceMark } from './maintenance-mark';
import { requireGuest, type MigrationDeps, type ProxmoxMigration } from './migration';
import { readMac, readNodeNotes } from './migration-answers';
import { guestKind, guestName } from './model-map';

export interface HostActionDeps extends MigrationDeps {
  migration: ProxmoxMigration;
  /** re-reads the node's notes and polls, so the tree shows the outcome */
  refresh(node: string): Promise<void>;
}

/** How long a node may take to go down, and to come back from a reboot. */
const DOWN_TIMEOUT_MS = 10 * 60_000;
const BACK_TIMEOUT_MS = 30 * 60_000;

const isRunning = (g: GuestResource) => g.status === 'running' || g.status === 'paused';

export async function runHostAction(deps: HostActionDeps, node: string, action: HostAction, params: ProviderActionParams, task: TaskReporter): Promise<ActionResult> {
  try {
    switch (action) {
      case 'evacuate':
        await evacuate(deps, node, !!params.force, task);
        return {};
      case 'maintenance_enter':
        await evacuate(deps, node, !!params.force, task);
        await setMark(deps, node, true);
        return {};
      case 'maintenance_exit':
        await setMark(deps, node, false);
        return {};
      case 'host_power_on':
        await deps.client.post(`${nodePath(node)}/wakeonlan`, readMac);
        task.progress(0.2);
        await untilNodeStatus(deps, node, 'online', BACK_TIMEOUT_MS);
        return {};
      case 'host_reboot':
      case 'host_shutdown':
        await powerCommand(deps, node, action === 'host_reboot' ? 'reboot' : 'shutdown', !!params.force, task);
        return {};
      default:
        throw new PolyvisorError({ code: 'UNSUPPORTED', message: `Proxmox VE cannot "${action}" a node through its API.` });
    }
  } finally {
    await deps.refresh(node).catch((e: unknown) => deps.log?.('debug', `refresh of ${node} after ${action} failed: ${toErrorInfo(e).message}`));
  }
}

/** Moves every guest of the node where the plan puts it; what cannot move fails as its own child with PVE's reason. */
async function evacuate(deps: HostActionDeps, node: string, force: boolean, task: TaskReporter): Promise<void> {
  const steps = await deps.migration.evacuationPlan(node, force);
  const failed: string[] = [];
  for (const [i, step] of steps.entries()) {
    if (task.signal.aborted) throw new PolyvisorError({ code: 'CANCELLED', message: `Evacuating ${node} was cancelled; ${i} of ${steps.length} guests were handled.` });
    const guest = requireGuest(deps.cache(), step.vmRef);
    const name = guestName(guest);
    const info = await task.child({ target: { nativeRef: step.vmRef, kind: guestKind(guest) }, name, action: 'migrate' }, (reporter) => {
      if (!step.hostRef) throw new PolyvisorError(step.reason ?? { code: 'NOT_FOUND', message: `${name} has nowhere to go.` });
      return deps.migration.migrate(guest, step.hostRef, { force }, reporter);
    });
    if (info.status !== 'success') failed.push(`${name}: ${info.error?.message ?? info.status}`);
    task.progress((i + 1) / (steps.length + 1));
  }
  if (failed.length) {
    throw new PolyvisorError({ code: 'SERVER_ERROR', message: `${failed.length} of ${steps.length} guests did not leave ${node}: ${failed.join('; ')}` });
  }
}

async function setMark(deps: HostActionDeps, node: string, on: boolean): Promise<void> {
  const path = `${nodePath(node)}/config`;
  const current = await deps.client.get(path, readNodeNotes);
  if (!on && !hasMaintenanceMark(current.description)) {
    const ha = deps.cache().hostFacts().find((h) => h.name === node)?.ha;
    throw new PolyvisorError({
      code: 'UNSUPPORTED',
      message: ha
        ? `${node} is in HA node maintenance, which only ha-manager ends: ha-manager crm-command node-maintenance disable ${node}`
        : `${node} is not in maintenance.`,
    });
  }
  const notes = on ? withMaintenanceMark(current.description) : withoutMaintenanceMark(current.description);
  const digest = current.digest ? { digest: current.digest } : {};
  await deps.client.put(path, readNothing, notes ? { description: notes, ...digest } : { delete: 'description', ...digest });
  deps.cache().setMarked(node, on);
}

async function powerCommand(deps: HostActionDeps, node: string, command: 'reboot' | 'shutdown', force: boolean, task: TaskReporter): Promise<void> {
  const running = deps.cache().guestsOn(node).filter(isRunning);
  if (running.length && !force) {
    const names = running.map(guestName).join(', ');
    throw new PolyvisorError({ code: 'INVALID_INPUT', message: `${node} still runs ${running.length} guest(s) (${names}): move them away first, or force the ${command}.` });
  }
  await deps.client.post(`${nodePath(node)}/status`, readNothing, { command });
  task.progress(0.2);
  await untilNodeStatus(deps, node, 'offline', DOWN_TIMEOUT_MS);
  task.progress(command === 'reboot' ? 0.5 : 1);
  if (command === 'reboot') await untilNodeStatus(deps, node, 'online', BACK_TIMEOUT_MS);
}

/** Polls the node's status; while the node we talk to is the one going down, failed requests mean "not back yet". */
async function untilNodeStatus(deps: HostActionDeps, node: string, want: 'online' | 'offline', timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: ErrorInfo | null = null;
  while (Date.now() < deadline) {
    try {
      const nodes = await deps.client.get('/cluster/resources', readResources, { type: 'node' });
      if (nodes.find((n) => n.node === node)?.status === want) return;
    } catch (err) {
      last = toErrorInfo(err);
      deps.log?.('debug', `${node} ${want === 'online' ? 'back' : 'down'}? ${last.message}`);
    }
    await sleep(Math.max(deps.taskPollMs, 50));
  }
  throw new PolyvisorError({ code: 'TIMEOUT', message: `${node} did not go ${want} within ${Math.round(timeoutMs / 60_000)} minutes${last ? ` (last: ${last.message})` : ''}.` });
}
