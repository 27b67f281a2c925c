// Details of a saved server: address, connection state, last error, certificate pin and actions.
import { useTranslation } from 'react-i18next';
import type { ServerView } from '../../../shared/contract';
import { storeActions } from '../store/store';
import { connectServer, disconnectServer, removeServer } from '../store/commands';
import { ErrorDetails } from './ErrorDetails';

export function ServerDetails({ server }: { server: ServerView }) {
  const { t } = useTranslation();
  const connected = server.state === 'connected' || server.state === 'connecting' || server.state === 'reconnecting';
  const confirmRemove = () =>
    storeActions.openDialog({
      kind: 'confirm',
      title: t('server.removeTitle'),
      message: t('server.removeMessage', { name: server.name }),
      confirmLabel: t('server.remove'),
      danger: true,
      onConfirm: () => void removeServer(server.id),
    });
  return (
    <div className="general-tab" data-testid="server-details">
      <div className="subtoolbar">
        {connected ? (
          <button type="button" data-testid="server-disconnect" onClick={() => void disconnectServer(server.id)}>
            {t('toolbar.disconnect')}
          </button>
        ) : (
          <button type="button" data-testid="server-connect" onClick={() => void connectServer(server.id)}>
            {t('toolbar.connect')}
          </button>
        )}
        <button type="button" data-testid="server-edit" onClick={() => storeActions.openDialog({ kind: 'addServer', editId: server.id })}>
          {t('server.edit')}
        </button>
        <button type="button" data-testid="server-remove" onClick={confirmRemove}>
          {t('server.remove')}
        </button>
      </div>
      <h3 className="section-title">{t('server.connectionTitle')}</h3>
      <dl className="prop-grid">
        <dt>{t('server.type')}</dt>
        <dd>{t(`serverType.${server.type}`)}</dd>
        <dt>{t('server.address')}</dt>
        <dd data-prop="address">{typeof server.options.socketPath === 'string' && server.options.socketPath ? server.options.socketPath : `${server.host}:${server.port}`}</dd>
        <dt>{t('server.user')}</dt>
        <dd data-prop="user">{loginName(server) || '—'}</dd>
        <dt>{t('server.state')}</dt>
        <dd data-prop="state">{t(`connection.${server.state}`)}</dd>
        <dt>{t('server.passwordStored')}</dt>
        <dd>{server.hasStoredPassword ? t('common.yes') : t('common.no')}</dd>
        <dt>{t('server.autoConnect')}</dt>
        <dd>{server.autoConnect ? t('common.yes') : t('common.no')}</dd>
        <dt>{t('server.fingerprint')}</dt>
        <dd className="mono">{server.pinnedFingerprint ?? t('server.noPin')}</dd>
      </dl>
      {server.error ? (
        <>
          <h3 className="section-title">{t('server.lastError')}</h3>
          <ErrorDetails error={server.error} />
        </>
      ) : null}
    </div>
  );
}

/** The login as the platform writes it: Proxmox VE's user@realm (and !token for an API token). */
function loginName(server: ServerView): string {
  if (server.type !== 'proxmox' || !server.username) return server.username;
  const realm = typeof server.options.realm === 'string' && server.options.realm ? server.options.realm : 'pam';
  const token = typeof server.options.tokenId === 'string' && server.options.tokenId ? `!${server.options.tokenId}` : '';
  return `${server.username}@${realm}${token}`;
}
