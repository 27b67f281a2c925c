// The Console tab: the graphical console (RFB) and/or the text console the
// server offers for this VM or container, with a switch when it offers both.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InventoryNode } from '../../../shared/model';
import { useStore } from '../store/store';
import { useDescriptor } from '../providers/descriptors';
import { GraphicalConsole } from './GraphicalConsole';
import { TextConsole } from './TextConsole';
import { consoleProtocolsFor, defaultConsoleProtocol } from './console-protocols';
import './console.css';

export function ConsoleTab({ node }: { node: InventoryNode }) {
  const { t } = useTranslation();
  const server = useStore((s) => s.servers.find((v) => v.id === node.serverId));
  const descriptor = useDescriptor(server?.type);
  const protocols = consoleProtocolsFor(node, server?.capabilities ?? descriptor?.facets);
  const [chosen, setChosen] = useState<'rfb' | 'text' | null>(null);
  const protocol = chosen && protocols.includes(chosen) ? chosen : defaultConsoleProtocol(node, protocols);

  if (!protocol) {
    return (
      <div className="console-tab">
        <p className="console-message hint" data-testid="console-unavailable">{t('console.unavailable')}</p>
      </div>
    );
  }
  return (
    // the console has the keyboard: the app's shortcuts stay out of it (commands/keyboard.ts)
    <div className="console-tab" data-testid="console-tab" data-keyboard-owner="console">
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
        <TextConsole key={node.id} node={node} chooseShell={descriptor?.facets.consoleShellChoice ?? false} />
      )}
    </div>
  );
}
