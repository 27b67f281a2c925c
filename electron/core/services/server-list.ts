// The saved host list as the user edits it: add, change, remove, import, export.
// Each server is checked against its provider's descriptor; a change to what a
// password was given for drops the password (credentials.ts) before anything
// can connect to the new address with it.

import type { ServerDraft } from '../../../shared/contract';
import { PolyvisorError } from '../../../shared/errors';
import type { ProviderRegistry } from '../providers/registry';
import type { SavedServer, ServerFields } from '../servers/saved-server';
import type { ServerStore } from '../servers/server-store';
import type { ConnectionService } from './connections';
import type { CredentialService } from './credentials';
import { checkServerFields, coerceOptions, fieldsFromDraft } from './server-fields';

export interface ServerListHooks {
  changed(server: SavedServer): void;
  removed(id: string): void;
}

export class ServerListService {
  constructor(
    private readonly servers: ServerStore,
    private readonly registry: ProviderRegistry,
    private readonly credentials: CredentialService,
    private readonly connections: ConnectionService,
    private readonly hooks: ServerListHooks,
  ) {}

  async add(draft: ServerDraft): Promise<SavedServer> {
    const factory = this.registry.get(draft.type);
    if (!factory) {
      throw new PolyvisorError({
        code: 'INVALID_INPUT',
        message: `Unknown server type ${JSON.stringify(draft.type)}; this build connects to ${this.registry.types().join(', ')}.`,
        field: 'type',
      });
    }
    const descriptor = factory.descriptor;
    const base = fieldsFromDraft(descriptor, draft);
    const options = factory.normalizeOptions ? factory.normalizeOptions({ ...base }) : base.options;
    checkServerFields(descriptor, { ...base, options });
    const fields: ServerFields = {
      type: draft.type,
      name: draft.name?.trim() || base.host,
      host: base.host,
      port: base.port,
      username: base.username,
      autoConnect: draft.autoConnect ?? true,
      rememberPassword: draft.rememberPassword ?? true,
      options,
    };
    const saved = await this.servers.add(fields);
    if (draft.password) await this.credentials.keep(saved, draft.password);
    this.connections.refreshServerNode(saved);
    this.hooks.changed(saved);
    return saved;
  }

  async update(id: string, changes: Partial<ServerDraft>): Promise<SavedServer> {
    const before = this.servers.require(id);
    if (changes.type !== undefined && changes.type !== before.type) {
      throw new PolyvisorError({ code: 'INVALID_INPUT', message: 'The type of a saved server cannot change; add a new server instead.', field: 'type' });
    }
    const factory = this.registry.require(before.type);
    const options = changes.options === undefined ? before.options : coerceOptions(factory.descriptor, changes.options);
    const next = {
      host: changes.host?.trim() ?? before.host,
      port: changes.port ?? before.port,
      username: changes.username?.trim() ?? before.username,
      options,
    };
    checkServerFields(factory.descriptor, next);
    const after = await this.servers.update(id, {
      ...next,
      name: changes.name?.trim() || (changes.name === undefined ? undefined : next.host),
      autoConnect: changes.autoConnect,
      rememberPassword: changes.rememberPassword,
    });
    await this.credentials.serverChanged(before, after);
    if (changes.password === '') await this.credentials.clear(after);
    else if (changes.password) await this.credentials.keep(after, changes.password);
    await this.connections.serverChanged(before, after, !!changes.password);
    this.connections.refreshServerNode(after);
    this.hooks.changed(after);
    return after;
  }

  async remove(id: string): Promise<void> {
    const server = this.servers.require(id);
    await this.connections.serverRemoved(id);
    await this.servers.remove(id);
    await this.credentials.forget(server);
    this.hooks.removed(id);
  }

  async import(content: string): Promise<{ added: number; skipped: number }> {
    const { added, skipped } = await this.servers.importList(content, (entry) => this.acceptable(entry));
    for (const s of added) {
      this.connections.refreshServerNode(s);
      this.hooks.changed(s);
    }
    return { added: added.length, skipped };
  }

  export(): string {
    return this.servers.exportList();
  }

  /** An imported entry is kept only if this build can connect to it as it is written. */
  private acceptable(entry: ServerFields): boolean {
    const factory = this.registry.get(entry.type);
    if (!factory) return false;
    try {
      const options = coerceOptions(factory.descriptor, entry.options);
      entry.options = factory.normalizeOptions ? factory.normalizeOptions({ ...entry, options }) : options;
      checkServerFields(factory.descriptor, entry);
      return true;
    } catch {
      // counted as skipped: the import reports how many entries it could not take
      return false;
    }
  }
}
