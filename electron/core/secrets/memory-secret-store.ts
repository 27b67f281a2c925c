// A SecretStore held in process memory only: for tests and throw-away sessions.

import type { SecretStore, SecretStoreStatus } from './secret-store';

export class MemorySecretStore implements SecretStore {
  private readonly secrets = new Map<string, string>();

  constructor(private readonly status: SecretStoreStatus = { available: true }) {}

  async get(account: string): Promise<string | null> {
    return this.secrets.get(account) ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    this.secrets.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    return this.secrets.delete(account);
  }

  async available(): Promise<SecretStoreStatus> {
    return { ...this.status };
  }
}
