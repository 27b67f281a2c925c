// A VM's graphical console: noVNC on the console bridge's one-time WebSocket.
// Reconnects with a new ticket when the socket closes while the VM still runs
// (a reboot restarts the VM's VNC server); shows why when it cannot connect.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import RFB from '@novnc/novnc';
import type { ErrorInfo } from '../../../shared/errors';
import type { InventoryNode } from '../../../shared/model';
import { ConsoleError } from './ConsoleError';
import { closeError, errorOf, hasLiveConsole, openTicket, reconnectDelay, type ConsolePhase } from './console-session';
import { keysymsForText } from './keysyms';
import { ConsoleStatus } from './ConsoleStatus';
import { downloadBlob, screenshotName } from './download';

export function GraphicalConsole({ node }: { node: InventoryNode }) {
  const { t } = useTranslation();
  const frameRef = useRef<HTMLDivElement>(null);
  const screenRef = useRef<HTMLDivElement>(null);
  const rfbRef = useRef<RFB | null>(null);
  const [phase, setPhase] = useState<ConsolePhase>('opening');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [scaled, setScaled] = useState(true);
  const [pasteOpen, setPasteOpen] = useState(false);
  const [pasteText, setPasteText] = useState('');
  // bumped to open a new console (reconnect, retry)
  const [generation, setGeneration] = useState(0);
  const everConnected = useRef(false);
  const failedReconnects = useRef(0);
  const live = hasLiveConsole(node);
  const liveRef = useRef(live);
  liveRef.current = live;
  const scaledRef = useRef(scaled);
  scaledRef.current = scaled;

  useEffect(() => {
    everConnected.current = false;
    failedReconnects.current = 0;
  }, [node.id]);

  useEffect(() => {
    if (!live) {
      setPhase('stopped');
      return;
    }
    let disposed = false;
    let rfb: RFB | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setPhase(everConnected.current ? 'reconnecting' : 'opening');

    const retryLater = (why: ErrorInfo | null) => {
      if (disposed) return;
      if (!liveRef.current) return setPhase('stopped');
      if (!everConnected.current) {
        setError(why);
        return setPhase('failed');
      }
      setError(why);
      setPhase('reconnecting');
      timer = setTimeout(() => setGeneration((g) => g + 1), reconnectDelay(failedReconnects.current++));
    };

    void (async () => {
      let url: string;
      try {
        url = (await openTicket(node.id, 'rfb')).url;
      } catch (e) {
        return retryLater(errorOf(e));
      }
      if (disposed || !screenRef.current) return;
      const ws = new WebSocket(url);
      ws.binaryType = 'arraybuffer';
      let closedWith: ErrorInfo | null = null;
      ws.addEventListener('close', (ev) => (closedWith = closeError(ev.code, ev.reason)));
      rfb = new RFB(screenRef.current, ws, { shared: true });
      rfb.scaleViewport = scaledRef.current;
      rfb.background = 'rgb(30, 30, 30)';
      rfbRef.current = rfb;
      rfb.addEventListener('connect', () => {
        everConnected.current = true;
        failedReconnects.current = 0;
        setError(null);
        setPhase('connected');
      });
      rfb.addEventListener('disconnect', () => {
        if (rfbRef.current === rfb) rfbRef.current = null;
        // the close event may come after noVNC's disconnect: give it a moment to tell why
        setTimeout(() => retryLater(closedWith), 50);
      });
    })();

    return () => {
      disposed = true;
      if (timer) clearTimeout(timer);
      if (rfbRef.current === rfb) rfbRef.current = null;
      rfb?.disconnect();
    };
  }, [node.id, live, generation]);

  useEffect(() => {
    if (rfbRef.current) rfbRef.current.scaleViewport = scaled;
  }, [scaled]);

  const connected = phase === 'connected';
  const rfb = () => rfbRef.current;

  const sendPaste = () => {
    const target = rfb();
    if (!target || !pasteText) return;
    for (const key of keysymsForText(pasteText)) target.sendKey(key.keysym, key.code);
    setPasteText('');
    setPasteOpen(false);
    target.focus();
  };

  const screenshot = () => {
    rfb()?.toBlob((blob) => {
      if (blob) downloadBlob(blob, screenshotName(node.name));
    }, 'image/png');
  };

  const fullScreen = () => {
    const frame = frameRef.current;
    if (!frame) return;
    if (document.fullscreenElement) void document.exitFullscreen();
    // refused only without a user gesture or by a browser policy: the console simply stays in the page
    else void frame.requestFullscreen().then(() => rfb()?.focus()).catch(() => undefined);
  };

  return (
    <div className="console-view" data-testid="graphical-console" data-phase={phase}>
      <div className="subtoolbar" role="toolbar" aria-label={t('console.toolbarLabel')}>
        <button type="button" data-testid="console-cad" disabled={!connected} onClick={() => rfb()?.sendCtrlAltDel()}>
          {t('console.ctrlAltDel')}
        </button>
        <label className="console-check">
          <input type="checkbox" data-testid="console-scale" checked={scaled} onChange={(e) => setScaled(e.target.checked)} />
          {t('console.scaleToFit')}
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
        <ConsoleStatus phase={phase} />
      </div>
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
            <button type="button" data-testid="console-retry" onClick={() => setGeneration((g) => g + 1)}>
              {t('console.retry')}
            </button>
          ) : null}
        </div>
      ) : null}
      {phase === 'stopped' ? <p className="console-message hint" data-testid="console-stopped">{t('console.notRunning', { name: node.name })}</p> : null}
      <div className={`console-frame${scaled ? ' scaled' : ''}`} ref={frameRef} hidden={phase === 'stopped'}>
        <div className="console-screen" ref={screenRef} data-testid="console-screen" />
      </div>
    </div>
  );
}
