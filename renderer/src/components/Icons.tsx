// Small inline SVG icons: node kinds with their power state, toolbar glyphs.
import type { ConnectionState, NodeKind, PowerState } from '../../../shared/model';

const STATE_COLORS: Record<PowerState, string> = {
  running: 'var(--ok)',
  halted: 'var(--muted)',
  paused: 'var(--warn)',
  suspended: 'var(--info)',
  restarting: 'var(--info)',
  unhealthy: 'var(--bad)',
  unknown: 'var(--muted)',
};

function Badge({ state }: { state: PowerState }) {
  const color = STATE_COLORS[state];
  switch (state) {
    case 'running':
      return <path d="M10 9.5 L15.5 12.5 L10 15.5 Z" fill={color} stroke="var(--bg)" strokeWidth="0.8" />;
    case 'paused':
      return (
        <g fill={color}>
          <rect x="9.5" y="9.5" width="2" height="6" />
          <rect x="13" y="9.5" width="2" height="6" />
        </g>
      );
    case 'suspended':
      return <circle cx="12.5" cy="12.5" r="3" fill={color} stroke="var(--bg)" strokeWidth="0.8" />;
    case 'halted':
      return <rect x="9.5" y="9.5" width="6" height="6" fill={color} stroke="var(--bg)" strokeWidth="0.8" />;
    case 'unhealthy':
    case 'restarting':
    case 'unknown':
      return <circle cx="12.5" cy="12.5" r="3" fill="none" stroke={color} strokeWidth="1.6" />;
  }
}

export function NodeIcon({ kind, state }: { kind: NodeKind; state?: PowerState }) {
  let body;
  switch (kind) {
    case 'pool':
    case 'cluster':
      body = (
        <g fill="none" stroke="var(--icon)" strokeWidth="1.2">
          <rect x="1.5" y="2.5" width="7" height="4" rx="0.5" />
          <rect x="1.5" y="9.5" width="7" height="4" rx="0.5" />
          <path d="M8.5 4.5 h3 v7 h-3" />
        </g>
      );
      break;
    case 'host':
      body = (
        <g fill="none" stroke="var(--icon)" strokeWidth="1.2">
          <rect x="1.5" y="2.5" width="13" height="4" rx="0.5" />
          <rect x="1.5" y="8.5" width="13" height="4" rx="0.5" />
          <circle cx="4" cy="4.5" r="0.6" fill="var(--icon)" />
          <circle cx="4" cy="10.5" r="0.6" fill="var(--icon)" />
        </g>
      );
      break;
    case 'template':
      body = (
        <g fill="none" stroke="var(--icon)" strokeWidth="1.2" strokeDasharray="2 1">
          <rect x="1.5" y="2.5" width="11" height="9" rx="1" />
        </g>
      );
      break;
    case 'container':
    case 'project':
      body = (
        <g fill="none" stroke="var(--icon)" strokeWidth="1.2">
          <path d="M1.5 5 L7 2.5 L12.5 5 V11 L7 13.5 L1.5 11 Z" />
          <path d="M1.5 5 L7 7.5 L12.5 5 M7 7.5 V13.5" />
        </g>
      );
      break;
    case 'image':
      // stacked layers
      body = (
        <g fill="none" stroke="var(--icon)" strokeWidth="1.2">
          <path d="M7 2 L12.5 4.5 L7 7 L1.5 4.5 Z" />
          <path d="M1.5 7.5 L7 10 L12.5 7.5 M1.5 10.5 L7 13 L12.5 10.5" />
        </g>
      );
      break;
    case 'volume':
      // a drum
      body = (
        <g fill="none" stroke="var(--icon)" strokeWidth="1.2">
          <ellipse cx="7" cy="3.8" rx="5.2" ry="1.8" />
          <path d="M1.8 3.8 V11.2 A5.2 1.8 0 0 0 12.2 11.2 V3.8 M1.8 7.5 A5.2 1.8 0 0 0 12.2 7.5" />
        </g>
      );
      break;
    case 'storage':
      // a disk array: two stacked drives with their lights
      body = (
        <g fill="none" stroke="var(--icon)" strokeWidth="1.2">
          <rect x="1.5" y="2.5" width="11" height="4" rx="0.8" />
          <rect x="1.5" y="8" width="11" height="4" rx="0.8" />
          <path d="M9.5 4.5 H10.5 M9.5 10 H10.5" />
        </g>
      );
      break;
    case 'network':
      // a switch: three ports joined by a line
      body = (
        <g fill="none" stroke="var(--icon)" strokeWidth="1.2">
          <path d="M2 6.5 H12 M4 6.5 V10 M7 6.5 V10 M10 6.5 V10 M7 3 V6.5" />
          <rect x="2.5" y="10" width="3" height="2.5" rx="0.4" />
          <rect x="5.5" y="10" width="3" height="2.5" rx="0.4" />
          <rect x="8.5" y="10" width="3" height="2.5" rx="0.4" />
        </g>
      );
      break;
    case 'snapshot':
      body = (
        <g fill="none" stroke="var(--icon)" strokeWidth="1.2">
          <rect x="1.5" y="4" width="11" height="8" rx="1" />
          <circle cx="7" cy="8" r="2.2" />
          <path d="M4.5 4 L5.5 2.5 H8.5 L9.5 4" />
        </g>
      );
      break;
    default:
      body = (
        <g fill="none" stroke="var(--icon)" strokeWidth="1.2">
          <rect x="1.5" y="2.5" width="11" height="8" rx="1" />
          <path d="M4.5 13.5 h5 M7 10.5 v3" />
        </g>
      );
  }
  return (
    <svg className="node-icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" data-state={state}>
      {body}
      {state ? <Badge state={state} /> : null}
    </svg>
  );
}

