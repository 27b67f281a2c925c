// Where saved-server passwords live. Accounts are opaque strings chosen by the core
// (one per saved server and endpoint, see services/credentials.ts); secrets never go anywhere else: not to files, logs or the renderer.

export interface SecretStoreStatus {
  available: boolean;
  /** why the store cannot be used, in words the user can act on */
  message?: string;
}

export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** true when a secret was deleted */
  delete(account: string): Promise<boolean>;
  available(): Promise<SecretStoreStatus>;
}

export const SECRET_SERVICE_NAME = 'Polyvisor';
