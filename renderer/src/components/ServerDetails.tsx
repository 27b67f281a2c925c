// Details of a saved server: its commands, address and login as the platform writes
// them (the provider's display rules), connection state, last error and certificate pin.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServerView } from '../../../shared/contract';
import { SERVER_DETAILS } from '../commands/layouts';
import { providerName, serverDisplay, useDescriptor } from '../providers/descriptors';
import { serverKey } from '../tree/inventory-index';
import { CommandBar } from './CommandBar';
import { ErrorDetails } from './ErrorDetails';
import { SummarySection } from '../summary/SummarySection';

export function ServerDetails({ server }: { server: ServerView }) {
  const { t, i18n } = useTranslation();
  const descriptor = useDescriptor(server.type);
  const display = serverDisplay(server, descriptor);
  const scope = useMemo(() => ({ keys: [serverKey(server.id)] }), [server.id]);
  return (
    <div className="general-tab" data-testid="server-details">
      <div className="subtoolbar" role="toolbar" aria-label={t('server.toolbarLabel')}>
        <CommandBar layout={SERVER_DETAILS} testIdPrefix="server-" scope={scope} />
      </div>
      {server.state === 'connected' ? <SummarySection serverId={server.id} rootId={null} /> : null}
      <h3 className="section-title">{t('server.connectionTitle')}</h3>
      <dl className="prop-grid">
        <dt>{t('server.type')}</dt>
        <dd data-prop="type">{providerName(descriptor, server.type, i18n.language)}</dd>
        <dt>{t('server.address')}</dt>
        <dd data-prop="address">{display.address}</dd>
        <dt>{t('server.user')}</dt>
        <dd data-prop="user">{display.login || '—'}</dd>
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
