// What the details pane shows when nothing is selected: every saved server by state with
// its guests, what needs attention (servers that failed or are not connected, hosts that
// are off or in maintenance), and the first things to do.
import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServerView } from '../../../shared/contract';
import type { ProviderDescriptor } from '../../../shared/descriptor';
import { inventoryTally, storeActions, useStore } from '../store/store';
import { serverKey } from '../tree/inventory-index';
import { CommandBar } from '../components/CommandBar';
import type { LayoutItem } from '../commands/layouts';
import { providerName, descriptorsOf } from '../providers/descriptors';
import { guestTotal, type Summary } from './summary-data';
import './summary.css';

const HOME_ACTIONS: readonly LayoutItem[] = [{ id: 'add-server' }, { id: 'reconnect-all' }, { id: 'import-servers' }, { id: 'settings' }];

interface ServerLine {
  server: ServerView;
  summary: Summary;
}

export function HomePage() {
  const { t } = useTranslation();
  const servers = useStore((s) => s.servers);
  const index = useStore((s) => s.index);
  const lines = useMemo<ServerLine[]>(() => {
    // kept from the deltas (summary/inventory-tally.ts): a batch costs what it changed
    return servers.map((server) => ({ server, summary: inventoryTally.summary(index, server.id) }));
  }, [servers, index]);
  const connected = servers.filter((s) => s.state === 'connected').length;
  return (
    <section className="details-pane home-page" data-testid="home">
      <h2>{t('home.title')}</h2>
      <p className="details-hint summary-ok">{servers.length === 0 ? t('home.noServers') : t('home.serverCount', { n: servers.length, connected })}</p>
      <div className="home-actions" role="toolbar" aria-label={t('home.actions')}>
        <CommandBar layout={HOME_ACTIONS} testIdPrefix="home-" />
      </div>
      {servers.length > 0 ? <ServerTable lines={lines} /> : null}
      <HomeAttention lines={lines} />
    </section>
  );
}

function ServerTable({ lines }: { lines: ServerLine[] }) {
  const { t } = useTranslation();
  const descriptors = useStore(descriptorsOf);
  return (
    <table className="home-servers" data-testid="home-servers">
      <thead>
        <tr>
          <th>{t('home.col.server')}</th>
          <th>{t('home.col.type')}</th>
          <th>{t('home.col.state')}</th>
          <th>{t('home.col.guests')}</th>
        </tr>
      </thead>
      <tbody>
        {lines.map(({ server, summary }) => (
          <ServerRow key={server.id} server={server} summary={summary} descriptor={descriptors.find((d) => d.type === server.type)} />
        ))}
      </tbody>
    </table>
  );
}

/** One server's line, drawn again only when the server or its summary changed (a batch elsewhere leaves both as they were). */
const ServerRow = memo(function ServerRow({ server, summary, descriptor }: { server: ServerView; summary: Summary; descriptor: ProviderDescriptor | undefined }) {
  const { t, i18n } = useTranslation();
  const guests = guestTotal(summary.guests.vm) + guestTotal(summary.guests.container);
  const running = (summary.guests.vm.running ?? 0) + (summary.guests.container.running ?? 0);
  return (
    <tr data-testid="home-server" data-state={server.state}>
      <td>
        <button type="button" className="link" onClick={() => storeActions.select(serverKey(server.id), 'single')}>
          {server.name}
        </button>
      </td>
      <td>{providerName(descriptor, server.type, i18n.language)}</td>
      <td>
        <span className="home-state">
          <span className={`state-dot ${server.state}`} aria-hidden="true" />
          {t(`connection.${server.state}`)}
        </span>
      </td>
      <td>{server.state === 'connected' ? t('home.guests', { running, n: guests }) : '—'}</td>
    </tr>
  );
});

function HomeAttention({ lines }: { lines: ServerLine[] }) {
  const { t } = useTranslation();
  const items: Array<{ key: string; text: string; select: string }> = [];
  for (const { server, summary } of lines) {
    if (server.state === 'error') {
      const reason = server.error ? t(`errorCode.${server.error.code}`) : t('connection.error');
      items.push({ key: `err:${server.id}`, text: t('home.attention.serverError', { name: server.name, reason }), select: serverKey(server.id) });
    } else if (server.state === 'disconnected') {
      items.push({ key: `off:${server.id}`, text: t('home.attention.serverDisconnected', { name: server.name }), select: serverKey(server.id) });
    }
    for (const item of summary.attention) {
      items.push({ key: `${item.reason}:${item.nodeId}`, text: `${server.name}: ${t(`summary.attention.${item.reason}`, { name: item.name })}`, select: item.nodeId });
    }
  }
  return (
    <div className="summary-attention" data-testid="home-attention">
      <h4>{t('summary.attentionTitle')}</h4>
      {items.length === 0 ? (
        <p className="details-hint summary-ok">{t('summary.allWell')}</p>
      ) : (
        <ul>
          {items.map((item) => (
            <li key={item.key}>
              <button type="button" className="link" onClick={() => storeActions.select(item.select, 'single')}>
                {item.text}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
