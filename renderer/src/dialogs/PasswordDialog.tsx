// Asked when a server has no stored password, or the one tried was rejected.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../shared/errors';
import { useStore, storeActions } from '../store/store';
import { connectServer } from '../store/requests';
import { getClient } from '../client';
import { toErrorInfo } from '../../../shared/errors';
import { ErrorDetails } from '../components/ErrorDetails';
import { Dialog } from './Dialog';

export function PasswordDialog({ serverId, error }: { serverId: string; error?: ErrorInfo }) {
  const { t } = useTranslation();
  const server = useStore((s) => s.servers.find((v) => v.id === serverId));
  const keychainAvailable = useStore((s) => s.info?.keychain.available ?? false);
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<ErrorInfo | null>(null);
  if (!server) return null;

  const submit = async () => {
    setBusy(true);
    try {
      if (remember) {
        try {
          await getClient().client.invoke('servers:update', serverId, { password, rememberPassword: true });
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
      <p>{t('password.intro', { name: server.name, user: server.username, host: `${server.host}:${server.port}` })}</p>
      {error?.code === 'AUTH_FAILED' ? (
        <div className="form-error" data-testid="auth-failed">
          {t('password.rejected')}
          <ErrorDetails error={error} compact />
        </div>
      ) : null}
      {saveError ? <ErrorDetails error={saveError} compact /> : null}
      <label className="field">
        <span>{t('addServer.password')}</span>
        <input type="password" data-testid="password-input" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={remember} disabled={!keychainAvailable} onChange={(e) => setRemember(e.target.checked)} />
        {t('addServer.rememberPassword')}
      </label>
      {!keychainAvailable ? <p className="hint">{t('addServer.keychainUnavailableHint')}</p> : null}
    </Dialog>
  );
}
