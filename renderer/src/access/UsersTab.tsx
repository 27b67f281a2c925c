// The Users tab of a pool (XenCenter's Users tab): the domain the pool is joined to, the
// users and groups that may log in with their roles and whether they are logged in now,
// and what the logged-in user may do. Join or leave the domain, add a user or group,
// change a role, remove, log out — each greyed with the reason where the user's own
// role does not allow it, each answered with the server's new state or its refusal.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { deniedPermission, type AccessOverview } from '../../../shared/access';
import { localized } from '../../../shared/descriptor';
import type { ErrorInfo } from '../../../shared/errors';
import type { InventoryNode } from '../../../shared/model';
import { ErrorDetails } from '../components/ErrorDetails';
import { descriptorOf } from '../providers/descriptors';
import { useStore } from '../store/store';
import { AddSubjectDialog, ChangeRoleDialog, ConfirmAccessDialog, JoinDomainDialog } from './AccessDialogs';
import { accessRequests } from './access-requests';
import './access.css';

type Open = null | 'join' | 'leave' | 'add' | 'role' | 'remove';

const KIND_WORDS = { user: 'access.kind.user', group: 'access.kind.group' } as const;
const ACCOUNT_WORDS = { disabled: 'access.account.disabled', locked: 'access.account.locked', expired: 'access.account.expired' } as const;

export function UsersTab({ node }: { node: InventoryNode }) {
  const { t, i18n } = useTranslation();
  const serverId = node.serverId;
  const facet = useStore((s) => descriptorOf(s, s.servers.find((v) => v.id === serverId)?.type)?.facets.access);
  const [overview, setOverview] = useState<AccessOverview | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [open, setOpen] = useState<Open>(null);

  useEffect(() => {
    let live = true;
    void accessRequests.overview(serverId).then((answer) => {
      if (!live) return;
      if (answer.ok) setOverview(answer.value);
      else setError(answer.error);
    });
    return () => {
      live = false;
    };
  }, [serverId]);

  const done = (next: AccessOverview) => {
    setOverview(next);
    setError(null);
    setOpen(null);
  };
  const close = () => setOpen(null);
  const selected = overview?.subjects.find((s) => s.id === selectedId) ?? null;
  const session = overview?.session;
  const permission = deniedPermission(session, 'access_manage');
  const roleReason = permission ? t('reason.roleDenies', { role: session!.roles.join(', '), action: t('access.manage'), permission }) : null;
  const reasons = {
    join: roleReason ?? (overview?.directory ? t('access.reason.joined') : null),
    leave: roleReason ?? (overview?.directory ? null : t('access.reason.notJoined')),
    add: roleReason ?? (overview?.directory ? null : t('access.reason.joinFirst')),
    selected: roleReason ?? (selected ? null : t('access.reason.selectSubject')),
  };
  const button = (id: Exclude<Open, null> | 'logout', label: string, reason: string | null, onClick: () => void) => (
    <button type="button" data-testid={`access-${id}`} disabled={!!reason} title={reason ?? undefined} aria-description={reason ?? undefined} onClick={onClick}>
      {label}
    </button>
  );
  const logout = async () => {
    if (!selected) return;
    const answer = await accessRequests.logout(serverId, selected.id);
    if (answer.ok) done(answer.value);
    else setError(answer.error);
  };

  return (
    <div className="access-tab" data-testid="users-tab">
      <div className="subtoolbar" role="toolbar" aria-label={t('access.toolbarLabel')}>
        {facet?.domainJoin ? (overview?.directory ? button('leave', t('access.leave.button'), reasons.leave, () => setOpen('leave')) : button('join', t('access.join.button'), reasons.join, () => setOpen('join'))) : null}
        {button('add', t('access.add.button'), reasons.add, () => setOpen('add'))}
        {button('role', t('access.role.button'), reasons.selected, () => setOpen('role'))}
        {button('remove', t('access.remove.button'), reasons.selected, () => setOpen('remove'))}
        {facet?.logoutSessions ? button('logout', t('access.logout.button'), reasons.selected ?? (selected?.loggedIn ? null : t('access.reason.notLoggedIn')), () => void logout()) : null}
      </div>
      {error ? <ErrorDetails error={error} /> : null}
      {!overview && !error ? <p className="details-hint">{t('storage.loading')}</p> : null}
      {overview ? (
        <>
          <p data-testid="access-directory">
            {overview.directory ? t('access.joinedTo', { domain: overview.directory.domain, type: overview.directory.type }) : facet?.domainJoin ? t('access.notJoinedText') : null}
            {facet?.loginHint ? <span className="hint"> {localized(facet.loginHint, i18n.language)}</span> : null}
          </p>
          <p data-testid="access-you">
            {overview.session.superuser ? t('access.youSuperuser', { user: overview.session.user }) : t('access.you', { user: overview.session.user, role: overview.session.roles.join(', ') || '—' })}
          </p>
          <h3 className="section-title">{t('access.subjects')}</h3>
          {overview.subjects.length === 0 ? <p className="details-hint" data-testid="access-no-subjects">{t('access.noSubjects')}</p> : null}
          {overview.subjects.length > 0 ? (
            <table className="access-subjects" data-testid="access-subjects">
              <thead>
                <tr>
                  <th>{t('access.col.name')}</th>
                  <th>{t('access.col.kind')}</th>
                  <th>{t('access.col.role')}</th>
                  <th>{t('access.col.loggedIn')}</th>
                </tr>
              </thead>
              <tbody>
                {overview.subjects.map((s) => (
                  <tr key={s.id} data-testid="access-row" data-name={s.name} aria-selected={s.id === selectedId} className={s.id === selectedId ? 'selected' : undefined} onClick={() => setSelectedId(s.id)}>
                    <td>
                      {s.name}
                      {s.displayName && s.displayName !== s.name ? <span className="hint"> ({s.displayName})</span> : null}
                      {s.accountProblem ? <span className="bad"> {t(ACCOUNT_WORDS[s.accountProblem])}</span> : null}
                    </td>
                    <td>{t(KIND_WORDS[s.kind])}</td>
                    <td data-testid="access-row-role">{s.roles.join(', ') || '—'}</td>
                    <td>{s.loggedIn ? t('storage.yes') : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </>
      ) : null}
      {open === 'join' ? <JoinDomainDialog done={done} cancel={close} join={(join) => accessRequests.joinDomain(serverId, join)} /> : null}
      {open === 'leave' && overview?.directory ? (
        <ConfirmAccessDialog done={done} cancel={close} testId="access-leave" title={t('access.leave.title')} text={t('access.leave.text', { domain: overview.directory.domain })} submitLabel={t('access.leave.submit')} send={() => accessRequests.leaveDomain(serverId)} />
      ) : null}
      {open === 'add' && overview ? <AddSubjectDialog done={done} cancel={close} roles={overview.roles} add={(name, role) => accessRequests.addSubject(serverId, name, role)} /> : null}
      {open === 'role' && overview && selected ? <ChangeRoleDialog done={done} cancel={close} subject={selected} roles={overview.roles} set={(role) => accessRequests.setRole(serverId, selected.id, role)} /> : null}
      {open === 'remove' && selected ? (
        <ConfirmAccessDialog done={done} cancel={close} testId="access-remove" title={t('access.remove.title')} text={t('access.remove.text', { name: selected.name })} submitLabel={t('access.remove.submit')} send={() => accessRequests.removeSubject(serverId, selected.id)} />
      ) : null}
    </div>
  );
}