/** A snapshot: a camera with a lens (disk only) or a memory chip (with memory); a clock badge when a policy took it. */
export function SnapshotIcon({ memory, policy }: { memory: boolean; policy: boolean }) {
  return (
    <svg className="node-icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" data-memory={memory} data-policy={policy}>
      <g fill="none" stroke="var(--icon)" strokeWidth="1.2">
        <rect x="1.5" y="4" width="11" height="8" rx="1" />
        <path d="M4.5 4 L5.5 2.5 H8.5 L9.5 4" />
        {memory ? null : <circle cx="7" cy="8" r="2.2" />}
      </g>
      {memory ? (
        <g stroke="var(--info)" strokeWidth="1">
          <rect x="4.8" y="6.3" width="4.4" height="3.4" fill="var(--info)" />
          <path d="M5.8 5.3 v1 M8.2 5.3 v1 M5.8 9.7 v1 M8.2 9.7 v1" />
        </g>
      ) : null}
      {policy ? (
        <g>
          <circle cx="12" cy="12" r="3.5" fill="var(--pane)" stroke="var(--accent)" strokeWidth="1.1" />
          <path d="M12 10.2 V12 H13.6" fill="none" stroke="var(--accent)" strokeWidth="1.1" strokeLinecap="round" />
        </g>
      ) : null}
    </svg>
  );
}

const CONNECTION_COLORS: Record<ConnectionState, string> = {
  connected: 'var(--ok)',
  connecting: 'var(--info)',
  reconnecting: 'var(--warn)',
  disconnected: 'var(--muted)',
  error: 'var(--bad)',
};

/** The server's connection state, with its family's colour and mark (from the provider's descriptor). */
export function ServerIcon({ state, mark }: { state: ConnectionState; mark?: { color: string; path: string } }) {
  return (
    <svg className="node-icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" data-state={state} data-mark={mark?.color}>
      <g fill="none" stroke={mark?.color ?? 'var(--icon)'} strokeWidth="1.2">
        <rect x="2.5" y="1.5" width="9" height="12" rx="1" />
        <path d={mark?.path ?? 'M4.5 4.5 h5 M4.5 7 h5'} />
      </g>
      <circle cx="12" cy="12" r="3.2" fill={CONNECTION_COLORS[state]} stroke="var(--bg)" strokeWidth="1" />
    </svg>
  );
}

