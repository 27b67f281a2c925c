// Adds or edits one threshold rule: what it measures, the limit and how long it must be
// passed, which items it watches (everything, a server, a pool/cluster/host and what is
// under it, items with a tag, or one item) and the alert's severity.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  METRIC_TARGET_KINDS,
  THRESHOLD_COMPARISONS,
  THRESHOLD_METRICS,
  THRESHOLD_SCOPE_KINDS,
  THRESHOLD_SEVERITIES,
  type ThresholdDraft,
  type ThresholdRule,
  type ThresholdScope,
  type ThresholdTargetKind,
} from '../../../shared/thresholds';
import type { NodeKind } from '../../../shared/model';
import { useStore } from '../store/store';

const UNITS = { s: 1, min: 60, h: 3600 } as const;
type Unit = keyof typeof UNITS;
const SUBTREE_KINDS: NodeKind[] = ['server', 'pool', 'cluster', 'host'];
const ITEM_KINDS: NodeKind[] = ['vm', 'container', 'host', 'storage'];
/** the longest list the item pickers show (the tree's selection is always among them) */
const PICKER_LIMIT = 2000;

function splitDuration(seconds: number): { amount: number; unit: Unit } {
  if (seconds > 0 && seconds % 3600 === 0) return { amount: seconds / 3600, unit: 'h' };
  if (seconds > 0 && seconds % 60 === 0) return { amount: seconds / 60, unit: 'min' };
  return { amount: seconds, unit: 's' };
}

const EMPTY: ThresholdDraft = { name: '', metric: 'cpu', comparison: 'above', value: 90, durationSeconds: 300, scope: { kind: 'all' }, severity: 'warning' };

