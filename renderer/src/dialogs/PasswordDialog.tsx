// Asked when a server has no stored password, or the one tried was rejected. The user name
// can be corrected too (the rejection names both), the "remember" choice is the saved one,
// and a rejection is said once, with the server's code beside it.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../shared/errors';
import type { ServerDraft } from '../../../shared/contract';
import { useStore, storeActions } from '../store/store';
import { connectServer } from '../store/requests';
import { getClient } from '../client';
import { toErrorInfo } from '../../../shared/errors';
import { ErrorDetails } from '../components/ErrorDetails';
import { Dialog } from './Dialog';
import { localized } from '../../../shared/descriptor';
import { useDescriptor } from '../providers/descriptors';

export function PasswordDialog({ serverId, error }: { serverId: string; error?: ErrorInfo }) {
  const { t, i18n } = useTranslation();
  const server = useStore((s) => s.servers.find((v) => v.id === serverId));
  const userField = useDescriptor(server?.type)?.fields.find((f) => f.key === 'username');
  const keychainAvailable = useStore((s) => s.info?.keychain.available ?? false);
  const [username, setUsername] = useState(server?.username ?? '');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(keychainAvailable && (server?.rememberPassword ?? false));
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<ErrorInfo | null>(null);
  if (!server) return null;

  const submit = async () => {
    setBusy(true);
    try {
      const changes: Partial<ServerDraft> = {};
      if (username !== server.username) changes.username = username;
      if (remember) Object.assign(changes, { password, rememberPassword: true });
      else if (server.rememberPassword) changes.rememberPassword = false;
      if (Object.keys(changes).length > 0) {
        try {
          storeActions.serverChanged(await getClient().client.invoke('servers:update', serverId, changes));
        } catch (e) {
          setSaveError(toErrorInfo(e));
          return;
        }
      }
      storeActions.closeDialog();
      await connectServer(serverId, password);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={t('password.title')}
      testId="password-dialog"
      onCancel={storeActions.closeDialog}
      onSubmit={() => void submit()}
      footer={
        <>
          <button type="button" onClick={storeActions.closeDialog}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" data-testid="password-connect" disabled={busy}>
            {t('command.connect')}
          </button>
        </>
      }
    >
      <p>{t('password.introUser', { name: server.name, host: `${server.host}:${server.port}` })}</p>
      {error?.code === 'AUTH_FAILED' ? (
        <p className="form-error" role="alert" data-testid="auth-failed">
          {t('password.rejected')}
          {error.serverCode ? <span className="server-code mono" data-testid="auth-failed-code">{` ${error.serverCode}`}</span> : null}
        </p>
      ) : null}
      {saveError ? <ErrorDetails error={saveError} compact /> : null}
      {userField ? (
        <label className="field">
          <span>{localized(userField.label, i18n.language)}</span>
          <input type="text" data-testid="password-username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
      ) : null}
      <label className="field">
        <span>{t('addServer.password')}</span>
        <input type="password" data-testid="password-input" autoComplete="current-password" value={password} data-autofocus onChange={(e) => setPassword(e.target.value)} />
      </label>
      <label className="checkbox">
        <input type="checkbox" data-testid="password-remember" checked={remember} disabled={!keychainAvailable} onChange={(e) => setRemember(e.target.checked)} />
        {t('addServer.rememberPassword')}
      </label>
      {!keychainAvailable ? <p className="hint">{t('addServer.keychainUnavailableHint')}</p> : null}
    </Dialog>
  );
}
