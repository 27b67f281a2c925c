// A text console (container shell, Proxmox termproxy, XAPI vt100): xterm.js on the
// console bridge's WebSocket. Typed input goes as binary frames, the terminal's size
// as a JSON control frame whenever the tab's size changes.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import type { ErrorInfo } from '../../../shared/errors';
import type { InventoryNode } from '../../../shared/model';
import { ConsoleError } from './ConsoleError';
import { closeError, errorOf, hasLiveConsole, openTicket, type ConsolePhase } from './console-session';
import { ConsoleStatus } from './ConsoleStatus';
import { DEFAULT_SHELL, useShells } from './use-shells';

/** Shells offered for Docker containers; the container decides which exist. */

export function TextConsole({ node, chooseShell }: { node: InventoryNode; chooseShell: boolean }) {
  const { t } = useTranslation();
  const hostRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<{ term: Terminal; fit: FitAddon } | null>(null);
  const socketRef = useRef<WebSocket | null>(null);
  const [phase, setPhase] = useState<ConsolePhase>('opening');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [shell, setShell] = useState<string>(DEFAULT_SHELL);
  const { shells, error: shellsError } = useShells(node.id, chooseShell);
  const [generation, setGeneration] = useState(0);
  const live = hasLiveConsole(node);

  // One terminal for the life of the tab; each connection writes into it.
  useEffect(() => {
    const term = new Terminal({
      cursorBlink: true,
      convertEol: false,
      scrollback: 5000,
      fontFamily: "ui-monospace, 'Cascadia Mono', Consolas, 'DejaVu Sans Mono', monospace",
      fontSize: 13,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(hostRef.current!);
    termRef.current = { term, fit };
    const encoder = new TextEncoder();
    const input = term.onData((data) => {
      const ws = socketRef.current;
      if (ws?.readyState === WebSocket.OPEN) ws.send(encoder.encode(data));
    });
    const binaryInput = term.onBinary((data) => {
      const ws = socketRef.current;
      if (ws?.readyState === WebSocket.OPEN) ws.send(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff));
    });
    const resized = term.onResize(({ cols, rows }) => {
      const ws = socketRef.current;
      if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'resize', cols, rows }));
    });
    const observer = new ResizeObserver(() => {
      if (hostRef.current?.offsetParent) fit.fit();
    });
    observer.observe(hostRef.current!);
    fit.fit();
    return () => {
      observer.disconnect();
      input.dispose();
      binaryInput.dispose();
      resized.dispose();
      termRef.current = null;
      term.dispose();
    };
  }, []);

  useEffect(() => {
    if (!live) {
      setPhase('stopped');
      return;
    }
    let disposed = false;
    let ws: WebSocket | null = null;
    setPhase('opening');
    setError(null);
    void (async () => {
      let url: string;
      try {
        url = (await openTicket(node.id, 'text', chooseShell ? { shell } : undefined)).url;
      } catch (e) {
        if (!disposed) {
          setError(errorOf(e));
          setPhase('failed');
        }
        return;
      }
      if (disposed) return;
      const socket = new WebSocket(url);
      ws = socket;
      socket.binaryType = 'arraybuffer';
      socketRef.current = socket;
      socket.addEventListener('open', () => {
        const view = termRef.current;
        if (!view) return;
        view.term.reset();
        view.fit.fit();
        socket.send(JSON.stringify({ type: 'resize', cols: view.term.cols, rows: view.term.rows }));
        view.term.focus();
        setPhase('connected');
      });
      socket.addEventListener('message', (ev) => {
        if (ev.data instanceof ArrayBuffer) termRef.current?.term.write(new Uint8Array(ev.data));
      });
      socket.addEventListener('close', (ev) => {
        if (socketRef.current === socket) socketRef.current = null;
        if (disposed) return;
        const why = closeError(ev.code, ev.reason);
        if (why) {
          setError(why);
          setPhase('failed');
        } else setPhase('ended');
      });
    })();
    return () => {
      disposed = true;
      if (socketRef.current === ws) socketRef.current = null;
      ws?.close();
    };
  }, [node.id, live, generation, chooseShell, shell]);

  return (
    <div className="console-view" data-testid="text-console" data-phase={phase}>
      <div className="subtoolbar" role="toolbar" aria-label={t('console.toolbarLabel')}>
        {chooseShell ? (
          <label className="console-check">
            {t('console.shell')}
            <select
              data-testid="console-shell"
              value={shell}
              title={shellsError ? t('console.shellsUnknown', { reason: shellsError.message }) : undefined}
              data-error={shellsError?.code}
              onChange={(e) => setShell(e.target.value)}
            >
              {shells.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <button type="button" data-testid="console-reopen" disabled={!live || phase === 'opening'} onClick={() => setGeneration((g) => g + 1)}>
          {phase === 'connected' ? t('console.restart') : t('console.retry')}
        </button>
        <ConsoleStatus phase={phase} />
      </div>
      {phase === 'failed' && error ? (
        <div className="console-message">
          <ConsoleError error={error} />
        </div>
      ) : null}
      {phase === 'ended' ? <p className="console-message hint" data-testid="console-ended">{t('console.sessionEnded')}</p> : null}
      {phase === 'stopped' ? <p className="console-message hint" data-testid="console-stopped">{t('console.notRunning', { name: node.name })}</p> : null}
      <div className="console-terminal" ref={hostRef} data-testid="console-terminal" hidden={phase === 'stopped'} />
    </div>
  );
}
