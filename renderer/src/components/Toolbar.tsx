// The main toolbar: server management, import/export, power and snapshot actions, settings.
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { useStore, storeActions } from '../store/store';
import { actionTargets, focusedServer, selectedNodes, selectedServers, TOOLBAR_POWER_ACTIONS } from '../store/selectors';
import { connectServer, disconnectServer, exportServers, importServers, reconnectAll, runAction } from '../store/commands';
import { Glyph, type GlyphName } from './Icons';
import type { PowerAction } from '../../../shared/model';

const POWER_GLYPHS: Record<PowerAction, GlyphName> = {
  start: 'start',
  shutdown: 'shutdown',
  force_shutdown: 'force',
  reboot: 'reboot',
  force_reboot: 'forceReboot',
  suspend: 'suspend',
  resume: 'resume',
  pause: 'pause',
  unpause: 'resume',
};

export function Toolbar() {
  const { t } = useTranslation();
  const nodes = useStore(useShallow((s) => selectedNodes(s)));
  const servers = useStore(useShallow((s) => selectedServers(s)));
  const server = useStore((s) => focusedServer(s));
  const fileInput = useRef<HTMLInputElement>(null);
  const rowServers = servers.length ? servers : server ? [server] : [];
  const canConnect = rowServers.some((s) => s.state !== 'connected' && s.state !== 'connecting');
  const canDisconnect = rowServers.some((s) => s.state !== 'disconnected');
  const vm = nodes.length === 1 && (nodes[0].kind === 'vm' || nodes[0].kind === 'container') ? nodes[0] : null;

  const onExport = async () => {
    const content = await exportServers();
    if (content === null) return;
    const url = URL.createObjectURL(new Blob([content], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'polyvisor-servers.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const onImportFile = async (file: File | undefined) => {
    if (!file) return;
    const result = await importServers(await file.text());
    if (result) storeActions.inform(t('notice.imported', { added: result.added, skipped: result.skipped }));
    if (fileInput.current) fileInput.current.value = '';
  };

  return (
    <div className="toolbar" role="toolbar" aria-label={t('toolbar.label')}>
      <ToolButton glyph="add" label={t('toolbar.addServer')} testId="tb-add-server" onClick={() => storeActions.openDialog({ kind: 'addServer' })} />
      <ToolButton
        glyph="connect"
        label={t('toolbar.connect')}
        testId="tb-connect"
        disabled={!canConnect}
        onClick={() => rowServers.forEach((s) => void connectServer(s.id))}
      />
      <ToolButton
        glyph="disconnect"
        label={t('toolbar.disconnect')}
        testId="tb-disconnect"
        disabled={!canDisconnect}
        onClick={() => rowServers.forEach((s) => void disconnectServer(s.id))}
      />
      <ToolButton glyph="refresh" label={t('toolbar.reconnectAll')} testId="tb-reconnect-all" onClick={() => void reconnectAll()} />
      <span className="toolbar-sep" />
      <ToolButton glyph="import" iconOnly label={t('toolbar.import')} testId="tb-import" onClick={() => fileInput.current?.click()} />
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="import-file"
        onChange={(e) => void onImportFile(e.target.files?.[0])}
      />
      <ToolButton glyph="export" iconOnly label={t('toolbar.export')} testId="tb-export" onClick={() => void onExport()} />
      <span className="toolbar-sep" />
      {TOOLBAR_POWER_ACTIONS.map((action) => {
        const targets = actionTargets(nodes, action);
        return (
          <ToolButton
            key={action}
            glyph={POWER_GLYPHS[action]}
            label={t(`action.${action}`)}
            testId={`tb-${action}`}
            iconOnly={action.startsWith('force_')}
            disabled={targets.length === 0}
            onClick={() => void runAction(targets, action)}
          />
        );
      })}
      <span className="toolbar-sep" />
      <ToolButton
        glyph="snapshot"
        label={t('toolbar.takeSnapshot')}
        testId="tb-snapshot"
        disabled={!vm || !vm.allowed.includes('snapshot_create')}
        onClick={() => vm && storeActions.openDialog({ kind: 'snapshotCreate', vmId: vm.id, memory: false })}
      />
      <span className="toolbar-fill" />
      <ToolButton glyph="settings" label={t('toolbar.settings')} testId="tb-settings" onClick={() => storeActions.openDialog({ kind: 'settings' })} />
    </div>
  );
}

function ToolButton(props: { glyph: GlyphName; label: string; testId: string; disabled?: boolean; iconOnly?: boolean; onClick: () => void }) {
  return (
    <button
      type="button"
      className="tool-button"
      data-testid={props.testId}
      disabled={props.disabled}
      onClick={props.onClick}
      title={props.label}
      aria-label={props.label}
    >
      <Glyph name={props.glyph} />
      {props.iconOnly ? null : <span>{props.label}</span>}
    </button>
  );
}
