// Which VMs and containers the policy snapshots, picked from the inventory by server.
// Polyvisor's own policies take members from any server; a policy a server runs takes
// only that server's VMs. When every member is on one server that can run policies,
// the user chooses whether it does (it then runs with Polyvisor closed).
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InventoryNode } from '../../../shared/model';
import type { PolicyRunner } from '../../../shared/schedules';
import { useStore } from '../store/store';
import { FieldProblem } from './FieldProblem';
import { serverRunnerFor, type Member } from './policy-rules';
import type { StepProps } from './wizard-draft';

/** More rows than this wait for a narrower search. */
const SHOWN = 400;

interface Group {
  serverId: string;
  serverName: string;
  guests: InventoryNode[];
}

function useGroups(filter: string): Group[] {
  const index = useStore((s) => s.index);
  const servers = useStore((s) => s.servers);
  return useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const byServer = new Map<string, InventoryNode[]>();
    for (const node of index.nodes.values()) {
      if ((node.kind !== 'vm' && node.kind !== 'container') || node.controlDomain) continue;
      if (needle && !node.name.toLowerCase().includes(needle)) continue;
      const list = byServer.get(node.serverId);
      if (list) list.push(node);
      else byServer.set(node.serverId, [node]);
    }
    return servers
      .filter((s) => byServer.has(s.id))
      .map((s) => ({ serverId: s.id, serverName: s.name, guests: byServer.get(s.id)!.sort((a, b) => a.name.localeCompare(b.name)) }));
  }, [index, servers, filter]);
}

export function MembersStep(props: StepProps & { members: readonly Member[]; runner: PolicyRunner; fixedRunner?: PolicyRunner }) {
  const { t } = useTranslation();
  const { draft, change, problems, fixedRunner } = props;
  const [filter, setFilter] = useState('');
  const groups = useGroups(filter);
  const servers = useStore((s) => s.servers);
  const chosen = new Set(draft.members);
  const candidate = serverRunnerFor(props.members);
  const candidateName = servers.find((s) => s.id === candidate)?.name ?? '';
  const onlyServer = fixedRunner?.kind === 'server' ? fixedRunner.serverId : null;
  const toggle = (id: string, on: boolean) => change({ members: on ? [...draft.members, id] : draft.members.filter((m) => m !== id) });
  const runnerServerId = props.runner.kind === 'server' ? props.runner.serverId : null;
  const total = groups.reduce((n, g) => n + g.guests.length, 0);
  let budget = SHOWN;

  return (
    <div className="form-grid">
      <p className="hint">{t('policyWizard.membersIntro')}</p>
      {fixedRunner ? null : candidate ? (
        <label className="checkbox">
          <input type="checkbox" data-testid="policy-run-on-server" checked={draft.runOnServer} onChange={(e) => change({ runOnServer: e.target.checked })} />
          {t('policyWizard.runOnServer', { server: candidateName })}
        </label>
      ) : null}
      <p className="policy-runner-note" data-testid="policy-runner-note">
        {runnerServerId ? t('policyWizard.runnerServer', { server: servers.find((s) => s.id === runnerServerId)?.name ?? runnerServerId }) : t('policyWizard.runnerHere')}
      </p>
      <input type="search" data-testid="policy-member-search" placeholder={t('policyWizard.memberSearch')} aria-label={t('policyWizard.memberSearch')} value={filter} onChange={(e) => setFilter(e.target.value)} />
      <div className={`member-picker${problems.members ? ' invalid' : ''}`} data-testid="policy-members">
        {groups.length === 0 ? <p className="details-hint">{t('policyWizard.noGuests')}</p> : null}
        {groups.map((group) => {
          const outside = onlyServer !== null && group.serverId !== onlyServer;
          const guests = group.guests.slice(0, budget);
          budget -= guests.length;
          return (
            <div key={group.serverId} className="member-group" data-server={group.serverName}>
              <div className="member-server">
                {group.serverName}
                {outside ? <span className="hint">{` · ${t('policyWizard.otherServer')}`}</span> : null}
              </div>
              {guests.map((node) => (
                <label key={node.id} className="checkbox member-row" title={outside ? t('policyWizard.otherServer') : undefined}>
                  <input type="checkbox" data-testid="policy-member" data-id={node.id} data-name={node.name} checked={chosen.has(node.id)} disabled={outside} onChange={(e) => toggle(node.id, e.target.checked)} />
                  {node.name}
                  <span className="hint">{` ${t(`kind.${node.kind}`)}`}</span>
                </label>
              ))}
            </div>
          );
        })}
        {total > SHOWN ? <p className="hint">{t('policyWizard.narrowSearch')}</p> : null}
      </div>
      <p className="hint" data-testid="policy-member-count">
        {t('policyWizard.membersChosen', { count: draft.members.length })}
      </p>
      <FieldProblem text={problems.members} testId="policy-members-error" />
    </div>
  );
}
