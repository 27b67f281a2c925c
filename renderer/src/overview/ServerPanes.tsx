// A server's details: its General page (ServerDetails) and, once it has an inventory,
// the Overview grid of everything on it (a Docker engine's containers, a pool's VMs).
import type { ServerView } from '../../../shared/contract';
import { ServerDetails } from '../components/ServerDetails';
import { useStore, type DetailsTab } from '../store/store';
import { DetailsTabs } from '../components/DetailsTabs';
import { serverKey } from '../tree/inventory-index';
import { OverviewTab } from './OverviewTab';

export function ServerPanes({ server }: { server: ServerView }) {
  const tab = useStore((s) => s.detailsTab);
  const hasTree = useStore((s) => (s.index.children.get(serverKey(server.id))?.length ?? 0) > 0);
  const tabs: DetailsTab[] = hasTree ? ['general', 'overview'] : ['general'];
  const active = tabs.includes(tab) ? tab : 'general';
  if (tabs.length === 1) return <ServerDetails server={server} />;
  return (
    <DetailsTabs tabs={tabs} active={active}>
      {active === 'overview' ? <OverviewTab key={server.id} rootKey={serverKey(server.id)} rootName={server.name} /> : <ServerDetails server={server} />}
    </DetailsTabs>
  );
}
