// The right-hand pane: what is selected, with its tabs (General, Snapshots, Console, Logs as the platform has them).
import { useTranslation } from 'react-i18next';
import { useStore, type DetailsTab } from '../store/store';
import { isServerKey, serverIdOfKey } from '../tree/inventory-index';
import { GeneralTab } from './GeneralTab';
import { SnapshotsTab } from './SnapshotsTab';
import { ServerPanes } from '../overview/ServerPanes';
import { OverviewTab } from '../overview/OverviewTab';
import { OVERVIEW_ROOT_KINDS } from '../overview/grid-rows';
import { SelectionSummary } from './SelectionSummary';
import { NodeIcon, ServerIcon } from './Icons';
import { ConsoleTab } from '../console/ConsoleTab';
import { DetailsTabs } from './DetailsTabs';
import { hasConsole, hasConsoleGrid } from '../console/console-protocols';
import { ConsoleGrid } from '../console/ConsoleGrid';
import { LogsTab } from '../logs/LogsTab';
import { MemoryTab } from '../guests/MemoryTab';
import { PerformanceTab } from '../performance/PerformanceTab';
import { StorageTab } from '../storage/StorageTab';
import { VmStorageTab } from '../storage/VmStorageTab';
import { NetworkTab } from '../networks/NetworkTab';
import { VmNetworkingTab } from '../networks/VmNetworkingTab';
import { UsersTab } from '../access/UsersTab';
import { HomePage } from '../summary/HomePage';
import { descriptorOf, providerName } from '../providers/descriptors';
import { hiddenKeys, treeOrder } from '../tree/search-visibility';

export function DetailsPane() {
  const { t, i18n } = useTranslation();
  const focusKey = useStore((s) => s.focusKey);
  const selectionSize = useStore((s) => s.selection.length);
  const node = useStore((s) => (s.focusKey ? s.index.nodes.get(s.focusKey) : undefined));
  const server = useStore((s) => (s.focusKey && isServerKey(s.focusKey) ? s.servers.find((v) => v.id === serverIdOfKey(s.focusKey!)) : undefined));
  const tab = useStore((s) => s.detailsTab);
  const nodeServer = useStore((s) => (node ? s.servers.find((v) => v.id === node.serverId) : undefined));
  const descriptor = useStore((s) => descriptorOf(s, (server ?? nodeServer)?.type));
  const hiddenCount = useStore((s) => (s.selection.length > 0 ? hiddenKeys(treeOrder(s.servers, s.index), s.selection, s.filter, s.settings?.showTemplates ?? false, s.servers, s.index).size : 0));

  if (selectionSize > 1) return <SelectionSummary />;
  // the one selected row is out of sight: said, since commands leave it out
  const hidden =
    hiddenCount > 0 ? (
      <span className="details-multi" role="status" data-testid="details-hidden">
        {t('details.hiddenBySearch')}
      </span>
    ) : null;

  if (!focusKey || (!node && !server)) {
    return <HomePage />;
  }

  if (server) {
    return (
      <section className="details-pane" data-testid="details">
        <header className="details-header">
          <ServerIcon state={server.state} mark={descriptor?.mark} />
          <h2 data-testid="details-title">{server.name}</h2>
          <span className="details-kind">{providerName(descriptor, server.type, i18n.language)}</span>
          {hidden}
        </header>
        <ServerPanes server={server} />
      </section>
    );
  }

  const hasSnapshots = node!.kind === 'vm' || node!.kind === 'container';
  const tabs: DetailsTab[] = hasSnapshots ? ['general', 'snapshots'] : ['general'];
  if (hasConsole(node!, nodeServer?.capabilities ?? descriptor?.facets, descriptor?.facets)) tabs.push('console');
  // the live screens of the VMs beneath, as XenCenter's console thumbnails
  if (hasConsoleGrid(node!, nodeServer?.capabilities ?? descriptor?.facets)) tabs.push('consoles');
  if (node!.kind === 'container' && descriptor?.facets.logs) tabs.push('logs');
  // XenCenter's Users tab: who may log in to the pool, with which role
  if (node!.kind === 'pool' && descriptor?.facets.access?.subjects) tabs.push('users');
  // XenCenter's Memory tab: where the platform has a dynamic memory range
  if ((node!.kind === 'pool' || node!.kind === 'host') && descriptor?.facets.guests?.settings.some((r) => r.key === 'memory.dynamic')) tabs.push('memory');
  // the tab says so where the platform keeps no data for this kind of item
  if (node!.kind === 'vm' || node!.kind === 'container' || node!.kind === 'host') tabs.push('performance');
  // a storage's facts and disks (issue 16); a Docker volume is its engine's storage
  if ((node!.kind === 'storage' || node!.kind === 'volume') && descriptor?.facets.storage?.contents) tabs.push('storage');
  // a guest's disks and the storage each is on, where the platform reads a guest's settings
  if (hasSnapshots && descriptor?.facets.storage && descriptor.facets.guests) tabs.push('storage');
  // a network's facts, interfaces and guests; a guest's NICs (issue 16)
  if (node!.kind === 'network' && descriptor?.facets.networks) tabs.push('network');
  if (hasSnapshots && descriptor?.facets.networks) tabs.push('networking');
  // every VM, container and host beneath, as a grid
  if (OVERVIEW_ROOT_KINDS.has(node!.kind)) tabs.push('overview');
  const active = tabs.includes(tab) ? tab : 'general';
  return (
    <section className="details-pane" data-testid="details">
      <header className="details-header">
        <NodeIcon kind={node!.kind} state={node!.state} />
        <h2 data-testid="details-title">{node!.name}</h2>
        <span className="details-kind">{t(`kind.${node!.kind}`)}</span>
        {hidden}
      </header>
      <DetailsTabs tabs={tabs} active={active}>
        {active === 'general' ? (
          <GeneralTab node={node!} />
        ) : active === 'console' ? (
          <ConsoleTab key={node!.id} node={node!} />
        ) : active === 'consoles' ? (
          <ConsoleGrid key={node!.id} root={node!} />
        ) : active === 'logs' ? (
          <LogsTab key={node!.id} node={node!} />
        ) : active === 'users' ? (
          <UsersTab key={node!.id} node={node!} />
        ) : active === 'performance' ? (
          <PerformanceTab key={node!.id} node={node!} facet={descriptor?.facets.metrics?.kinds.includes(node!.kind) ? descriptor.facets.metrics : undefined} />
        ) : active === 'storage' ? (
          hasSnapshots ? <VmStorageTab key={node!.id} node={node!} /> : <StorageTab key={node!.id} node={node!} />
        ) : active === 'overview' ? (
          <OverviewTab key={node!.id} rootKey={node!.id} rootName={node!.name} />
        ) : active === 'network' ? (
          <NetworkTab key={node!.id} node={node!} />
        ) : active === 'networking' ? (
          <VmNetworkingTab key={node!.id} node={node!} />
        ) : active === 'memory' ? (
          <MemoryTab key={node!.id} node={node!} />
        ) : (
          <SnapshotsTab vm={node!} />
        )}
      </DetailsTabs>
    </section>
  );
}
