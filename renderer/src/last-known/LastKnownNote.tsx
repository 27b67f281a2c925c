// The note over a node's details while its server shows a last known tree: the values
// below are as they were then (with the age, as the tree's server row says it).
import { useTranslation } from 'react-i18next';
import { useStore } from '../store/store';
import { lastKnownAge } from './age';
import './last-known.css';

export function LastKnownNote({ serverId }: { serverId: string }) {
  const { t, i18n } = useTranslation();
  const server = useStore((s) => s.servers.find((v) => v.id === serverId));
  if (server?.lastKnownAt === undefined) return null;
  const age = lastKnownAge(server.lastKnownAt, Date.now(), i18n.language);
  const time = new Date(server.lastKnownAt).toLocaleString(i18n.language);
  return (
    <p className="last-known-note" role="note" data-testid="general-last-known">
      {t('general.lastKnown', { age, name: server.name, time })}
    </p>
  );
}
