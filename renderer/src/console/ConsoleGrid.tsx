// XenCenter's console thumbnails for a pool or host: the live screens of the running VMs
// beneath it, scaled and view-only, at most THUMBNAIL_LIMIT of them; a thumbnail out of
// sight (scrolled away, the window hidden) closes its connection until it is seen again.
// Clicking one opens that VM's Console tab.
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { InventoryNode } from '../../../shared/model';
import { storeActions, useStore } from '../store/store';
import type { InventoryIndex } from '../tree/inventory-index';
import { ConsoleStatus } from './ConsoleStatus';
import { hasLiveConsole } from './console-session';
import { RfbSession } from './rfb-session';

export const THUMBNAIL_LIMIT = 12;
const noSubscribe = () => () => undefined;

/** The running VMs beneath a pool or host, in tree order. */
export function runningGuestsBeneath(index: InventoryIndex, rootId: string): InventoryNode[] {
  const out: InventoryNode[] = [];
  const visit = (id: string) => {
    for (const child of index.children.get(id) ?? []) {
      const node = index.nodes.get(child);
      if (!node) continue;
      if (node.kind === 'vm' && !node.controlDomain && hasLiveConsole(node)) out.push(node);
      else if (node.kind === 'pool' || node.kind === 'host') visit(child);
    }
  };
  visit(rootId);
  return out;
}

export function ConsoleGrid({ root }: { root: InventoryNode }) {
  const { t } = useTranslation();
  const index = useStore((s) => s.index);
  const guests = runningGuestsBeneath(index, root.id);
  const shown = guests.slice(0, THUMBNAIL_LIMIT);
  return (
    <div className="console-grid-tab" data-testid="console-grid">
      <p className="hint console-grid-note">
        {guests.length === 0 ? t('console.grid.none') : guests.length > shown.length ? t('console.grid.some', { shown: shown.length, count: guests.length }) : t('console.grid.all')}
      </p>
      <div className="console-grid">
        {shown.map((guest) => (
          <ConsoleThumbnail key={guest.id} node={guest} />
        ))}
      </div>
    </div>
  );
}

function ConsoleThumbnail({ node }: { node: InventoryNode }) {
  const { t } = useTranslation();
  const tileRef = useRef<HTMLButtonElement>(null);
  const frameRef = useRef<HTMLDivElement>(null);
  const [session, setSession] = useState<RfbSession | null>(null);

  useEffect(() => {
    const thumb = new RfbSession(node, { viewOnly: true, scaled: true, paused: true });
    frameRef.current?.appendChild(thumb.element);
    setSession(thumb);
    let inSight = false;
    const follow = () => thumb.setPaused(!inSight || document.visibilityState === 'hidden');
    const observer = new IntersectionObserver((entries) => {
      inSight = entries.some((e) => e.isIntersecting);
      follow();
    });
    observer.observe(tileRef.current!);
    document.addEventListener('visibilitychange', follow);
    return () => {
      observer.disconnect();
      document.removeEventListener('visibilitychange', follow);
      thumb.dispose();
    };
    // a new VM is a new thumbnail; its changes reach the session below
  }, [node.id]);
  useEffect(() => session?.update(node), [session, node]);

  const state = useSyncExternalStore(session?.subscribe ?? noSubscribe, () => session?.getState().phase ?? 'opening');

  const open = () => {
    storeActions.select(node.id, 'single');
    storeActions.setDetailsTab('console');
  };
  return (
    <button type="button" className="console-thumb" ref={tileRef} data-testid="console-thumb" data-node={node.id} data-phase={state} title={t('console.grid.open', { name: node.name })} onClick={open}>
      <div className="console-thumb-screen" ref={frameRef} />
      <span className="console-thumb-label">
        <span className="console-thumb-name">{node.name}</span>
        <ConsoleStatus phase={state} />
      </span>
    </button>
  );
}
