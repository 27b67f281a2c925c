// The details pane's tab strip and its panel: one tab per id, the chosen one shown.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { storeActions, type DetailsTab } from '../store/store';

export function DetailsTabs({ tabs, active, children }: { tabs: readonly DetailsTab[]; active: DetailsTab; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      <div className="tabs" role="tablist" aria-label={t('details.tabsLabel')}>
        {tabs.map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={active === id}
            aria-controls={`tabpanel-${id}`}
            data-testid={`tab-${id}`}
            className={`tab${active === id ? ' active' : ''}`}
            onClick={() => storeActions.setDetailsTab(id)}
          >
            {t(`details.tab.${id}`)}
          </button>
        ))}
      </div>
      <div className="tab-panel" role="tabpanel" id={`tabpanel-${active}`} aria-labelledby={`tab-${active}`}>
        {children}
      </div>
    </>
  );
}
