// `polyvisor schedule …`: snapshot policies from the command line, through the
// same schedules:* channels as the app. A policy whose VMs all sit on one server
// that runs policies itself (XenServer: a VMSS) is made on that server; any other
// is Polyvisor's own and runs from this computer.

import type { PolicyDraft, PolicyRun, SnapshotPolicy } from '../../shared/schedules';
import { PolyvisorError } from '../../shared/errors';
import type { InventoryNode } from '../../shared/model';
import type { PolyvisorCore } from '../core/app-core';
import { connectServers, inventoryFor } from './connect';
import type { ConnectOptions } from './arg-helpers';
import { findNode } from './resolve';
import type { PolicyFields, ScheduleCommand } from './schedule-args';
import { formatHistory, formatPolicies, formatRun, formatRunnerStatus } from './schedule-format';
import type { CliSession } from './session';

const MEMBER_KINDS = ['vm', 'container'] as const;

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

export async function executeSchedule(command: ScheduleCommand, core: PolyvisorCore, session: CliSession, io: CliOutput): Promise<void> {
  switch (command.name) {
    case 'schedule list': {
      await connectQuietly(command, session, io);
      const policies = await core.invoke('schedules:list');
      io.out(command.json ? JSON.stringify(policies, null, 2) : formatPolicies(policies, await session.servers()));
      return;
    }
    case 'schedule create': {
      const nodes = await inventoryFor(command, session);
      const draft = await draftOf(command.fields, command.runner, nodes, core, session);
      const created = await core.invoke('schedules:create', draft);
      io.err(`Created the policy "${created.name}", run by ${created.runner.kind === 'server' ? 'its server' : 'Polyvisor from this computer'}.`);
      io.out(created.id);
      return;
    }
    case 'schedule edit': {
      const policy = await findPolicy(command.policy, command, core, session, io);
      const nodes = command.fields.vms ? await inventoryFor(command, session) : [];
      const changed = await core.invoke('schedules:update', policy.id, changesOf(command.fields, nodes));
      io.err(`Changed the policy "${changed.name}".`);
      io.out(changed.id);
      return;
    }
    case 'schedule enable':
    case 'schedule disable': {
      const policy = await findPolicy(command.policy, command, core, session, io);
      const changed = await core.invoke('schedules:update', policy.id, { enabled: command.name === 'schedule enable' });
      io.err(`The policy "${changed.name}" is ${changed.enabled ? 'enabled' : 'disabled'}.`);
      return;
    }
    case 'schedule delete': {
      const policy = await findPolicy(command.policy, command, core, session, io);
      await core.invoke('schedules:delete', policy.id, { deleteSnapshots: command.deleteSnapshots });
      io.err(`Deleted the policy "${policy.name}"${command.deleteSnapshots ? ' and the snapshots it took' : ' (its snapshots are kept)'}.`);
      return;
    }
    case 'schedule run-now': {
      const policy = await findPolicy(command.policy, command, core, session, io);
      const run = await runToTheEnd(core, policy.id);
      io.out(formatRun(run));
      failIfNotAllWell([run]);
      return;
    }
    case 'schedule history': {
      const policy = await findPolicy(command.policy, command, core, session, io);
      const runs = await core.invoke('schedules:history', policy.id);
      io.out(command.json ? JSON.stringify(runs, null, 2) : formatHistory(runs));
      return;
    }
    case 'schedule run-due': {
      const report = await core.runDueSchedules();
      if (report.busy) io.err(`Another runner (${report.busy}) is running the policies now; this one leaves it to it.`);
      for (const run of report.runs) io.out(`${run.policyName}\n${formatRun(run)}`);
      failIfNotAllWell(report.runs);
      return;
    }
    case 'schedule install':
    case 'schedule uninstall':
    case 'schedule status': {
      const channel = command.name === 'schedule install' ? 'schedules:installRunner' : command.name === 'schedule uninstall' ? 'schedules:uninstallRunner' : 'schedules:runner';
      io.out(formatRunnerStatus(await core.invoke(channel)));
      return;
    }
  }
}

/** Connects what it can so servers' own policies are listed; a server that does not connect is a warning. */
async function connectQuietly(options: ConnectOptions, session: CliSession, io: CliOutput): Promise<void> {
  if ((await session.servers()).length === 0) return;
  const { failures } = await connectServers(options, session);
  for (const f of failures) io.err(`Warning: ${f.server.name}: ${f.error.message} (its own policies are not listed)`);
}

