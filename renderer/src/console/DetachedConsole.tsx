// The page of a console detached into its own window: the VM's graphical console and
// its toolbar, nothing else. Its first ticket came in the page's fragment; later ones
// (after a reboot or a move) and the VM's state come from the window that opened it.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DetachedConsoleRequest } from '../../../shared/detached-console';
import { PolyvisorError } from '../../../shared/errors';
import type { InventoryNode } from '../../../shared/model';
import { ConsoleScreen } from './ConsoleScreen';
import { detachedHost } from './detached';
import { RfbSession } from './rfb-session';
import './console.css';

/** Until the opener tells more: the console was opened on a running VM. */
function nodeOf(request: DetachedConsoleRequest): InventoryNode {
  return detachedHost()?.node(request.nodeId) ?? { id: request.nodeId, serverId: '', kind: 'vm', name: request.name, parentId: null, nativeRef: '', state: 'running', allowed: [], props: {} };
}

export function DetachedConsole({ request }: { request: DetachedConsoleRequest }) {
  const { t, i18n } = useTranslation();
  const [node, setNode] = useState<InventoryNode>(() => nodeOf(request));
  const [session, setSession] = useState<RfbSession | null>(null);

  useEffect(() => {
    // the ticket is used once: the address keeps no trace of it
    window.history.replaceState(null, '', window.location.pathname);
    document.documentElement.dataset.theme = request.theme;
    document.documentElement.style.colorScheme = request.theme;
    document.documentElement.lang = request.language;
    void i18n.changeLanguage(request.language);
  }, [request, i18n]);

  useEffect(() => {
    document.title = `${node.name} — ${t('console.detachedTitle')}`;
  }, [node.name, t]);

  useEffect(() => {
    let first: string | null = request.ticket;
    const opened = new RfbSession(nodeOf(request), {
      clipboard: true,
      scaled: true,
      ticket: async (id) => {
        if (first) {
          const url = first;
          first = null;
          return { url, protocol: 'rfb' };
        }
        const host = detachedHost();
        if (!host) throw new PolyvisorError({ code: 'UNSUPPORTED', message: 'The main window was closed: open the console from it again.' });
        return host.ticket(id);
      },
    });
    setSession(opened);
    const unwatch = detachedHost()?.watch(request.nodeId, (next) => setNode((current) => next ?? { ...current, state: 'halted' }));
    return () => {
      unwatch?.();
      opened.dispose();
    };
  }, [request]);

  useEffect(() => session?.update(node), [session, node]);

  return (
    <div className="detached-console" data-testid="detached-console">
      <header className="detached-console-title">
        <h1 data-testid="detached-console-title">{node.name}</h1>
      </header>
      <ConsoleScreen node={node} session={session} />
    </div>
  );
}
