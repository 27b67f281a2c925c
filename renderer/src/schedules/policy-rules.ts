// What a policy may be, before it is sent: who can run it (the server itself when every
// member is on one server whose platform runs policies, else Polyvisor), which snapshot
// types every member's platform has, how many snapshots the runner may keep, and the
// problems of a draft, each on the wizard field it belongs to.
import type { TFunction } from 'i18next';
import type { ServerView } from '../../../shared/contract';
import { localized, type ProviderDescriptor } from '../../../shared/descriptor';
import type { InventoryNode } from '../../../shared/model';
import type { PolicyRunner, PolicySnapshotType } from '../../../shared/schedules';
import { descriptorOf } from '../providers/descriptors';
import type { UiState } from '../store/store';
import { snapshotKindsOf } from '../tree/snapshot-kinds';
import type { WizardDraft } from './wizard-draft';

export interface Member {
  id: string;
  /** absent while its server is not connected (or the VM is gone) */
  node?: InventoryNode;
  server?: ServerView;
  descriptor?: ProviderDescriptor;
}

/** The contract's own bounds (shared/contract-schemas.ts PolicyDraftSchema). */
export const NAME_MAX = 256;
export const DESCRIPTION_MAX = 1024;
export const RETAIN_MAX = 1000;

export const SNAPSHOT_TYPES: readonly PolicySnapshotType[] = ['disk', 'memory', 'quiesce'];

export function membersOf(state: Pick<UiState, 'index' | 'servers' | 'info'>, ids: readonly string[]): Member[] {
  return ids.map((id) => {
    const node = state.index.nodes.get(id);
    const serverId = node?.serverId ?? id.slice(0, id.indexOf(':'));
    const server = state.servers.find((s) => s.id === serverId);
    return { id, node, server, descriptor: descriptorOf(state, server?.type) };
  });
}

/** The server that can run a policy for all these members itself; null when Polyvisor must. */
export function serverRunnerFor(members: readonly Member[]): string | null {
  if (members.length === 0) return null;
  const serverId = members[0].server?.id;
  if (!serverId) return null;
  return members.every((m) => m.server?.id === serverId && m.node?.kind === 'vm' && m.descriptor?.facets.serverPolicies) ? serverId : null;
}

/** Who runs the draft: fixed once the policy exists; the server when it can and the user lets it. */
export function runnerOf(draft: WizardDraft, members: readonly Member[], fixed?: PolicyRunner): PolicyRunner {
  if (fixed) return fixed;
  const serverId = serverRunnerFor(members);
  return draft.runOnServer && serverId ? { kind: 'server', serverId } : { kind: 'polyvisor' };
}

function platformName(member: Member, language: string): string {
  return member.descriptor ? localized(member.descriptor.displayName, language) : (member.server?.type ?? '');
}

/** Why a policy of this type cannot snapshot all the members; null when every one's platform has it. */
export function typeProblem(type: PolicySnapshotType, members: readonly Member[], t: TFunction, language: string): string | null {
  for (const member of members) {
    if (!member.node) continue;
    const kinds = snapshotKindsOf(member.server, member.descriptor);
    if (!kinds.includes(type)) return t('policyWizard.typeLacks', { name: member.node.name, platform: platformName(member, language), type: t(`schedules.type.${type}`) });
    if (type === 'memory' && member.node.kind === 'container') return t('policyWizard.typeContainer', { name: member.node.name });
  }
  return null;
}

/** How many snapshots the runner may keep per VM: the server's own limit where it has one. */
export function retainMax(runner: PolicyRunner, state: Pick<UiState, 'servers' | 'info'>): number {
  if (runner.kind !== 'server') return RETAIN_MAX;
  const server = state.servers.find((s) => s.id === runner.serverId);
  return Math.min(RETAIN_MAX, descriptorOf(state, server?.type)?.facets.policyRetainMax ?? RETAIN_MAX);
}

/** The wizard's fields; each problem is shown on its field. */
export type WizardField = 'name' | 'description' | 'members' | 'type' | 'days' | 'retain' | 'schedule';

export type DraftProblems = Partial<Record<WizardField, string>>;

export interface DraftContext {
  members: readonly Member[];
  runner: PolicyRunner;
  retainMax: number;
  t: TFunction;
  language: string;
}

export function draftProblems(draft: WizardDraft, ctx: DraftContext): DraftProblems {
  const { t } = ctx;
  const out: DraftProblems = {};
  const name = draft.name.trim();
  if (!name) out.name = t('policyWizard.nameRequired');
  else if (name.length > NAME_MAX) out.name = t('policyWizard.tooLong', { max: NAME_MAX });
  if (draft.description.length > DESCRIPTION_MAX) out.description = t('policyWizard.tooLong', { max: DESCRIPTION_MAX });
  const serverId = ctx.runner.kind === 'server' ? ctx.runner.serverId : null;
  const runnerServer = serverId ? ctx.members.find((m) => m.server?.id === serverId)?.server : undefined;
  if (ctx.members.length === 0) out.members = t('policyWizard.membersRequired');
  else if (serverId && ctx.members.some((m) => m.server?.id !== serverId)) out.members = t('policyWizard.oneServer');
  else if (runnerServer && runnerServer.state !== 'connected') out.members = t('reason.serverDisconnected', { name: runnerServer.name });
  const type = typeProblem(draft.type, ctx.members, t, ctx.language);
  if (type) out.type = type;
  if (draft.every === 'weekly' && draft.days.length === 0) out.days = t('policyWizard.daysRequired');
  if (!Number.isInteger(draft.retain) || draft.retain < 1 || draft.retain > ctx.retainMax) out.retain = t('policyWizard.retainRange', { max: ctx.retainMax });
  return out;
}

/** The wizard field the core's INVALID_INPUT names (its path in the policy: 'retain', 'frequency.days' …). */
export function wizardFieldOf(path: string | null): WizardField | null {
  if (path === null) return null;
  const [head, sub] = path.split('.');
  switch (head) {
    case 'name':
    case 'description':
    case 'members':
    case 'type':
    case 'retain':
      return head;
    case 'runner':
      return 'members';
    case 'frequency':
      return sub === 'days' ? 'days' : 'schedule';
    case 'timeZone':
      return 'schedule';
    default:
      return null;
  }
}
