// Issue 11, finding 3 and the property tests for files: every local file goes
// through one loader; whatever a file holds (prototype keys, wrong types, junk,
// documents mutated at random), the app starts — the file is either used or
// kept aside and reported — and the contract answers INVALID_INPUT, never
// INTERNAL, for hostile settings changes.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppCore } from '../../electron/core/app-core';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import { parseServerList } from '../../electron/core/servers/server-list-format';
import { ServerStore } from '../../electron/core/servers/server-store';
import { SettingsStore } from '../../electron/core/settings/settings-store';
import { PinStore } from '../../electron/core/tls/pin-store';
import { isPolyvisorError } from '../../shared/errors';

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-files-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const keptAside = (name: string) => readdirSync(home).filter((f) => f.startsWith(`${name}.corrupt-`));

const HOSTILE_SETTINGS = [
  '{"version":1,"settings":{"constructor":{"prototype":{}}}}',
  '{"version":1,"settings":{"toString":"dark"}}',
  '{"version":1,"settings":{"__proto__":{"theme":"dark"}}}',
  '{"version":1,"__proto__":{"settings":{}},"settings":{"theme":"dark"}}',
  '{"version":1,"settings":{"theme":{"__proto__":"dark"}}}',
  '{"version":1,"settings":{"language":["en"]}}',
  '{"version":1,"settings":null}',
  '{"version":1,"settings":[]}',
  '{"version":"1","settings":{}}',
];

describe('settings.json written by an attacker or a broken disk', () => {
  it.each(HOSTILE_SETTINGS)('the app starts with usable settings: %s', async (text) => {
    writeFileSync(path.join(home, 'settings.json'), text);
    const core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [] });
    const info = await core.invoke('app:info');
    expect(Object.getPrototypeOf(info.settings)).toBe(Object.prototype);
    expect(['system', 'light', 'dark']).toContain(info.settings.theme);
    expect(['system', 'en', 'zh-CN']).toContain(info.settings.language);
    // either every key it held was unknown and dropped, or the file was kept aside and reported
    if (info.storeProblems.length) {
      expect(info.storeProblems[0].file).toMatch(/settings\.json$/);
      expect(keptAside('settings.json')).toHaveLength(1);
    }
    await core.stop();
  });

  it('settings:set refuses prototype and unknown keys with INVALID_INPUT naming the key', async () => {
    const core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [] });
    for (const changes of [{ constructor: 'x' }, { toString: 1 }, { ['__proto__']: { theme: 'dark' } }, JSON.parse('{"__proto__":{"theme":"dark"}}')]) {
      const attempt = core.invoke('settings:set', changes as never);
      if (Object.keys(changes).length === 0) {
        // JSON's own "__proto__" key is a plain property only when parsed; an object literal's sets the prototype and is empty
        await expect(attempt).resolves.toMatchObject({ theme: 'system' });
        continue;
      }
      await expect(attempt).rejects.toMatchObject({ info: { code: 'INVALID_INPUT', message: expect.stringMatching(/changes .*(constructor|toString|__proto__)/) } });
    }
    await core.stop();
  });
});

/** JSON text mutated at random: truncated, a byte flipped, a span replaced with another document's. */
const mutatedJson = (seed: string) =>
  fc.oneof(
    fc.nat(seed.length).map((n) => seed.slice(0, n)),
    fc.tuple(fc.nat(Math.max(0, seed.length - 1)), fc.integer({ min: 0, max: 255 })).map(([i, b]) => seed.slice(0, i) + String.fromCharCode(b) + seed.slice(i + 1)),
    fc.tuple(fc.nat(seed.length), fc.nat(seed.length), fc.json()).map(([a, b, j]) => seed.slice(0, Math.min(a, b)) + j + seed.slice(Math.max(a, b))),
    fc.json(),
    fc.string(),
  );

const SERVERS_SEED = JSON.stringify({
  version: 1,
  servers: [
    { id: 'a', type: 'xenserver', name: 'Pool', host: 'h', port: 443, username: 'root', autoConnect: true, rememberPassword: true, options: { transport: 'auto' }, createdAt: '2026-01-01T00:00:00Z' },
  ],
});
const PINS_SEED = JSON.stringify({
  version: 1,
  pins: [{ host: 'h', port: 443, fingerprint256: 'AA:'.repeat(31) + 'AA', pem: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----', subject: 's', issuer: 'i', validFrom: 'a', validTo: 'b', acceptedAt: 'c' }],
});
const SETTINGS_SEED = JSON.stringify({ version: 1, settings: { theme: 'dark', language: 'zh-CN', showTemplates: true, reconnectAtStart: false } });

describe('every local file, under arbitrary and mutated content', () => {
  const cases = [
    { name: 'servers.json', seed: SERVERS_SEED, open: (h: string) => ServerStore.open(h) },
    { name: 'known-certificates.json', seed: PINS_SEED, open: (h: string) => PinStore.open(h) },
    { name: 'settings.json', seed: SETTINGS_SEED, open: (h: string) => SettingsStore.open(h) },
  ];
  it.each(cases)('$name opens or is kept aside with a problem, never throws', async ({ name, seed, open }) => {
    await fc.assert(
      fc.asyncProperty(mutatedJson(seed), async (text) => {
        const dir = mkdtempSync(path.join(home, 'p-'));
        writeFileSync(path.join(dir, name), text);
        const store = await open(dir);
        if (store.problem) {
          expect(readdirSync(dir).some((f) => f.startsWith(`${name}.corrupt-`))).toBe(true);
          expect(readFileSync(store.problem.keptAs, 'utf8')).toBe(text);
        }
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 150 },
    );
  });
});

describe('server list imports (ours and XenCenter XML)', () => {
  const XENCENTER = '<?xml version="1.0"?><XenConnections><XenConnection><Hostname>pool.lab</Hostname><Port>443</Port><FriendlyName>Lab</FriendlyName></XenConnection></XenConnections>';
  const OURS = JSON.stringify({ format: 'polyvisor-servers', version: 1, servers: [{ type: 'proxmox', name: 'pve', host: 'pve.lab', port: 8006, username: 'root', options: { realm: 'pam' } }] });

  it('arbitrary and mutated lists give entries or INVALID_INPUT, nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(mutatedJson(OURS), mutatedJson(XENCENTER), fc.string({ unit: 'binary' })), (text) => {
        try {
          const entries = parseServerList(text);
          for (const e of entries) expect(typeof e.host).toBe('string');
        } catch (e) {
          expect(isPolyvisorError(e, 'INVALID_INPUT')).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });
});
