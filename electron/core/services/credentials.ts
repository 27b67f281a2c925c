// Passwords: in the OS keychain when the user wants and the keychain works, in
// process memory for this session otherwise, never in a file or a log. A stored
// password belongs to what it was given for — (type, host, port, user name) — and
// is kept under an account named after that binding: move a server to another
// address and the old password is not found there, so it is never sent to the new
// address; the user is asked again and told why.

import { createHash } from 'node:crypto';
import { PolyvisorError, toErrorInfo } from '../../../shared/errors';
import type { SecretStore, SecretStoreStatus } from '../secrets/secret-store';
import type { SavedServer } from '../servers/saved-server';

type Binding = Pick<SavedServer, 'id' | 'type' | 'host' | 'port' | 'username'>;

export interface CredentialHooks {
  /** the keychain failed at something the user should know about */
  problem(message: string): void;
  /** whether the server's provider asks for a password with these settings (its descriptor's password field is shown) */
  needsPassword(server: SavedServer): boolean;
}

/** The keychain account of a server's password, bound to its endpoint and user. */
export function boundAccount(s: Binding): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([s.type, s.host.toLowerCase(), s.port, s.username]))
    .digest('hex')
    .slice(0, 24);
  return `server:${s.id}:${digest}`;
}

/** Before passwords were bound (Polyvisor 0.1): one account per server id. */
function legacyAccount(id: string): string {
  return `server:${id}`;
}

export function sameBinding(a: Binding, b: Binding): boolean {
  return boundAccount(a) === boundAccount(b);
}

export class CredentialService {
  private status: SecretStoreStatus = { available: false };
  /** ids of servers with a password in the keychain under their current binding */
  private readonly stored = new Set<string>();
  /** passwords typed this session, by server id, with the binding they were typed for; `saved` once a login proved it and it went to the keychain */
  private readonly typed = new Map<string, { account: string; password: string; saved?: boolean }>();
  /** servers whose stored password was dropped because their endpoint changed */
  private readonly dropped = new Set<string>();

  constructor(
    private readonly secrets: SecretStore,
    private readonly hooks: CredentialHooks,
  ) {}

  async init(servers: SavedServer[]): Promise<void> {
    this.status = await this.secrets.available();
    if (!this.status.available) return;
    for (const s of servers) {
      if (!s.rememberPassword) continue;
      if ((await this.read(boundAccount(s))) !== null || (await this.migrateLegacy(s))) this.stored.add(s.id);
    }
  }

  async keychain(): Promise<SecretStoreStatus> {
    this.status = await this.secrets.available();
    return { ...this.status };
  }

  get keychainStatus(): SecretStoreStatus {
    return { ...this.status };
  }

  hasStored(id: string): boolean {
    return this.stored.has(id);
  }

  droppedForEndpointChange(id: string): boolean {
    return this.dropped.has(id);
  }

  /** A password typed for this server now: kept for the session, and in the keychain when wanted. */
  async keep(server: SavedServer, password: string): Promise<void> {
    this.typed.set(server.id, { account: boundAccount(server), password, saved: true });
    this.dropped.delete(server.id);
    await this.store(server, password);
  }

  /** A password typed at a prompt: used for this session; kept in the keychain once a login proves it right. */
  typeOnce(server: SavedServer, password: string): void {
    this.typed.set(server.id, { account: boundAccount(server), password });
    this.dropped.delete(server.id);
  }

  /** A typed password proved right by a successful login: remember it if it is not yet. */
  async confirmTyped(server: SavedServer, password: string): Promise<void> {
    const typed = this.typed.get(server.id);
    if (!typed || typed.saved || this.typedFor(server) !== password) return;
    typed.saved = true;
    await this.store(server, password);
  }

  /** A typed password was refused by the server: do not try it again. */
  rejectTyped(id: string): void {
    this.typed.delete(id);
  }