/** A policy by id or name: Polyvisor's own are found without connecting; servers' own after connecting. */
async function findPolicy(query: string, options: ConnectOptions, core: PolyvisorCore, session: CliSession, io: CliOutput): Promise<SnapshotPolicy> {
  const match = (list: SnapshotPolicy[]) => {
    const byId = list.find((p) => p.id === query);
    if (byId) return byId;
    const byName = list.filter((p) => p.name === query);
    if (byName.length > 1) {
      throw new PolyvisorError({ code: 'INVALID_INPUT', message: `The policy name "${query}" is ambiguous; use one of these ids:\n  ${byName.map((p) => p.id).join('\n  ')}` });
    }
    return byName[0];
  };
  const found = match(await core.invoke('schedules:list'));
  if (found) return found;
  await connectQuietly(options, session, io);
  const again = match(await core.invoke('schedules:list'));
  if (again) return again;
  throw new PolyvisorError({ code: 'NOT_FOUND', message: `No snapshot policy "${query}" (see "polyvisor schedule list").` });
}

async function draftOf(
  fields: Extract<ScheduleCommand, { name: 'schedule create' }>['fields'],
  runner: 'server' | 'polyvisor' | undefined,
  nodes: InventoryNode[],
  core: PolyvisorCore,
  session: CliSession,
): Promise<PolicyDraft> {
  const members = fields.vms.map((q) => findNode(nodes, q, MEMBER_KINDS, 'VM or container'));
  const serverIds = [...new Set(members.map((m) => m.serverId))];
  const [servers, { providers }] = await Promise.all([session.servers(), core.invoke('app:info')]);
  const runsPolicies = (serverId: string) => {
    const type = servers.find((s) => s.id === serverId)?.type;
    return !!providers.find((d) => d.type === type)?.facets.serverPolicies;
  };
  const onServer = runner !== 'polyvisor' && serverIds.length === 1 && runsPolicies(serverIds[0]);
  if (runner === 'server' && !onServer) {
    throw new PolyvisorError({ code: 'INVALID_INPUT', message: 'A policy the server runs needs VMs of one server that runs snapshot policies itself (e.g. XenServer).', field: 'runner' });
  }
  return {
    runner: onServer ? { kind: 'server', serverId: serverIds[0] } : { kind: 'polyvisor' },
    name: fields.policyName,
    description: fields.description,
    type: fields.type,
    frequency: fields.frequency,
    timeZone: onServer ? undefined : fields.timeZone,
    retain: fields.keep,
    enabled: fields.enabled ?? true,
    members: members.map((m) => m.id),
  };
}

function changesOf(fields: PolicyFields, nodes: InventoryNode[]): Partial<PolicyDraft> {
  const changes: Partial<PolicyDraft> = {};
  if (fields.policyName !== undefined) changes.name = fields.policyName;
  if (fields.description !== undefined) changes.description = fields.description;
  if (fields.vms !== undefined) changes.members = fields.vms.map((q) => findNode(nodes, q, MEMBER_KINDS, 'VM or container').id);
  if (fields.type !== undefined) changes.type = fields.type;
  if (fields.frequency !== undefined) changes.frequency = fields.frequency;
  if (fields.keep !== undefined) changes.retain = fields.keep;
  if (fields.timeZone !== undefined) changes.timeZone = fields.timeZone;
  if (fields.enabled !== undefined) changes.enabled = fields.enabled;
  return changes;
}

/** Starts a run and waits for its end (a run of Polyvisor's own goes on after runNow answers). */
async function runToTheEnd(core: PolyvisorCore, policyId: string): Promise<PolicyRun> {
  const seen = new Map<string, PolicyRun>();
  let wake: (() => void) | undefined;
  const off = core.on('schedule:run', (run) => {
    seen.set(run.id, run);
    wake?.();
  });
  try {
    const started = await core.invoke('schedules:runNow', policyId);
    for (;;) {
      const latest = seen.get(started.id) ?? started;
      if (latest.outcome !== 'running') return latest;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    off();
  }
}

function failIfNotAllWell(runs: PolicyRun[]): void {
  const failed = runs.flatMap((r) => r.items.filter((i) => i.error).map((i) => ({ run: r, item: i })));
  if (failed.length === 0) return;
  const [{ run, item }] = failed;
  throw new PolyvisorError({ ...item.error!, message: `${run.policyName}: ${item.name}: ${item.error!.message}${failed.length > 1 ? ` (and ${failed.length - 1} more)` : ''}` });
}
