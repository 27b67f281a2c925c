// Notices above the workspace: store problems, keychain availability, lost link, recent errors.
import { useTranslation } from 'react-i18next';
import { useStore, storeActions } from '../store/store';
import { ErrorDetails } from './ErrorDetails';
import { Glyph } from './Icons';

export function Banners() {
  const { t } = useTranslation();
  const problems = useStore((s) => s.storeProblems);
  const keychain = useStore((s) => s.info?.keychain);
  const link = useStore((s) => s.linkState);
  const notices = useStore((s) => s.notices);
  return (
    <div className="banners">
      {problems.map((p) => (
        <div key={`${p.file}|${p.at}`} className="banner warn" role="alert" data-testid="store-problem">
          {t('banner.storeProblem', { file: p.file, keptAs: p.keptAs })}
          <span className="banner-detail">{p.message}</span>
        </div>
      ))}
      {keychain && !keychain.available ? (
        <div className="banner warn" role="status" data-testid="keychain-banner">
          {t('banner.keychainUnavailable')}
          {keychain.message ? <span className="banner-detail">{keychain.message}</span> : null}
        </div>
      ) : null}
      {link === 'closed' ? (
        <div className="banner bad" role="alert" data-testid="link-banner">
          {t('banner.linkLost')}
        </div>
      ) : null}
      {notices.map((n) => (
        <div key={n.id} className={`banner ${n.kind === 'error' ? 'bad' : 'info'}`} role={n.kind === 'error' ? 'alert' : 'status'} data-testid="notice">
          <div className="banner-body">
            <div>{n.text}</div>
            {n.error ? <ErrorDetails error={n.error} compact /> : null}
          </div>
          <button type="button" className="icon-button" aria-label={t('common.dismiss')} onClick={() => storeActions.dismissNotice(n.id)}>
            <Glyph name="close" />
          </button>
        </div>
      ))}
    </div>
  );
}
