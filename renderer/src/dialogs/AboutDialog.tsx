// Help › About: version, mode, and the platforms this build talks to.
import { useTranslation } from 'react-i18next';
import { localized } from '../../../shared/descriptor';
import { descriptorsOf } from '../providers/descriptors';
import { useStore } from '../store/store';
import { InfoDialog } from './InfoDialog';

export function AboutDialog() {
  const { t, i18n } = useTranslation();
  const info = useStore((s) => s.info);
  const providers = useStore((s) => descriptorsOf(s));
  return (
    <InfoDialog title={t('about.title')} testId="about-dialog">
      <p>{t('about.tagline')}</p>
      <dl className="prop-grid">
        <dt>{t('about.version')}</dt>
        <dd data-prop="version">{info?.version ?? '—'}</dd>
        <dt>{t('about.mode')}</dt>
        <dd>{info ? t(`mode.${info.mode}`) : '—'}</dd>
        <dt>{t('about.platforms')}</dt>
        <dd>{providers.map((p) => localized(p.displayName, i18n.language)).join(', ')}</dd>
      </dl>
    </InfoDialog>
  );
}
