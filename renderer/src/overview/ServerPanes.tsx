// A server's details: its General page (ServerDetails) and, once it has an inventory,
// the Overview grid of everything on it (a Docker engine's containers, a pool's VMs).
import { useTranslation } from 'react-i18next';
import type { ServerView } from '../../../shared/contract';
import { ServerDetails } from '../components/ServerDetails';
import { storeActions, useStore, type DetailsTab } from '../store/store';
import { serverKey } from '../tree/inventory-index';
import { OverviewTab } from './OverviewTab';

export function ServerPanes({ server }: { server: ServerView }) {
  const { t } = useTranslation();
  const tab = useStore((s) => s.detailsTab);
  const hasTree = useStore((s) => (s.index.children.get(serverKey(server.id))?.length ?? 0) > 0);
  const tabs: DetailsTab[] = hasTree ? ['general', 'overview'] : ['general'];
  const active = tabs.includes(tab) ? tab : 'general';
  if (tabs.length === 1) return <ServerDetails server={server} />;
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
        {active === 'overview' ? <OverviewTab key={server.id} rootKey={serverKey(server.id)} rootName={server.name} /> : <ServerDetails server={server} />}
      </div>
    </>
  );
}
