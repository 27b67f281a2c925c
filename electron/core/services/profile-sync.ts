// The running app follows its profile's files while other processes change them (the
// CLI, the OS timer's runs, a second window): a server added, changed or removed
// elsewhere reaches the tree and the renderer through the same events as one edited
// here; changed settings and certificate pins likewise. The process that made a
// change took care of its keychain side (a removed server's password is already gone).

import type { Settings, StoreProblem } from '../../../shared/contract';
import type { ServerListChange, ServerStore } from '../servers/server-store';
import type { SettingsStore } from '../settings/settings-store';
import type { PinStore } from '../tls/pin-store';
import type { FileWatchOptions } from '../util/file-watch';
import type { ConnectionService } from './connections';
import type { CredentialService } from './credentials';
import type { SavedServer } from '../servers/saved-server';
import { SerialQueue } from '../util/serial-queue';

export interface ProfileSyncDeps {
  servers: ServerStore;
  settings: SettingsStore;
  pins: PinStore;
  connections: ConnectionService;
  credentials: CredentialService;
  /** the same hooks the server list's own edits use */
  changed(server: SavedServer): void;
  removed(id: string): void;
  settingsChanged(settings: Settings): void;
  /** a profile file made unusable from outside (kept aside) */
  problem(problem: StoreProblem): void;
  log?(level: 'warn', message: string): void;
  /** the watch's timing (tests) */
  watch?: Pick<FileWatchOptions, 'debounceMs' | 'pollMs' | 'useEvents'>;
}

export function followProfile(deps: ProfileSyncDeps): { close(): void } {
  const options = {
    ...deps.watch,
    onProblem: deps.problem,
    onError: (e: Error) => deps.log?.('warn', `Following the profile's files: ${e.message}`),
  };
  // one change after another: an add and the removal right after it (a CLI that gave up) stay in order
  const queue = new SerialQueue();
  deps.servers.watch((change) => void queue.run(() => applyServerChange(deps, change)).catch((e: unknown) => options.onError(e as Error)), options);
  deps.settings.watch(deps.settingsChanged, options);
  deps.pins.watch((endpoints) => {
    const touched = (s: SavedServer) => endpoints.some((e) => e.host.toLowerCase() === s.host.toLowerCase() && e.port === s.port);
    for (const server of deps.servers.list().filter(touched)) {
      deps.changed(server);
      void retryAfterTrust(deps, server.id).catch((e: unknown) => options.onError(e as Error));
    }
  }, options);
  return {
    close() {
      deps.servers.close();
      deps.settings.close();
      deps.pins.close();
    },
  };
}

async function applyServerChange(deps: ProfileSyncDeps, change: ServerListChange): Promise<void> {
  // what a later change already undid is left alone
  const stillSaved = (s: SavedServer) => deps.servers.get(s.id) !== undefined;
  for (const server of change.removed) {
    await deps.connections.serverRemoved(server.id);
    deps.removed(server.id);
  }
  // the other process may have kept a password for them in the keychain
  await deps.credentials.init([...change.added, ...change.changed.map((c) => c.after)]);
  for (const { before, after } of change.changed.filter((c) => stillSaved(c.after))) {
    await deps.connections.serverChanged(before, after, false);
    deps.connections.refreshServerNode(after);
    deps.changed(after);
  }
  for (const server of change.added.filter(stillSaved)) {
    deps.connections.refreshServerNode(server);
    deps.changed(server);
  }
  // as at start: servers marked to connect automatically are connected (their errors show in their view);
  // not awaited, so that a slow server does not hold up the next change
  if (deps.settings.get().reconnectAtStart) {
    for (const s of change.added.filter((a) => a.autoConnect && stillSaved(a))) void deps.connections.connect(s.id).catch((e: unknown) => deps.log?.('warn', `Connecting ${s.name}: ${(e as Error).message}`));
  }
}

/**
 * Another process pinned a certificate (the CLI's `server add --accept-fingerprint`, `server trust`):
 * a server of that address that is connecting, or stopped at the certificate question, tries again
 * with the new pin. The CLI saves the server before it pins, so the app's first attempt may have
 * met the certificate unpinned.
 */
async function retryAfterTrust(deps: ProfileSyncDeps, id: string): Promise<void> {
  // connect() on a server that is connecting waits for that attempt
  if (deps.connections.status(id).state === 'connecting') await deps.connections.connect(id);
  const { state, error } = deps.connections.status(id);
  if (state === 'error' && (error?.code === 'CERT_UNTRUSTED' || error?.code === 'CERT_CHANGED') && deps.servers.get(id)) await deps.connections.connect(id);
}