export function ThresholdEditor({ rule, onSave, onCancel }: { rule?: ThresholdRule; onSave: (draft: ThresholdDraft) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const start = rule ?? EMPTY;
  const [draft, setDraft] = useState<ThresholdDraft>({ ...start, kinds: rule?.kinds ?? [] });
  const [value, setValue] = useState(String(start.value));
  const [duration, setDuration] = useState(splitDuration(start.durationSeconds));
  const servers = useStore((s) => s.servers);
  const index = useStore((s) => s.index);
  const selection = useStore((s) => s.selection);
  const pickable = (kinds: NodeKind[]) => {
    const all = [...index.nodes.values()].filter((n) => kinds.includes(n.kind) && !n.controlDomain);
    const chosen = all.filter((n) => selection.includes(n.id));
    return [...chosen, ...all.filter((n) => !selection.includes(n.id)).sort((a, b) => a.name.localeCompare(b.name)).slice(0, PICKER_LIMIT)];
  };
  const subtrees = useMemo(() => pickable(SUBTREE_KINDS), [index, selection]); // eslint-disable-line react-hooks/exhaustive-deps
  const items = useMemo(() => pickable(ITEM_KINDS), [index, selection]); // eslint-disable-line react-hooks/exhaustive-deps
  const number = Number(value);
  const problem = !draft.name.trim() ? t('thresholds.needName') : !value.trim() || !Number.isFinite(number) || number < 0 || number > 100 ? t('thresholds.needPercent') : scopeProblem(draft.scope, t);
  const set = (changes: Partial<ThresholdDraft>) => setDraft((d) => ({ ...d, ...changes }));
  const possibleKinds = METRIC_TARGET_KINDS[draft.metric];
  const kinds = (draft.kinds ?? []).filter((k) => possibleKinds.includes(k));

  const scopeOf = (kind: ThresholdScope['kind']): ThresholdScope => {
    const first = selection[0] ?? '';
    if (kind === 'server') return { kind, serverId: servers[0]?.id ?? '' };
    if (kind === 'subtree') return { kind, nodeId: subtrees.find((n) => n.id === first)?.id ?? subtrees[0]?.id ?? '' };
    if (kind === 'node') return { kind, nodeId: items.find((n) => n.id === first)?.id ?? items[0]?.id ?? '' };
    if (kind === 'tag') return { kind, tag: '' };
    return { kind: 'all' };
  };
  const toggleKind = (k: ThresholdTargetKind) => set({ kinds: kinds.includes(k) ? kinds.filter((x) => x !== k) : [...kinds, k] });
  const save = () => onSave({ ...draft, name: draft.name.trim(), value: number, durationSeconds: duration.amount * UNITS[duration.unit], kinds });

  return (
    <form
      className="threshold-editor"
      data-testid="threshold-editor"
      onSubmit={(e) => {
        e.preventDefault();
        if (!problem) save();
      }}
    >
      <label>
        {t('thresholds.field.name')}
        <input data-testid="threshold-name" value={draft.name} onChange={(e) => set({ name: e.target.value })} autoFocus />
      </label>
      <div className="threshold-condition">
        <label>
          {t('thresholds.field.metric')}
          <select data-testid="threshold-metric" value={draft.metric} onChange={(e) => set({ metric: e.target.value as ThresholdDraft['metric'], comparison: e.target.value === 'diskFree' ? 'below' : draft.comparison })}>
            {THRESHOLD_METRICS.map((m) => (
              <option key={m} value={m}>
                {t(`thresholds.metric.${m}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('thresholds.field.comparison')}
          <select data-testid="threshold-comparison" value={draft.comparison} onChange={(e) => set({ comparison: e.target.value as ThresholdDraft['comparison'] })}>
            {THRESHOLD_COMPARISONS.map((c) => (
              <option key={c} value={c}>
                {t(`thresholds.comparison.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('thresholds.field.value')}
          <input data-testid="threshold-value" type="number" min={0} max={100} step="any" value={value} onChange={(e) => setValue(e.target.value)} />
        </label>
        <label>
          {t('thresholds.field.duration')}
          <input data-testid="threshold-duration" type="number" min={0} step={1} value={duration.amount} onChange={(e) => setDuration({ ...duration, amount: Math.max(0, Math.floor(Number(e.target.value) || 0)) })} />
          <select data-testid="threshold-duration-unit" aria-label={t('thresholds.field.unit')} value={duration.unit} onChange={(e) => setDuration({ ...duration, unit: e.target.value as Unit })}>
            {(Object.keys(UNITS) as Unit[]).map((u) => (
              <option key={u} value={u}>
                {t(`thresholds.unitName.${u}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="threshold-scope">
        <label>
          {t('thresholds.field.scope')}
          <select data-testid="threshold-scope" value={draft.scope.kind} onChange={(e) => set({ scope: scopeOf(e.target.value as ThresholdScope['kind']) })}>
            {THRESHOLD_SCOPE_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`thresholds.scope.${k}`)}
              </option>
            ))}
          </select>
        </label>
        {draft.scope.kind === 'server' ? (
          <select data-testid="threshold-scope-server" aria-label={t('thresholds.scope.server')} value={draft.scope.serverId} onChange={(e) => set({ scope: { kind: 'server', serverId: e.target.value } })}>
            {servers.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        ) : null}
        {draft.scope.kind === 'subtree' || draft.scope.kind === 'node' ? (
          <select
            data-testid="threshold-scope-node"
            aria-label={t(`thresholds.scope.${draft.scope.kind}`)}
            value={draft.scope.nodeId}
            onChange={(e) => set({ scope: { kind: draft.scope.kind as 'subtree' | 'node', nodeId: e.target.value } })}
          >
            {(draft.scope.kind === 'subtree' ? subtrees : items).map((n) => (
              <option key={n.id} value={n.id}>
                {`${n.name} (${t(`thresholds.kind.${n.kind}`, { defaultValue: n.kind })})`}
              </option>
            ))}
          </select>
        ) : null}
        {draft.scope.kind === 'tag' ? (
          <input data-testid="threshold-scope-tag" aria-label={t('thresholds.scope.tag')} value={draft.scope.tag} onChange={(e) => set({ scope: { kind: 'tag', tag: e.target.value } })} />
        ) : null}
      </div>
      <fieldset className="threshold-kinds">
        <legend>{t('thresholds.field.kinds')}</legend>
        {possibleKinds.map((k) => (
          <label key={k}>
            <input type="checkbox" data-testid={`threshold-kind-${k}`} checked={kinds.includes(k)} onChange={() => toggleKind(k)} /> {t(`thresholds.kind.${k}`)}
          </label>
        ))}
        <span className="details-hint">{kinds.length ? '' : t('thresholds.anyKind')}</span>
      </fieldset>
      <label>
        {t('thresholds.field.severity')}
        <select data-testid="threshold-severity" value={draft.severity} onChange={(e) => set({ severity: e.target.value as ThresholdDraft['severity'] })}>
          {THRESHOLD_SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {t(`notifications.severity.${s}`)}
            </option>
          ))}
        </select>
      </label>
      {problem ? (
        <div className="details-hint" data-testid="threshold-problem">
          {problem}
        </div>
      ) : null}
      <div className="threshold-buttons">
        <button type="submit" data-testid="threshold-save" disabled={!!problem}>
          {t('thresholds.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('thresholds.cancel')}
        </button>
      </div>
    </form>
  );
}

function scopeProblem(scope: ThresholdScope, t: (key: string) => string): string | undefined {
  if (scope.kind === 'server' && !scope.serverId) return t('thresholds.needServer');
  if ((scope.kind === 'subtree' || scope.kind === 'node') && !scope.nodeId) return t('thresholds.needItem');
  if (scope.kind === 'tag' && !scope.tag.trim()) return t('thresholds.needTag');
  return undefined;
}
