// The Logs tab of a Docker container: its log through the console bridge (a read-only
// text stream), with follow, how much history to load, timestamps, lines from stderr
// marked, a filtering search and Clear.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import type { LogsOptions } from '../../../shared/contract';
import type { ErrorInfo } from '../../../shared/errors';
import type { InventoryNode } from '../../../shared/model';
import { getClient } from '../client';
import { ErrorDetails } from '../components/ErrorDetails';
import { closeError, errorOf } from '../console/console-session';
import { LogLines, matchingLines, parseLogLine, splitMatches } from './log-lines';
import './logs.css';

type LogPhase = 'opening' | 'following' | 'complete' | 'failed';

/** The engine's time in the user's language, to the second. */
function formatLogTime(time: string, language: string): string {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? time : date.toLocaleString(language, { dateStyle: 'short', timeStyle: 'medium' });
}
const TAILS = ['500', '5000', 'all'] as const;
type Tail = (typeof TAILS)[number];
const ROW_HEIGHT = 18;
/** repaint at most this often while lines pour in */
const REPAINT_MS = 80;

export function LogsTab({ node }: { node: InventoryNode }) {
  const { t, i18n } = useTranslation();
  const [follow, setFollow] = useState(true);
  const [timestamps, setTimestamps] = useState(true);
  const [tail, setTail] = useState<Tail>('500');
  const [query, setQuery] = useState('');
  const [phase, setPhase] = useState<LogPhase>('opening');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [version, setVersion] = useState(0);
  const [generation, setGeneration] = useState(0);
  const logRef = useRef(new LogLines());
  const scrollRef = useRef<HTMLDivElement>(null);
  const stickToEnd = useRef(true);

  useEffect(() => {
    let disposed = false;
    let socket: WebSocket | null = null;
    let repaint: ReturnType<typeof setTimeout> | null = null;
    const log = new LogLines();
    logRef.current = log;
    stickToEnd.current = true;
    setVersion((v) => v + 1);
    setPhase('opening');
    setError(null);
    const scheduleRepaint = () => {
      repaint ??= setTimeout(() => {
        repaint = null;
        if (!disposed) setVersion((v) => v + 1);
      }, REPAINT_MS);
    };
    const options: LogsOptions = { follow, timestamps, markStderr: true, ...(tail === 'all' ? {} : { tail: Number(tail) }) };
    void (async () => {
      let url: string;
      try {
        url = (await getClient().client.invoke('logs:open', node.id, options)).url;
      } catch (e) {
        if (!disposed) {
          setError(errorOf(e));
          setPhase('failed');
        }
        return;
      }
      if (disposed) return;
      socket = new WebSocket(url);
      socket.binaryType = 'arraybuffer';
      socket.addEventListener('open', () => {
        if (!disposed) setPhase(follow ? 'following' : 'opening');
      });
      socket.addEventListener('message', (ev) => {
        if (ev.data instanceof ArrayBuffer && log.push(new Uint8Array(ev.data))) scheduleRepaint();
      });
      socket.addEventListener('close', (ev) => {
        if (disposed) return;
        log.finish();
        setVersion((v) => v + 1);
        const why = closeError(ev.code, ev.reason);
        if (why) {
          setError(why);
          setPhase('failed');
        } else setPhase('complete');
      });
    })();
    return () => {
      disposed = true;
      if (repaint) clearTimeout(repaint);
      socket?.close();
    };
  }, [node.id, follow, tail, timestamps, generation]);

  const lines = logRef.current.lines;
  // `version` is a dependency on purpose: it says when the lines changed in place
  const shown = useMemo(() => matchingLines(lines, query), [lines, query, version]);
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });

  useEffect(() => {
    if (stickToEnd.current && shown.length > 0) virtualizer.scrollToIndex(shown.length - 1, { align: 'end' });
  }, [shown.length, virtualizer]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (el) stickToEnd.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT * 2;
  };

  const clear = () => {
    logRef.current.clear();
    setVersion((v) => v + 1);
  };

  return (
    <div className="logs-tab" data-testid="logs-tab" data-phase={phase}>
      <div className="subtoolbar" role="toolbar" aria-label={t('logs.toolbarLabel')}>
        <label className="console-check">
          <input type="checkbox" data-testid="logs-follow" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
          {t('logs.follow')}
        </label>
        <label className="console-check">
          <input type="checkbox" data-testid="logs-timestamps" checked={timestamps} onChange={(e) => setTimestamps(e.target.checked)} />
          {t('logs.timestamps')}
        </label>
        <label className="console-check">
          {t('logs.tail')}
          <select data-testid="logs-tail" value={tail} onChange={(e) => setTail(e.target.value as Tail)}>
            {TAILS.map((v) => (
              <option key={v} value={v}>
                {v === 'all' ? t('logs.tailAll') : t('logs.tailLines', { count: Number(v) })}
              </option>
            ))}
          </select>
        </label>
        <input
          type="search"
          className="logs-search"
          data-testid="logs-search"
          value={query}
          placeholder={t('logs.searchPlaceholder')}
          aria-label={t('logs.search')}
          onChange={(e) => setQuery(e.target.value)}
        />
        {query ? (
          <span className="logs-count" data-testid="logs-match-count">
            {t('logs.matches', { count: shown.length, total: lines.length })}
          </span>
        ) : null}
        <button type="button" data-testid="logs-clear" onClick={clear}>
          {t('logs.clear')}
        </button>
        <button type="button" data-testid="logs-reload" disabled={phase === 'opening'} onClick={() => setGeneration((g) => g + 1)}>
          {t('logs.reload')}
        </button>
        <span className={`console-status logs-status-${phase}`} data-testid="logs-status" role="status">
          {t(`logs.phase.${phase}`)}
        </span>
      </div>
      {phase === 'failed' && error ? (
        <div className="console-message">
          <ErrorDetails error={error} />
        </div>
      ) : null}
      <div className="logs-view" ref={scrollRef} onScroll={onScroll} data-testid="logs-view" role="log" aria-label={t('logs.viewLabel')}>
        {shown.length === 0 && phase !== 'opening' && phase !== 'failed' ? (
          <p className="logs-empty hint" data-testid="logs-empty">
            {query ? t('logs.noMatches') : t('logs.empty')}
          </p>
        ) : null}
        <div className="logs-rows" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const line = parseLogLine(lines[shown[item.index]] ?? '');
            return (
              <div
                key={item.key}
                className={`logs-line${line.stderr ? ' logs-stderr' : ''}`}
                data-testid="logs-line"
                data-stream={line.stderr ? 'stderr' : 'stdout'}
                title={line.stderr ? t('logs.fromStderr') : undefined}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
              >
                {line.time ? (
                  <time className="logs-time" data-testid="logs-time" dateTime={line.time}>
                    {formatLogTime(line.time, i18n.language)}
                  </time>
                ) : null}
                <span className="logs-text" data-testid="logs-text">
                  {splitMatches(line.text, query).map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
