// The OS keychain, for real: a private D-Bus session with gnome-keyring's Secret
// Service (test/peers/keyring.ts). Secrets must land in the keychain (checked with
// secret-tool, an independent client) and never in servers.json; without a keychain
// the app must say so and keep nothing.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// libdbus reads the session bus address once per process: this file only ever
// sees a session without a keychain (the real keychain has its own file).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { xenServerProviderFactory } from '../../electron/core/providers/xenserver';
import { KeyringSecretStore } from '../../electron/core/secrets/keyring-secret-store';
import { keyringUnavailableReason, withKeyringEnv } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';

const unavailable = keyringUnavailableReason();

describe.skipIf(requirePeer(unavailable))('KeyringSecretStore without a keychain', () => {
  let home: string;
  let restore: () => void;
  beforeAll(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-nokeyring-'));
    // A session bus address that leads nowhere: exactly what a headless box without a desktop session has.
    restore = withKeyringEnv({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(home, 'no-bus')}`, HOME: home });
  });
  afterAll(() => {
    restore();
    rmSync(home, { recursive: true, force: true });
  });

  it('reports the keychain as unavailable with a reason', async () => {
    const status = await new KeyringSecretStore().available();
    expect(status.available).toBe(false);
    expect(status.message).toMatch(/Secret Service|D-?Bus/i);
  });

  it('fails a write with KEYCHAIN_UNAVAILABLE instead of falling back', async () => {
    await expect(new KeyringSecretStore().set('server:x', 'pw')).rejects.toMatchObject({ info: { code: 'KEYCHAIN_UNAVAILABLE' } });
  });

  it('the core keeps the password nowhere on disk and asks for it again after a restart', async () => {
    const profile = path.join(home, 'profile');
    let core: PolyvisorCore = await createAppCore('web', { home: profile, providers: [xenServerProviderFactory] });
    const info = await core.invoke('app:info');
    expect(info.keychain.available).toBe(false);
    expect(info.keychain.message).toBeTruthy();
    const view = await core.invoke('servers:add', {
      type: 'xenserver',
      host: '127.0.0.1',
      port: 9,
      username: 'root',
      password: 'never-on-disk-4711',
      rememberPassword: true,
      autoConnect: false,
    });
    expect(view.hasStoredPassword).toBe(false);
    expect(readFileSync(path.join(profile, 'servers.json'), 'utf8')).not.toContain('never-on-disk-4711');
    await core.stop();

    core = await createAppCore('web', { home: profile, providers: [xenServerProviderFactory] });
    const after = await core.invoke('servers:connect', view.id);
    expect(after.state).toBe('error');
    expect(after.error?.code).toBe('PASSWORD_REQUIRED');
    expect(after.error?.message).toMatch(/keychain is not available/);
    await core.stop();
  });
});

