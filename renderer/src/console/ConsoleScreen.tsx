// A graphical console's view: a noVNC session (rfb-session.ts) shown in its frame, with
// its toolbar — keys the local OS keeps, clipboard sharing, scaling, paste as typed keys,
// full screen, screenshot, a window of its own. Says why when it cannot connect.
import { useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { InventoryNode } from '../../../shared/model';
import { ConsoleError } from './ConsoleError';
import { KeyComboMenu } from './KeyComboMenu';
import { KEY_COMBOS, keysymsForText } from './keysyms';
import { ConsoleStatus } from './ConsoleStatus';
import { downloadBlob, screenshotName } from './download';
import type { RfbSession, RfbSessionState } from './rfb-session';

const CTRL_ALT_DEL = KEY_COMBOS.find((c) => c.id === 'ctrl-alt-del')!;

const NO_STATE: RfbSessionState = { phase: 'opening', error: null, connections: 0, guestClipboard: null, clipboardError: null, clipboardShared: true, scaled: true };
const noSubscribe = () => () => undefined;

export function ConsoleScreen({ node, session, onDetach }: { node: InventoryNode; session: RfbSession | null; onDetach?: () => void }) {
  const { t } = useTranslation();
  const frameRef = useRef<HTMLDivElement>(null);
  const state = useSyncExternalStore(session?.subscribe ?? noSubscribe, session?.getState ?? (() => NO_STATE));
  // the session's screen lives in this frame while it is shown
  useLayoutEffect(() => {
    if (session) frameRef.current?.appendChild(session.element);
  }, [session]);
  const [pasteOpen, setPasteOpen] = useState(false);
  const [pasteText, setPasteText] = useState('');
  const { phase, error } = state;
  const connected = phase === 'connected';

  const sendPaste = () => {
    if (!session || !pasteText) return;
    session.typeKeys(keysymsForText(pasteText));
    setPasteText('');
    setPasteOpen(false);
    session.focus();
  };

  const screenshot = () => {
    session?.toBlob((blob) => {
      if (blob) downloadBlob(blob, screenshotName(node.name));
    });
  };

  const fullScreen = () => {
    const frame = frameRef.current;
    if (!frame) return;
    if (document.fullscreenElement) void document.exitFullscreen();
    else {
      frame.requestFullscreen().then(
        () => session?.focus(),
        // refused only without a user gesture or by a browser policy: the console stays in the page
        (e: unknown) => console.warn('console: full screen refused', e),
      );
    }
  };

  return (
    <div className="console-view" data-testid="graphical-console" data-phase={phase} data-connections={state.connections}>
      <div className="subtoolbar" role="toolbar" aria-label={t('console.toolbarLabel')}>
        <button type="button" data-testid="console-cad" disabled={!connected} onClick={() => session?.sendCombo(CTRL_ALT_DEL.keys)}>
          {t('console.ctrlAltDel')}
        </button>
        <KeyComboMenu disabled={!connected} onSend={(combo) => session?.sendCombo(combo.keys)} />
        <label className="console-check">
          <input type="checkbox" data-testid="console-scale" checked={state.scaled} onChange={(e) => session?.setScaled(e.target.checked)} />
          {t('console.scaleToFit')}
        </label>
        <label className="console-check" title={t('console.clipboardHint')}>
          <input type="checkbox" data-testid="console-clipboard" checked={state.clipboardShared} onChange={(e) => session?.setClipboardShared(e.target.checked)} />
          {t('console.shareClipboard')}
        </label>
        <button type="button" data-testid="console-paste-toggle" disabled={!connected} aria-expanded={pasteOpen} onClick={() => setPasteOpen((o) => !o)}>
          {t('console.pasteAsKeys')}
        </button>
        <button type="button" data-testid="console-fullscreen" disabled={!connected} onClick={fullScreen}>
          {t('console.fullScreen')}
        </button>
        <button type="button" data-testid="console-screenshot" disabled={!connected} onClick={screenshot}>
          {t('console.screenshot')}
        </button>
        {onDetach ? (
          <button type="button" data-testid="console-detach" disabled={!connected} onClick={onDetach}>
            {t('console.detach')}
          </button>
        ) : null}
        <ConsoleStatus phase={phase} />
      </div>
      {state.clipboardShared && state.guestClipboard !== null ? (
        <p className="console-clipboard hint" data-testid="console-clipboard-guest" title={state.guestClipboard}>
          {t('console.copiedFromGuest', { text: state.guestClipboard.slice(0, 80) })}
        </p>
      ) : null}
      {state.clipboardShared && state.clipboardError ? (
        <p className="console-clipboard hint" data-testid="console-clipboard-error">
          {t('console.clipboardRefused', { reason: state.clipboardError })}
        </p>
      ) : null}
      {pasteOpen ? (
        <div className="console-paste">
          <textarea
            data-testid="console-paste-text"
            aria-label={t('console.pasteLabel')}
            placeholder={t('console.pastePlaceholder')}
            value={pasteText}
            onChange={(e) => setPasteText(e.target.value)}
            rows={3}
          />
          <button type="button" className="primary" data-testid="console-paste-send" disabled={!connected || !pasteText} onClick={sendPaste}>
            {t('console.sendAsKeys')}
          </button>
        </div>
      ) : null}
      {phase === 'failed' || (phase === 'reconnecting' && error) ? (
        <div className="console-message">
          {error ? <ConsoleError error={error} /> : <p className="hint">{t('console.closedEarly')}</p>}
          {phase === 'failed' ? (
            <button type="button" data-testid="console-retry" onClick={() => session?.reconnect()}>
              {t('console.retry')}
            </button>
          ) : null}
        </div>
      ) : null}
      {phase === 'stopped' ? <p className="console-message hint" data-testid="console-stopped">{t('console.notRunning', { name: node.name })}</p> : null}
      {/* the kept session's screen is moved in here; focusing it hands the OS clipboard to the guest */}
      <div className={`console-frame${state.scaled ? ' scaled' : ''}`} ref={frameRef} data-testid="console-screen" hidden={phase === 'stopped'} onFocus={() => void session?.offerOsClipboard()} />
    </div>
  );
}
