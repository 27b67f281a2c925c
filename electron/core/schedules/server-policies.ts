// Policies the servers run themselves (XAPI: VMSS objects), seen as SnapshotPolicy:
// ids `${serverId}:policy:${nativeRef}`, members as inventory node ids. Also the
// feed that turns each server's whole-list `policies` events into
// schedule:changed / schedule:removed.

import { PolyvisorError } from '../../../shared/errors';
import { nodeId } from '../../../shared/model';
import type { PolicyDraft, SnapshotPolicy } from '../../../shared/schedules';
import type { ServerPolicy, ServerPolicyDraft } from '../providers/provider';
import { sameContent } from '../util/same-content';
import type { ScheduleEnvironment } from './schedule-environment';
import { nextRunAfter } from './schedule-time';

const MARK = ':policy:';

export function serverPolicyId(serverId: string, nativeRef: string): string {
  return `${serverId}${MARK}${nativeRef}`;
}

/** The server and native ref of a server policy's id, or undefined for another kind of id. */
export function parseServerPolicyId(id: string): { serverId: string; nativeRef: string } | undefined {
  const at = id.indexOf(MARK);
  if (at <= 0) return undefined;
  return { serverId: id.slice(0, at), nativeRef: id.slice(at + MARK.length) };
}

/** The native ref of a member node id on that server (members are VMs). */
export function memberRef(serverId: string, memberId: string): string {
  const node = memberId.split(':');
  if (node[0] !== serverId || node.length < 3) {
    throw new PolyvisorError({ code: 'INVALID_INPUT', message: `${memberId} is not an item of the policy's server.`, field: 'members' });
  }
  return node.slice(2).join(':');
}

export function toSnapshotPolicy(serverId: string, p: ServerPolicy, env: ScheduleEnvironment): SnapshotPolicy {
  const policy: SnapshotPolicy = {
    id: serverPolicyId(serverId, p.nativeRef),
    runner: { kind: 'server', serverId },
    name: p.name,
    description: p.description,
    type: p.type,
    frequency: p.frequency,
    timeZone: p.timeZone,
    retain: p.retain,
    enabled: p.enabled,
    members: p.memberRefs.map((ref) => nodeId(serverId, 'vm', ref)),
  };
  if (p.lastRunAt) policy.lastRun = { at: p.lastRunAt, outcome: 'success', message: `Run by ${env.serverName(serverId)}; its alerts say how each snapshot went.` };
  if (p.enabled) {
    const next = nextRunAfter(p.frequency, p.timeZone, env.now());
    if (next) policy.nextRun = next.toISOString();
  }
  return policy;
}

/** A whole draft for the server (create). */
export function toServerDraft(serverId: string, draft: PolicyDraft): ServerPolicyDraft {
  return {
    name: draft.name,
    description: draft.description ?? '',
    type: draft.type,
    frequency: draft.frequency,
    retain: draft.retain,
    enabled: draft.enabled ?? true,
    memberRefs: draft.members.map((m) => memberRef(serverId, m)),
  };
}

/** Only what changes (update). */
export function toServerChanges(serverId: string, changes: Partial<PolicyDraft>): Partial<ServerPolicyDraft> {
  const out: Partial<ServerPolicyDraft> = {};
  if (changes.name !== undefined) out.name = changes.name;
  if (changes.description !== undefined) out.description = changes.description;
  if (changes.type !== undefined) out.type = changes.type;
  if (changes.frequency !== undefined) out.frequency = changes.frequency;
  if (changes.retain !== undefined) out.retain = changes.retain;
  if (changes.enabled !== undefined) out.enabled = changes.enabled;
  if (changes.members !== undefined) out.memberRefs = changes.members.map((m) => memberRef(serverId, m));
  return out;
}

/** Every connected server's own policies. */
export function listServerPolicies(env: ScheduleEnvironment): SnapshotPolicy[] {
  return env.serverIds().flatMap((serverId) => (env.serverPolicies(serverId)?.list() ?? []).map((p) => toSnapshotPolicy(serverId, p, env)));
}

/** Turns each server's whole list into per-policy events, keeping what it last said. */
export class ServerPolicyFeed {
  private readonly known = new Map<string, Map<string, SnapshotPolicy>>();

  constructor(
    private readonly env: ScheduleEnvironment,
    private readonly emit: { changed(p: SnapshotPolicy): void; removed(id: string): void },
  ) {}

  /** The server's list now (empty when it disconnected). */
  update(serverId: string, policies: ServerPolicy[]): void {
    const before = this.known.get(serverId) ?? new Map<string, SnapshotPolicy>();
    const after = new Map(policies.map((p) => [serverPolicyId(serverId, p.nativeRef), toSnapshotPolicy(serverId, p, this.env)] as const));
    for (const [id, policy] of after) if (!sameContent(before.get(id), policy)) this.emit.changed(policy);
    for (const id of before.keys()) if (!after.has(id)) this.emit.removed(id);
    if (after.size) this.known.set(serverId, after);
    else this.known.delete(serverId);
  }
}
