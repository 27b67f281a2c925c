// What the contract's schema cannot check about a policy: its members exist and
// belong where the runner can reach them, the snapshot type is one each member's
// platform has, and the retention fits the server's limit where it has one.

import { localized } from '../../../shared/descriptor';
import { PolyvisorError } from '../../../shared/errors';
import type { PolicyDraft, PolicySnapshotType } from '../../../shared/schedules';
import type { ScheduleEnvironment } from './schedule-environment';

const MEMBER_KINDS = new Set(['vm', 'container']);

const TYPE_WORDS: Record<PolicySnapshotType, string> = { disk: 'disk-only', memory: 'memory', quiesce: 'quiesced' };

/**
 * Checks a whole policy (a draft, or an existing policy with changes applied).
 * Members that were in `previous` already are not looked up again: their server may be
 * disconnected now, which does not make an edit of the name wrong.
 */
export function checkPolicy(policy: PolicyDraft, env: ScheduleEnvironment, previous?: PolicyDraft): void {
  const runner = policy.runner;
  if (runner.kind === 'server') checkServerRunner(runner.serverId, policy.retain, env);
  const known = new Set(previous?.members ?? []);
  const typeChanged = !previous || previous.type !== policy.type;
  for (const id of policy.members) {
    const isNew = !known.has(id);
    if (!isNew && !typeChanged) continue;
    const node = env.node(id);
    if (!node) {
      if (!isNew) continue;
      throw invalid(`No VM or container ${JSON.stringify(id)} in the inventory of the connected servers.`, 'members', 'NOT_FOUND');
    }
    if (!MEMBER_KINDS.has(node.kind)) throw invalid(`${node.name} is a ${node.kind}: a policy snapshots VMs and containers.`, 'members');
    if (runner.kind === 'server' && node.serverId !== runner.serverId) {
      throw invalid(`${node.name} is on ${env.serverName(node.serverId)}, not on ${env.serverName(runner.serverId)}, which runs this policy.`, 'members');
    }
    const kinds = env.capabilitiesOf(node.serverId)?.snapshotKinds ?? [];
    if (!kinds.includes(policy.type)) {
      const platform = env.descriptorOf(node.serverId);
      throw invalid(`${node.name} (${platform ? localized(platform.displayName, 'en') : env.serverName(node.serverId)}) cannot take ${TYPE_WORDS[policy.type]} snapshots.`, 'type');
    }
  }
}

function checkServerRunner(serverId: string, retain: number, env: ScheduleEnvironment): void {
  const descriptor = env.descriptorOf(serverId);
  if (!descriptor) throw invalid(`No saved server ${JSON.stringify(serverId)}.`, 'runner', 'NOT_FOUND');
  if (!descriptor.facets.serverPolicies) {
    throw new PolyvisorError({
      code: 'UNSUPPORTED',
      message: `${env.serverName(serverId)} (${localized(descriptor.displayName, 'en')}) does not run snapshot policies itself; make it a Polyvisor policy, which runs from this computer.`,
      field: 'runner',
    });
  }
  if (!env.serverPolicies(serverId)) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${env.serverName(serverId)} is not connected.` });
  const max = descriptor.facets.policyRetainMax;
  if (max !== undefined && retain > max) throw invalid(`${env.serverName(serverId)} keeps at most ${max} snapshots per VM for a policy it runs.`, 'retain');
}

function invalid(message: string, field: string, code: 'INVALID_INPUT' | 'NOT_FOUND' = 'INVALID_INPUT'): PolyvisorError {
  return new PolyvisorError({ code, message, field });
}
