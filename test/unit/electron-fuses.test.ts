// Issue 11, finding 5: the packaged app flips Electron's fuses so that no local
// process can run code as the signed Polyvisor binary (and so read its keychain
// items) through ELECTRON_RUN_AS_NODE, NODE_OPTIONS or --inspect. electron-builder
// applies `electronFuses` when it packages; this reads the configuration the way
// electron-builder does and checks each fuse against electron-builder's own schema.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const config = load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as { electronFuses?: Record<string, unknown>; asar?: boolean };
const schema = JSON.parse(readFileSync(path.join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as {
  definitions: Record<string, { properties?: Record<string, unknown> }>;
};

describe('Electron fuses in the packaged app', () => {
  const fuses = config.electronFuses ?? {};

  it('turns off every way to run arbitrary code as the app', () => {
    expect(fuses.runAsNode).toBe(false);
    expect(fuses.enableNodeOptionsEnvironmentVariable).toBe(false);
    expect(fuses.enableNodeCliInspectArguments).toBe(false);
  });

  it('turns on cookie encryption and ASAR integrity, and loads the app only from its archive', () => {
    expect(fuses.enableCookieEncryption).toBe(true);
    expect(fuses.enableEmbeddedAsarIntegrityValidation).toBe(true);
    expect(fuses.onlyLoadAppFromAsar).toBe(true);
    expect(config.asar).not.toBe(false);
    expect(fuses.grantFileProtocolExtraPrivileges).toBe(false);
  });

  it('names only fuses electron-builder knows (a typo would be silently ignored)', () => {
    const known = Object.keys(schema.definitions.FuseOptionsV1?.properties ?? {});
    expect(known.length).toBeGreaterThan(5);
    for (const key of Object.keys(fuses)) expect(known).toContain(key);
  });
});
