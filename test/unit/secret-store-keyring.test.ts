// The OS keychain, for real: a private D-Bus session with gnome-keyring's Secret
// Service (test/peers/keyring.ts). Secrets must land in the keychain (checked with
// secret-tool, an independent client) and never in servers.json; without a keychain
// the app must say so and keep nothing.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// libdbus reads the session bus address once per process: this file only ever
// sees the private keychain session (the no-keychain case has its own file).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { xenServerProviderFactory } from '../../electron/core/providers/xenserver';
import { KeyringSecretStore } from '../../electron/core/secrets/keyring-secret-store';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import { boundAccount } from '../../electron/core/services/credentials';
import { keyringUnavailableReason, startKeyringSession, withKeyringEnv, type KeyringSession } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';

const unavailable = keyringUnavailableReason();

describe('MemorySecretStore', () => {
  it('keeps, returns and deletes secrets per account', async () => {
    const s = new MemorySecretStore();
    expect(await s.get('a')).toBeNull();
    await s.set('a', 'one');
    await s.set('b', 'two');
    expect(await s.get('a')).toBe('one');
    expect(await s.delete('a')).toBe(true);
    expect(await s.delete('a')).toBe(false);
    expect(await s.get('a')).toBeNull();
    expect(await s.get('b')).toBe('two');
    expect(await s.available()).toEqual({ available: true });
  });
});

describe.skipIf(requirePeer(unavailable))('KeyringSecretStore on a real gnome-keyring', () => {
  let session: KeyringSession;
  let restore: () => void;
  let home: string;
  beforeAll(async () => {
    session = await startKeyringSession();
    restore = withKeyringEnv(session.env);
    home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-keyring-home-'));
  });
  afterAll(async () => {
    restore?.();
    await session?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('is available', async () => {
    expect(await new KeyringSecretStore().available()).toEqual({ available: true });
  });

  it('stores the secret in the Secret Service where secret-tool finds it, then deletes it', async () => {
    const store = new KeyringSecretStore();
    await store.set('server:abc', 'p@ss wörd');
    expect(await store.get('server:abc')).toBe('p@ss wörd');
    expect(session.lookup({ service: 'Polyvisor', username: 'server:abc' })).toBe('p@ss wörd');
    await store.set('server:abc', 'changed');
    expect(session.lookup({ service: 'Polyvisor', username: 'server:abc' })).toBe('changed');
    expect(await store.delete('server:abc')).toBe(true);
    expect(await store.get('server:abc')).toBeNull();
    expect(session.lookup({ service: 'Polyvisor', username: 'server:abc' })).toBeNull();
    expect(await store.delete('server:abc')).toBe(false);
  });

  it('the core puts a remembered password in the keychain and never in servers.json; removing the server deletes it', async () => {
    const core = await createAppCore('web', { home, providers: [xenServerProviderFactory] });
    expect((await core.invoke('app:info')).keychain.available).toBe(true);
    const view = await core.invoke('servers:add', {
      type: 'xenserver',
      host: '127.0.0.1',
      port: 9,
      username: 'root',
      password: 'keychain-only-0815',
      rememberPassword: true,
      autoConnect: false,
    });
    expect(view.hasStoredPassword).toBe(true);
    expect(JSON.stringify(view)).not.toContain('keychain-only-0815');
    expect(session.lookup({ service: 'Polyvisor', username: boundAccount(view) })).toBe('keychain-only-0815');
    expect(readFileSync(path.join(home, 'servers.json'), 'utf8')).not.toContain('keychain-only-0815');
    await core.stop();

    // A new process (core) still knows a password is stored, without ever showing it.
    const again = await createAppCore('web', { home, providers: [xenServerProviderFactory] });
    const [listed] = await again.invoke('servers:list');
    expect(listed.hasStoredPassword).toBe(true);
    await again.invoke('servers:remove', view.id);
    expect(session.lookup({ service: 'Polyvisor', username: boundAccount(view) })).toBeNull();
    await again.stop();
  });
});