export type GlyphName =
  | 'add'
  | 'connect'
  | 'disconnect'
  | 'refresh'
  | 'import'
  | 'export'
  | 'start'
  | 'shutdown'
  | 'reboot'
  | 'suspend'
  | 'resume'
  | 'pause'
  | 'force'
  | 'forceReboot'
  | 'snapshot'
  | 'snapshotMemory'
  | 'revert'
  | 'edit'
  | 'remove'
  | 'console'
  | 'logs'
  | 'copy'
  | 'info'
  | 'settings'
  | 'search'
  | 'close'
  | 'schedule'
  | 'template'
  | 'history'
  | 'enable'
  | 'disable'
  | 'migrate'
  | 'maintenance';

export function Glyph({ name }: { name: GlyphName }) {
  const common = { fill: 'none', stroke: 'currentColor', strokeWidth: 1.4, strokeLinecap: 'round' as const, strokeLinejoin: 'round' as const };
  let d: React.ReactNode;
  switch (name) {
    case 'add':
      d = <path {...common} d="M8 3 v10 M3 8 h10" />;
      break;
    case 'connect':
      d = <path {...common} d="M3 8 h6 M7 5 l3 3 -3 3 M11 3 h2 v10 h-2" />;
      break;
    case 'disconnect':
      d = <path {...common} d="M6 3 H3 v10 h3 M9 5 l3 3 -3 3 M12 8 H6" />;
      break;
    case 'refresh':
      d = <path {...common} d="M13 8 a5 5 0 1 1 -1.5 -3.5 M13 2.5 v3 h-3" />;
      break;
    case 'import':
      d = <path {...common} d="M8 2 v8 M5 7 l3 3 3 -3 M3 11 v2 h10 v-2" />;
      break;
    case 'export':
      d = <path {...common} d="M8 10 V2 M5 5 l3 -3 3 3 M3 11 v2 h10 v-2" />;
      break;
    case 'start':
      d = <path d="M5 3 L13 8 L5 13 Z" fill="var(--ok)" />;
      break;
    case 'shutdown':
      d = <rect x="4" y="4" width="8" height="8" fill="var(--bad)" />;
      break;
    case 'reboot':
      d = <path {...common} stroke="var(--info)" d="M12.5 8 a4.5 4.5 0 1 1 -1.3 -3.2 M12.5 2.5 v2.8 h-2.8" />;
      break;
    case 'suspend':
      d = <circle cx="8" cy="8" r="4" fill="var(--info)" />;
      break;
    case 'resume':
      d = <path d="M4 3 h2 v10 h-2 z M7 3 L13 8 L7 13 Z" fill="var(--ok)" />;
      break;
    case 'pause':
      d = <path d="M4 3 h3 v10 h-3 z M9 3 h3 v10 h-3 z" fill="var(--warn)" />;
      break;
    case 'force':
      d = <path {...common} stroke="var(--bad)" d="M8 2 v6 M4.5 4.5 a5 5 0 1 0 7 0" />;
      break;
    case 'forceReboot':
      d = <path {...common} stroke="var(--bad)" d="M12.5 8 a4.5 4.5 0 1 1 -1.3 -3.2 M12.5 2.5 v2.8 h-2.8 M8 6 v3" />;
      break;
    case 'snapshot':
      d = (
        <g {...common}>
          <rect x="2" y="4.5" width="12" height="8.5" rx="1" />
          <circle cx="8" cy="8.7" r="2.3" />
          <path d="M5.5 4.5 L6.5 3 H9.5 L10.5 4.5" />
        </g>
      );
      break;
    case 'snapshotMemory':
      d = (
        <g {...common}>
          <rect x="2" y="4.5" width="12" height="8.5" rx="1" />
          <path d="M5.5 4.5 L6.5 3 H9.5 L10.5 4.5 M5 8.5 h6 M5 10.5 h6" />
        </g>
      );
      break;
    case 'revert':
      d = <path {...common} d="M4 6 h6 a3 3 0 0 1 0 6 h-4 M6.5 3.5 L4 6 l2.5 2.5" />;
      break;
    case 'edit':
      d = <path {...common} d="M3 13 l1 -3.5 l6.5 -6.5 l2.5 2.5 l-6.5 6.5 z M9.5 4 l2.5 2.5" />;
      break;
    case 'remove':
      d = <path {...common} d="M3 4.5 h10 M6.5 4.5 V3 h3 v1.5 M4.5 4.5 l0.7 8.5 h5.6 l0.7 -8.5" />;
      break;
    case 'console':
      d = <path {...common} d="M2 3 h12 v10 h-12 z M4.5 6 l2 2 l-2 2 M8 10.5 h3" />;
      break;
    case 'logs':
      d = <path {...common} d="M3 3.5 h10 M3 6.5 h10 M3 9.5 h7 M3 12.5 h5" />;
      break;
    case 'copy':
      d = <path {...common} d="M5.5 5.5 h7 v7.5 h-7 z M3.5 10.5 v-7.5 h7" />;
      break;
    case 'info':
      d = <path {...common} d="M8 2.5 a5.5 5.5 0 1 1 0 11 a5.5 5.5 0 1 1 0 -11 M8 7.2 v3.8 M8 5 v0.1" />;
      break;
    case 'settings':
      d = (
        <g {...common}>
          <circle cx="8" cy="8" r="2.2" />
          <path d="M8 1.8 v2 M8 12.2 v2 M1.8 8 h2 M12.2 8 h2 M3.6 3.6 l1.4 1.4 M11 11 l1.4 1.4 M3.6 12.4 l1.4 -1.4 M11 5 l1.4 -1.4" />
        </g>
      );
      break;
    case 'search':
      d = <path {...common} d="M7 3 a4 4 0 1 1 0 8 a4 4 0 1 1 0 -8 M10 10 l3.5 3.5" />;
      break;
    case 'close':
      d = <path {...common} d="M4 4 l8 8 M12 4 l-8 8" />;
      break;
    case 'schedule':
      d = <path {...common} d="M8 2.5 a5.5 5.5 0 1 1 0 11 a5.5 5.5 0 1 1 0 -11 M8 5 v3 h2.5" />;
      break;
    case 'template':
      d = <path {...common} strokeDasharray="2 1.2" d="M2.5 3.5 h11 v9 h-11 z" />;
      break;
    case 'history':
      d = <path {...common} d="M3 8 a5 5 0 1 0 1.5 -3.5 M3 2.5 v2.5 h2.5 M8 5.5 v2.5 l2 1.5" />;
      break;
    case 'enable':
      d = <path {...common} stroke="var(--ok)" d="M3 8.5 l3 3 l7 -7" />;
      break;
    case 'disable':
      d = <path {...common} stroke="var(--muted)" d="M8 2.5 a5.5 5.5 0 1 1 0 11 a5.5 5.5 0 1 1 0 -11 M4.2 4.2 l7.6 7.6" />;
      break;
    case 'migrate':
      d = <path {...common} d="M2 5 h9 M8.5 2.5 l2.5 2.5 -2.5 2.5 M14 11 h-9 M7.5 8.5 l-2.5 2.5 2.5 2.5" />;
      break;
    case 'maintenance':
      d = <path {...common} stroke="var(--warn)" d="M10.5 2.5 a3 3 0 0 0 -2.8 4 l-5 5 a1.3 1.3 0 0 0 1.8 1.8 l5 -5 a3 3 0 0 0 4 -2.8 l-1.8 1.8 -1.8 -0.5 -0.5 -1.8 z" />;
      break;
  }
  return (
    <svg className="glyph" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
      {d}
    </svg>
  );
}
