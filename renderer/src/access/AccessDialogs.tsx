// The Users tab's dialogs: join a domain (the password goes to the server once and is
// dropped from memory right after), add a user or group with a role, change a role, and
// the confirmations of leaving the domain and removing a subject. Each shows the server's
// refusal in place.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccessOverview, AccessRole, AccessSubject, DomainJoin } from '../../../shared/access';
import type { ErrorInfo } from '../../../shared/errors';
import { ErrorDetails } from '../components/ErrorDetails';
import { Dialog } from '../dialogs/Dialog';
import type { Answer } from '../migration/migration-requests';

export type Submit = () => Promise<Answer<AccessOverview>>;

/** A dialog whose primary button sends one change; it closes when the server took it. */
function ChangeDialog(props: { title: string; testId: string; submitLabel: string; disabled?: boolean; tone?: 'danger'; send: Submit; done: (o: AccessOverview) => void; cancel: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const submit = async () => {
    if (busy || props.disabled) return;
    setBusy(true);
    const answer = await props.send();
    setBusy(false);
    if (answer.ok) props.done(answer.value);
    else setError(answer.error);
  };
  return (
    <Dialog
      title={props.title}
      testId={`${props.testId}-dialog`}
      tone={props.tone}
      onCancel={props.cancel}
      onSubmit={() => void submit()}
      footer={
        <>
          <button type="button" onClick={props.cancel}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" data-testid={`${props.testId}-submit`} disabled={props.disabled || busy} aria-busy={busy}>
            {props.submitLabel}
          </button>
        </>
      }
    >
      {props.children}
      {error ? <ErrorDetails error={error} /> : null}
    </Dialog>
  );
}

type Common = { done: (o: AccessOverview) => void; cancel: () => void };

export function JoinDomainDialog(props: Common & { join: (join: DomainJoin) => Promise<Answer<AccessOverview>> }) {
  const { t } = useTranslation();
  const [domain, setDomain] = useState('');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const send = async () => {
    const answer = await props.join({ domain: domain.trim(), user: user.trim(), password });
    setPassword('');
    return answer;
  };
  return (
    <ChangeDialog title={t('access.join.title')} testId="access-join" submitLabel={t('access.join.submit')} disabled={!domain.trim() || !user.trim() || !password} send={send} done={props.done} cancel={props.cancel}>
      <p className="details-hint">{t('access.join.intro')}</p>
      <label className="field">
        <span>{t('access.join.domain')}</span>
        <input data-testid="access-join-domain" value={domain} onChange={(e) => setDomain(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('access.join.user')}</span>
        <input data-testid="access-join-user" value={user} autoComplete="off" onChange={(e) => setUser(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('access.join.password')}</span>
        <input data-testid="access-join-password" type="password" value={password} autoComplete="off" onChange={(e) => setPassword(e.target.value)} />
      </label>
    </ChangeDialog>
  );
}

function RolePicker({ roles, value, onChange }: { roles: AccessRole[]; value: string; onChange: (role: string) => void }) {
  const { t } = useTranslation();
  return (
    <fieldset className="field access-roles" data-testid="access-role-picker">
      <legend>{t('access.col.role')}</legend>
      {roles.map((r) => (
        <label key={r.name} className="radio" title={r.description}>
          <input type="radio" name="access-role" value={r.name} data-testid={`access-role-${r.name}`} checked={value === r.name} onChange={() => onChange(r.name)} />
          <span>
            <strong>{r.name}</strong> <span className="hint">{r.description}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

export function AddSubjectDialog(props: Common & { roles: AccessRole[]; add: (name: string, role: string) => Promise<Answer<AccessOverview>> }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [role, setRole] = useState(props.roles[props.roles.length - 1]?.name ?? '');
  return (
    <ChangeDialog title={t('access.add.title')} testId="access-add" submitLabel={t('access.add.submit')} disabled={!name.trim() || !role} send={() => props.add(name.trim(), role)} done={props.done} cancel={props.cancel}>
      <label className="field">
        <span>{t('access.add.name')}</span>
        <input data-testid="access-add-name" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <RolePicker roles={props.roles} value={role} onChange={setRole} />
    </ChangeDialog>
  );
}

export function ChangeRoleDialog(props: Common & { subject: AccessSubject; roles: AccessRole[]; set: (role: string) => Promise<Answer<AccessOverview>> }) {
  const { t } = useTranslation();
  const [role, setRole] = useState(props.subject.roles[0] ?? '');
  return (
    <ChangeDialog title={t('access.role.title', { name: props.subject.name })} testId="access-role" submitLabel={t('access.role.submit')} disabled={!role} send={() => props.set(role)} done={props.done} cancel={props.cancel}>
      <RolePicker roles={props.roles} value={role} onChange={setRole} />
    </ChangeDialog>
  );
}

export function ConfirmAccessDialog(props: Common & { title: string; text: string; submitLabel: string; testId: string; send: Submit }) {
  return (
    <ChangeDialog title={props.title} testId={props.testId} submitLabel={props.submitLabel} tone="danger" send={props.send} done={props.done} cancel={props.cancel}>
      <p>{props.text}</p>
    </ChangeDialog>
  );
}