  /** The password to log in to `server` with; PASSWORD_REQUIRED when it needs one we do not have. */
  async passwordFor(server: SavedServer): Promise<string | undefined> {
    const typed = this.typedFor(server);
    if (typed !== undefined) return typed;
    if (server.rememberPassword && this.status.available) {
      const stored = await this.secrets.get(boundAccount(server));
      if (stored !== null) return stored;
      this.stored.delete(server.id);
    }
    // Docker's socket or TLS client certificates: the provider's form has no password for them
    if (!this.hooks.needsPassword(server)) return undefined;
    const who = `${server.username}@${server.host}`;
    if (this.dropped.has(server.id)) {
      throw new PolyvisorError({
        code: 'PASSWORD_REQUIRED',
        message: `The address, port or user name of this server changed since its password was saved, so that password was not sent to the new address. Enter the password for ${who}.`,
      });
    }
    const why =
      server.rememberPassword && !this.status.available
        ? ` The OS keychain is not available${this.status.message ? ` (${this.status.message})` : ''}, so it cannot be remembered.`
        : '';
    throw new PolyvisorError({ code: 'PASSWORD_REQUIRED', message: `Enter the password for ${who}.${why}` });
  }

  /**
   * A saved server changed. When what the password was given for changed, the password
   * goes (keychain and session) and the next connection asks again; when only
   * rememberPassword was switched off, the keychain copy goes.
   */
  async serverChanged(before: SavedServer, after: SavedServer): Promise<void> {
    if (!sameBinding(before, after)) {
      const had = this.stored.has(before.id) || this.typed.has(before.id);
      await this.forget(before);
      if (had) this.dropped.add(after.id);
      return;
    }
    if (before.rememberPassword && !after.rememberPassword) await this.deleteStored(before);
  }

  /** The user cleared the password: forget every copy. */
  async clear(server: SavedServer): Promise<void> {
    await this.forget(server);
  }

  /** Forgets every copy of the server's password; a keychain that refuses is reported, not ignored. */
  async forget(server: SavedServer): Promise<void> {
    this.typed.delete(server.id);
    this.dropped.delete(server.id);
    await this.deleteStored(server);
  }

  private typedFor(server: SavedServer): string | undefined {
    const t = this.typed.get(server.id);
    return t && t.account === boundAccount(server) ? t.password : undefined;
  }

  private async store(server: SavedServer, password: string): Promise<void> {
    if (!server.rememberPassword || !this.status.available) return;
    try {
      await this.secrets.set(boundAccount(server), password);
      this.stored.add(server.id);
    } catch (e) {
      this.status = { available: false, message: toErrorInfo(e).message };
      this.hooks.problem(`The password for ${server.name} could not be saved in the OS keychain: ${toErrorInfo(e).message}`);
    }
  }

  private async deleteStored(server: SavedServer): Promise<void> {
    const wasStored = this.stored.delete(server.id);
    if (!wasStored && !this.status.available) return;
    for (const account of [boundAccount(server), legacyAccount(server.id)]) {
      try {
        await this.secrets.delete(account);
      } catch (e) {
        this.hooks.problem(
          `The saved password of ${server.name} could not be removed from the OS keychain (${toErrorInfo(e).message}). Remove the entry "Polyvisor / ${account}" with your keychain tool.`,
        );
      }
    }
  }

  private async read(account: string): Promise<string | null> {
    try {
      return await this.secrets.get(account);
    } catch (e) {
      this.hooks.problem(`The OS keychain could not be read: ${toErrorInfo(e).message}`);
      return null;
    }
  }

  /** A password saved before bindings existed belongs to the server as it is now: move it under its binding. */
  private async migrateLegacy(server: SavedServer): Promise<boolean> {
    const legacy = await this.read(legacyAccount(server.id));
    if (legacy === null) return false;
    try {
      await this.secrets.set(boundAccount(server), legacy);
      await this.secrets.delete(legacyAccount(server.id));
      return true;
    } catch (e) {
      this.hooks.problem(`The saved password of ${server.name} could not be moved in the OS keychain: ${toErrorInfo(e).message}`);
      return false;
    }
  }
}
