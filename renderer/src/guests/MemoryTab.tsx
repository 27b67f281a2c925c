// The Memory tab of a pool or host (XenCenter's Memory tab): each host's total, used
// and free memory, and each guest's dynamic range and current allocation as bars on
// the host's scale. Guests can be ticked and given one dynamic range in "Set memory…".
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GuestProperties } from '../../../shared/guests';
import type { InventoryNode } from '../../../shared/model';
import { formatBytes } from '../components/format';
import { storeActions, useStore } from '../store/store';
import { fetchProperties } from './guest-requests';
import { rangeOf } from './memory-range';
import { memoryGroups, type HostMemoryGroup } from './memory-tab-data';
import './guests.css';

export function MemoryTab({ node }: { node: InventoryNode }) {
  const { t } = useTranslation();
  const index = useStore((s) => s.index);
  const groups = useMemo(() => memoryGroups(index, node), [index, node]);
  const guestIds = groups.flatMap((g) => g.guests.map((v) => v.id)).join('\n');
  // re-read after each finished configure task (the dialog's or another's)
  const configured = useStore((s) => s.tasks.filter((task) => task.action === 'configure' && task.status !== 'running').length);
  const [readings, setReadings] = useState<Map<string, GuestProperties>>(new Map());
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    let live = true;
    const ids = guestIds ? guestIds.split('\n') : [];
    void Promise.all(ids.map(async (id) => [id, await fetchProperties(id)] as const)).then((answers) => {
      if (!live) return;
      const next = new Map<string, GuestProperties>();
      for (const [id, a] of answers) if (a.ok) next.set(id, a.value);
      setReadings(next);
    });
    return () => {
      live = false;
    };
  }, [guestIds, configured]);
  const toggle = (id: string) => setTicked((now) => (now.has(id) ? new Set([...now].filter((x) => x !== id)) : new Set([...now, id])));
  const chosen = [...ticked].filter((id) => readings.has(id));
  return (
    <div className="memory-tab" data-testid="memory-tab">
      <div className="memory-tab-actions">
        <button type="button" data-testid="memory-set" disabled={chosen.length === 0} title={chosen.length ? undefined : t('guests.memoryTab.tickFirst')} onClick={() => storeActions.openDialog({ kind: 'setMemory', nodeIds: chosen })}>
          {t('guests.memoryTab.set')}
        </button>
        <span className="hint">{t('guests.memoryTab.ticked', { count: chosen.length })}</span>
      </div>
      {groups.map((group) => (
        <HostGroup key={group.host?.id ?? 'none'} group={group} readings={readings} ticked={ticked} onTick={toggle} />
      ))}
    </div>
  );
}

function HostGroup({ group, readings, ticked, onTick }: { group: HostMemoryGroup; readings: Map<string, GuestProperties>; ticked: ReadonlySet<string>; onTick: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const size = (b: number) => formatBytes(b, i18n.language);
  const total = group.totalBytes;
  const used = total !== null && group.freeBytes !== null ? total - group.freeBytes : null;
  const scale = total ?? Math.max(1, ...group.guests.map((g) => readings.get(g.id)?.memory?.sizeBytes ?? 0));
  const pct = (b: number) => `${Math.min(100, (b / scale) * 100)}%`;
  return (
    <section className="memory-host" data-testid="memory-host" data-host={group.host?.name ?? ''}>
      <h3 className="section-title">{group.host ? group.host.name : t('guests.memoryTab.noHost')}</h3>
      {total !== null ? (
        <div className="memory-host-summary" data-testid="memory-host-summary">
          <span className="meter wide" role="meter" aria-valuemin={0} aria-valuemax={total} aria-valuenow={used ?? 0} aria-label={t('guests.memoryTab.used')}>
            <span className="meter-fill" style={{ width: pct(used ?? 0) }} />
          </span>
          <span className="hint">
            {used !== null && group.freeBytes !== null
              ? t('guests.memoryTab.hostLine', { total: size(total), used: size(used), free: size(group.freeBytes) })
              : t('guests.memoryTab.hostTotal', { total: size(total) })}
          </span>
        </div>
      ) : null}
      <table className="memory-guests">
        <tbody>
          {group.guests.map((guest) => {
            const memory = readings.get(guest.id)?.memory;
            const range = memory ? rangeOf(memory) : null;
            return (
              <tr key={guest.id} data-testid="memory-guest" data-guest={guest.name}>
                <td className="memory-tick">
                  <input type="checkbox" aria-label={guest.name} data-testid="memory-tick" disabled={!range} checked={ticked.has(guest.id)} onChange={() => onTick(guest.id)} />
                </td>
                <td className="memory-name">{guest.name}</td>
                <td className="memory-bar-cell">
                  {range ? (
                    <span className="mem-track small" aria-hidden="true">
                      <span className="mem-static" style={{ left: pct(range.staticMin), width: `calc(${pct(range.staticMax)} - ${pct(range.staticMin)})` }} />
                      <span className="mem-dynamic" style={{ left: pct(range.dynamicMin), width: `calc(${pct(range.dynamicMax)} - ${pct(range.dynamicMin)})` }} />
                      {memory?.actualBytes !== undefined ? <span className="mem-actual" style={{ left: pct(memory.actualBytes) }} /> : null}
                    </span>
                  ) : null}
                </td>
                <td className="memory-text" data-testid="memory-guest-range">
                  {range
                    ? t('guests.memoryTab.range', {
                        min: size(range.dynamicMin),
                        max: size(range.dynamicMax),
                        actual: memory?.actualBytes !== undefined ? size(memory.actualBytes) : '—',
                      })
                    : t('guests.memoryTab.reading')}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
