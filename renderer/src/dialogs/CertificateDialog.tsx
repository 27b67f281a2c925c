// Trust on first use: show the certificate a server presented and let the user decide.
// A changed certificate is refused unless the user explicitly accepts the new one.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../shared/errors';
import { useStore, storeActions } from '../store/store';
import { acceptCertificate } from '../store/requests';
import { formatDateTime } from '../components/format';
import { Dialog } from './Dialog';
import { Fingerprint } from './Fingerprint';

export function CertificateDialog({ serverId, error }: { serverId: string; error: ErrorInfo }) {
  const { t, i18n } = useTranslation();
  const server = useStore((s) => s.servers.find((v) => v.id === serverId));
  const [confirmed, setConfirmed] = useState(false);
  const cert = error.certificate;
  const changed = error.code === 'CERT_CHANGED';
  const where = cert ? `${cert.host}:${cert.port}` : server ? `${server.host}:${server.port}` : '';
  const cancel = () => storeActions.dismissCert(serverId, cert?.fingerprint256 ?? '');
  const accept = () => {
    if (!cert || (changed && !confirmed)) return;
    void acceptCertificate(serverId, cert.fingerprint256);
  };

  return (
    <Dialog
      title={changed ? t('cert.changedTitle') : t('cert.untrustedTitle')}
      testId="certificate-dialog"
      tone={changed ? 'danger' : 'normal'}
      wide
      onCancel={cancel}
      onSubmit={accept}
      footer={
        <>
          <button type="button" data-testid="cert-cancel" onClick={cancel} data-autofocus={changed ? true : undefined}>
            {t('common.cancel')}
          </button>
          <button type="submit" className={changed ? 'danger' : 'primary'} data-testid="cert-accept" disabled={!cert || (changed && !confirmed)}>
            {changed ? t('cert.trustNew') : t('cert.trustAndConnect')}
          </button>
        </>
      }
    >
      <p data-testid="cert-intro">{changed ? t('cert.changedIntro', { where }) : t('cert.untrustedIntro', { where })}</p>
      <dl className="prop-grid cert-grid">
        {changed ? (
          <>
            <dt>{t('cert.oldFingerprint')}</dt>
            <dd>
              <Fingerprint value={error.pinnedFingerprint ?? server?.pinnedFingerprint ?? '—'} testId="cert-old-fingerprint" />
            </dd>
            <dt>{t('cert.newFingerprint')}</dt>
            <dd>
              <Fingerprint value={cert?.fingerprint256 ?? '—'} testId="cert-new-fingerprint" />
            </dd>
          </>
        ) : cert ? (
          <>
            <dt>{t('cert.fingerprint')}</dt>
            <dd>
              <Fingerprint value={cert.fingerprint256} testId="cert-fingerprint" />
            </dd>
          </>
        ) : null}
        {cert ? (
          <>
            <dt>{t('cert.subject')}</dt>
            <dd data-testid="cert-subject">{cert.subject}</dd>
            <dt>{t('cert.issuer')}</dt>
            <dd data-testid="cert-issuer">{cert.issuer}</dd>
            <dt>{t('cert.validFrom')}</dt>
            <dd>{formatDateTime(cert.validFrom, i18n.language)}</dd>
            <dt>{t('cert.validTo')}</dt>
            <dd>{formatDateTime(cert.validTo, i18n.language)}</dd>
          </>
        ) : null}
      </dl>
      {cert ? null : <p className="error-message">{error.message}</p>}
      {changed ? (
        <label className="checkbox danger-text">
          <input type="checkbox" data-testid="cert-confirm-change" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
          {t('cert.confirmChange')}
        </label>
      ) : (
        <p className="hint">{t('cert.untrustedHint')}</p>
      )}
    </Dialog>
  );
}
