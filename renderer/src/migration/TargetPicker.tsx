// The hosts a VM (or every VM of a bulk move) can go to, grouped under their server:
// a host that can take them is a choice; one that cannot shows the server's reason.
// A host of another server (cross-pool, engine to engine) asks where the disks go.
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { MigrationPlan, MigrationTarget, StorageChoice } from '../../../shared/migration';
import type { InventoryNode } from '../../../shared/model';
import { formatBytes } from '../components/format';
import { useStore } from '../store/store';
import { MigrationReason } from './MigrationReason';
import { freeMemoryOf, sharedTarget, targetHostIds } from './spread';

interface Row {
  host: InventoryNode;
  verdict: ReturnType<typeof sharedTarget>;
}

/** The storage the dialog proposes first: the destination's default, else the first. */
export function defaultStorage(storages: StorageChoice[] | undefined): StorageChoice | undefined {
  return storages?.find((s) => s.isDefault) ?? storages?.[0];
}

export function TargetPicker(props: {
  plan: MigrationPlan;
  vms: InventoryNode[];
  hostId: string | null;
  onHost: (hostId: string, target: MigrationTarget) => void;
  storageId: string | undefined;
  onStorage: (storageId: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const { plan, vms } = props;
  const index = useStore((s) => s.index);
  const servers = useStore(useShallow((s) => s.servers));
  const rows: Row[] = targetHostIds(plan)
    .map((id) => index.nodes.get(id))
    .filter((h): h is InventoryNode => h !== undefined)
    .map((host) => ({ host, verdict: sharedTarget(plan, host.id) }));
  const ownServers = new Set(vms.map((vm) => vm.serverId));
  const groups = [...new Set(rows.map((r) => r.host.serverId))].sort((a, b) => Number(ownServers.has(b)) - Number(ownServers.has(a)));
  const nameOf = (id: string) => index.nodes.get(id)?.name ?? id;
  const children = (id: string) => index.children.get(id) ?? [];
  if (rows.length === 0) return <p className="hint">{t('migration.noHosts')}</p>;
  return (
    <div className="migrate-targets" role="radiogroup" aria-label={t('migration.targets')}>
      {groups.map((serverId) => (
        <fieldset key={serverId} className="migrate-group" data-testid="migrate-group" data-server={serverId}>
          <legend>
            {servers.find((s) => s.id === serverId)?.name ?? serverId}
            {ownServers.has(serverId) ? '' : ` — ${t('migration.otherServer')}`}
          </legend>
          {rows
            .filter((r) => r.host.serverId === serverId)
            .map(({ host, verdict }) => {
              const target = verdict.ok ? verdict.target : undefined;
              const selected = props.hostId === host.id;
              const free = freeMemoryOf(host, (id) => index.nodes.get(id), children);
              return (
                <div key={host.id} className={`migrate-target${verdict.ok ? '' : ' refused'}`} data-testid="migrate-target" data-host={host.name} data-ok={verdict.ok}>
                  <label className="radio">
                    <input type="radio" name="migrate-target" checked={selected} disabled={!verdict.ok} onChange={() => target && props.onHost(host.id, target)} />
                    <span className="migrate-host">{host.name}</span>
                    {host.maintenance ? <span className="maintenance-badge">{t('migration.inMaintenance')}</span> : null}
                    {free > 0 ? <span className="hint">{t('migration.freeMemory', { size: formatBytes(free, i18n.language) })}</span> : null}
                  </label>
                  {!verdict.ok ? (
                    <div className="migrate-why">
                      {vms.length > 1 && verdict.vmId ? <span>{`${nameOf(verdict.vmId)}: `}</span> : null}
                      {verdict.reason ? <MigrationReason error={verdict.reason} /> : <span className="hint">{t('migration.notATarget')}</span>}
                    </div>
                  ) : null}
                  {target?.offline ? (
                    <p className="hint migrate-offline" data-testid="migrate-offline">
                      {t('migration.offline')}
                    </p>
                  ) : null}
                  {selected && target?.crossServer && target.storages?.length ? (
                    <StoragePicker storages={target.storages} value={props.storageId} onChange={props.onStorage} />
                  ) : null}
                </div>
              );
            })}
        </fieldset>
      ))}
    </div>
  );
}

function StoragePicker({ storages, value, onChange }: { storages: StorageChoice[]; value: string | undefined; onChange: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <label className="field migrate-storage">
      <span>{t('migration.storage')}</span>
      <select data-testid="migrate-storage" value={value ?? defaultStorage(storages)?.id} onChange={(e) => onChange(e.target.value)}>
        {storages.map((s) => (
          <option key={s.id} value={s.id}>
            {[
              s.name,
              s.freeBytes !== undefined ? t('migration.storageFree', { size: formatBytes(s.freeBytes, i18n.language) }) : '',
              s.isDefault ? t('migration.storageDefault') : '',
              s.shared ? t('migration.storageShared') : '',
            ]
              .filter(Boolean)
              .join(' · ')}
          </option>
        ))}
      </select>
    </label>
  );
}
