// Trust on first use: show the certificate a server presented and let the user decide.
// A changed certificate is refused unless the user explicitly accepts the new one; a
// certificate outside its dates is shown but cannot be accepted (it must be renewed).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
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
  const outsideDates = error.certificateValidity;
  const where = cert ? `${cert.host}:${cert.port}` : server ? `${server.host}:${server.port}` : '';
  const cancel = () => storeActions.dismissCert(serverId, cert?.fingerprint256 ?? '');
  const accept = () => {
    if (!cert || outsideDates || (changed && !confirmed)) return;
    void acceptCertificate(serverId, cert.fingerprint256);
  };

  return (
    <Dialog
      title={outsideDates ? t('cert.outsideDatesTitle') : changed ? t('cert.changedTitle') : t('cert.untrustedTitle')}
      testId="certificate-dialog"
      tone={changed || outsideDates ? 'danger' : 'normal'}
      wide
      onCancel={cancel}
      onSubmit={accept}
      footer={
        <>
          <button type="button" data-testid="cert-cancel" onClick={cancel} data-autofocus={changed || outsideDates ? true : undefined}>
            {outsideDates ? t('common.close') : t('common.cancel')}
          </button>
          {outsideDates ? null : (
            <button type="submit" className={changed ? 'danger' : 'primary'} data-testid="cert-accept" disabled={!cert || (changed && !confirmed)}>
              {changed ? t('cert.trustNew') : t('cert.trustAndConnect')}
            </button>
          )}
        </>
      }
    >
      <p data-testid="cert-intro">{intro(t, error, where, i18n.language)}</p>
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
            <dd className={outsideDates === 'not-yet-valid' ? 'danger-text' : undefined}>{formatDateTime(cert.validFrom, i18n.language)}</dd>
            <dt>{t('cert.validTo')}</dt>
            <dd className={outsideDates === 'expired' ? 'danger-text' : undefined} data-testid="cert-valid-to">
              {formatDateTime(cert.validTo, i18n.language)}
            </dd>
          </>
        ) : null}
      </dl>
      {cert ? null : <p className="error-message">{error.message}</p>}
      {outsideDates ? (
        <p className="hint" data-testid="cert-renew-hint">
          {t('cert.renewHint')}
        </p>
      ) : changed ? (
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

function intro(t: TFunction, error: ErrorInfo, where: string, language: string): string {
  const cert = error.certificate;
  if (cert && error.certificateValidity === 'expired') return t('cert.expiredIntro', { where, date: formatDateTime(cert.validTo, language) });
  if (cert && error.certificateValidity === 'not-yet-valid') return t('cert.notYetValidIntro', { where, date: formatDateTime(cert.validFrom, language) });
  return error.code === 'CERT_CHANGED' ? t('cert.changedIntro', { where }) : t('cert.untrustedIntro', { where });
}
