// Lasting conditions above the workspace: store problems, keychain availability, lost link.
// Errors and results of commands are toasts (Toasts.tsx): they never move the layout.
import { useTranslation } from 'react-i18next';
import { useStore } from '../store/store';

export function Banners() {
  const { t } = useTranslation();
  const problems = useStore((s) => s.storeProblems);
  const keychain = useStore((s) => s.info?.keychain);
  const link = useStore((s) => s.linkState);
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
    </div>
  );
}
