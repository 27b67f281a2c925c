// The Console tab: the graphical console (RFB) and/or the text console the
// server offers for this VM, container or host, with a switch when it offers both,
// and the viewers outside the window (VMRC, SPICE, RDP, SSH) the platform has.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localized } from '../../../shared/descriptor';
import type { InventoryNode } from '../../../shared/model';
import { useStore } from '../store/store';
import { useDescriptor } from '../providers/descriptors';
import { ExternalViewers } from './ExternalViewers';
import { GraphicalConsole } from './GraphicalConsole';
import { TextConsole } from './TextConsole';
import { consoleProtocolsFor, defaultConsoleProtocol } from './console-protocols';
import './console.css';

export function ConsoleTab({ node }: { node: InventoryNode }) {
  const { t, i18n } = useTranslation();
  const server = useStore((s) => s.servers.find((v) => v.id === node.serverId));
  const descriptor = useDescriptor(server?.type);
  const facets = descriptor?.facets;
  const protocols = consoleProtocolsFor(node, server?.capabilities ?? facets, facets);
  const [chosen, setChosen] = useState<'rfb' | 'text' | null>(null);
  const protocol = chosen && protocols.includes(chosen) ? chosen : defaultConsoleProtocol(node, protocols);

  if (!protocol) {
    const note = node.kind === 'host' ? t('console.noHostConsole') : facets?.inAppConsoleNote ? localized(facets.inAppConsoleNote, i18n.language) : t('console.unavailable');
    return (
      <div className="console-tab" data-testid="console-tab-external">
        <ExternalViewers node={node} facets={facets} />
        <p className="console-message hint" data-testid="console-unavailable">{note}</p>
      </div>
    );
  }
  return (
    // the console has the keyboard: the app's shortcuts stay out of it (commands/keyboard.ts)
    <div className="console-tab" data-testid="console-tab" data-keyboard-owner="console">
      <ExternalViewers node={node} facets={facets} />
      {protocols.length > 1 ? (
        <div className="console-switch" role="radiogroup" aria-label={t('console.kindLabel')}>
          {protocols.map((p) => (
            <label key={p} className="console-check">
              <input type="radio" name={`console-kind-${node.id}`} data-testid={`console-kind-${p}`} checked={protocol === p} onChange={() => setChosen(p)} />
              {p === 'rfb' ? t('console.graphical') : t('console.text')}
            </label>
          ))}
        </div>
      ) : null}
      {protocol === 'rfb' ? (
        <GraphicalConsole key={node.id} node={node} />
      ) : (
        <TextConsole key={node.id} node={node} chooseShell={facets?.consoleShellChoice ?? false} />
      )}
    </div>
  );
}
