// A server's, pool's or host's summary: guests by state, hosts, versions, CPU and memory
// (where the provider reports them) and what needs attention, each entry a link to the node.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { storeActions, useStore } from '../store/store';
import { formatBytes } from '../components/format';
import { stateLabel } from '../components/prop-text';
import { guestTotal, statesPresent, summarize, type GuestKind, type Summary } from './summary-data';
import './summary.css';

/** `ofHost`: the page of a single host, where a count of hosts says nothing */
export function SummarySection({ serverId, rootId, ofHost = false }: { serverId: string; rootId: string | null; ofHost?: boolean }) {
  const { t } = useTranslation();
  const index = useStore((s) => s.index);
  const summary = useMemo(() => summarize(index.nodes, serverId, rootId), [index, serverId, rootId]);
  return (
    <section className="summary" data-testid="summary">
      <h3 className="section-title">{t('summary.title')}</h3>
      <div className="summary-cards">
        <GuestCard kind="vm" summary={summary} />
        <GuestCard kind="container" summary={summary} />
        <CapacityCard summary={summary} ofHost={ofHost} />
      </div>
      <AttentionList summary={summary} />
    </section>
  );
}

function GuestCard({ kind, summary }: { kind: GuestKind; summary: Summary }) {
  const { t, i18n } = useTranslation();
  const counts = summary.guests[kind];
  const total = guestTotal(counts);
  if (total === 0) return null;
  return (
    <div className="summary-card" data-testid={`summary-${kind}`}>
      <div className="summary-big">{total.toLocaleString(i18n.language)}</div>
      <div className="summary-label">{t(kind === 'vm' ? 'summary.vms' : 'summary.containers')}</div>
      <ul className="summary-states">
        {statesPresent(counts).map(([state, n]) => (
          <li key={state} data-state={state}>
            <span className={`state-dot ${state}`} aria-hidden="true" />
            {t('summary.stateCount', { n, state: stateLabel(t, (key) => i18n.exists(key), kind, state) })}
          </li>
        ))}
      </ul>
    </div>
  );
}

function CapacityCard({ summary, ofHost }: { summary: Summary; ofHost: boolean }) {
  const { t, i18n } = useTranslation();
  if (summary.hosts === 0 && summary.versions.length === 0) return null;
  return (
    <div className="summary-card" data-testid="summary-capacity">
      <dl className="prop-grid">
        {summary.hosts > 0 && !ofHost ? (
          <>
            <dt>{t('summary.hosts')}</dt>
            <dd data-prop="hosts">{summary.hosts.toLocaleString(i18n.language)}</dd>
          </>
        ) : null}
        {summary.cpus !== null ? (
          <>
            <dt>{t('summary.cpus')}</dt>
            <dd data-prop="cpus">{summary.cpus.toLocaleString(i18n.language)}</dd>
          </>
        ) : null}
        {summary.memory !== null ? (
          <>
            <dt>{t('summary.memory')}</dt>
            <dd data-prop="memory">{formatBytes(summary.memory)}</dd>
          </>
        ) : null}
        {summary.templates > 0 ? (
          <>
            <dt>{t('summary.templates')}</dt>
            <dd data-prop="templates">{summary.templates.toLocaleString(i18n.language)}</dd>
          </>
        ) : null}
        {summary.versions.length ? (
          <>
            <dt>{t('summary.versions')}</dt>
            <dd data-prop="versions">{summary.versions.join(', ')}</dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}

function AttentionList({ summary }: { summary: Summary }) {
  const { t } = useTranslation();
  return (
    <div className="summary-attention" data-testid="summary-attention">
      <h4>{t('summary.attentionTitle')}</h4>
      {summary.attention.length === 0 ? (
        <p className="details-hint summary-ok">{t('summary.allWell')}</p>
      ) : (
        <ul>
          {summary.attention.map((item) => (
            <li key={`${item.reason}:${item.nodeId}`} data-reason={item.reason}>
              <button type="button" className="link" onClick={() => storeActions.select(item.nodeId, 'single')}>
                {t(`summary.attention.${item.reason}`, { name: item.name })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
