// The OS keychain through @napi-rs/keyring: macOS Keychain, Windows Credential
// Manager, Secret Service (gnome-keyring, KWallet) on Linux. On Linux the entry is
// pinned to Secret Service: the library's silent fallback (the kernel keyring) forgets
// everything at reboot, and we would rather say "no keychain" than pretend to remember.

import { AsyncEntry, type EntryOptions } from '@napi-rs/keyring';
import { PolyvisorError } from '../../../shared/errors';
import { SECRET_SERVICE_NAME, type SecretStore, type SecretStoreStatus } from './secret-store';

const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };
const PROBE_ACCOUNT = 'polyvisor:probe';

export class KeyringSecretStore implements SecretStore {
  constructor(private readonly service = SECRET_SERVICE_NAME) {}

  async get(account: string): Promise<string | null> {
    return this.call('read', (e) => e.getPassword(), account);
  }

  async set(account: string, secret: string): Promise<void> {
    await this.call('save', (e) => e.setPassword(secret), account);
  }

  async delete(account: string): Promise<boolean> {
    return this.call('delete', (e) => e.deletePassword(), account);
  }

  async available(): Promise<SecretStoreStatus> {
    try {
      await this.entry(PROBE_ACCOUNT).getPassword();
      return { available: true };
    } catch (e) {
      return { available: false, message: unavailableMessage(e) };
    }
  }

  private entry(account: string): AsyncEntry {
    return new AsyncEntry(this.service, account, ENTRY_OPTIONS);
  }

  private async call<T>(what: string, op: (e: AsyncEntry) => Promise<T>, account: string): Promise<T> {
    try {
      return await op(this.entry(account));
    } catch (e) {
      throw new PolyvisorError({ code: 'KEYCHAIN_UNAVAILABLE', message: `Cannot ${what} the password in the OS keychain: ${unavailableMessage(e)}` });
    }
  }
}

function unavailableMessage(e: unknown): string {
  const raw = e instanceof Error ? e.message : String(e);
  if (process.platform === 'linux' && /dbus|secret service|org\.freedesktop\.secrets|DBUS_SESSION_BUS_ADDRESS/i.test(raw)) {
    return `No Secret Service keychain is running in this session (e.g. gnome-keyring or KWallet): ${raw}. Passwords will not be saved; you will be asked for them on each connection.`;
  }
  return raw;
}
