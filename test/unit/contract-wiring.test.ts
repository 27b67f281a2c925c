// Every channel of the contract reaches a handler in the core, and nothing else does.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, EVENTS, isChannel, type Channel } from '../../shared/contract';
import { isPolyvisorError } from '../../shared/errors';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';

let home: string;
let core: PolyvisorCore;

beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-wiring-'));
  core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [] });
});
afterAll(async () => {
  await core.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('contract wiring', () => {
  it('lists each channel and event once', () => {
    expect(new Set(CHANNELS).size).toBe(CHANNELS.length);
    expect(CHANNELS.length).toBeGreaterThanOrEqual(19);
    expect(new Set(EVENTS).size).toBe(EVENTS.length);
    expect(EVENTS).toEqual(expect.arrayContaining(['inventory:delta', 'server:changed', 'server:removed', 'task:changed', 'store:problem', 'settings:changed']));
  });

  it.each(CHANNELS.map((c) => [c]))('%s has a handler', async (channel) => {
    // Called with no arguments: a handler either answers or rejects with a typed error about its input;
    // only a missing handler would say "Unknown channel".
    let outcome: unknown;
    try {
      outcome = await (core.invoke as (c: Channel, ...a: unknown[]) => Promise<unknown>)(channel);
    } catch (e) {
      expect(isPolyvisorError(e), String(e)).toBe(true);
      outcome = e;
    }
    expect(String((outcome as Error)?.message ?? '')).not.toMatch(/Unknown channel/);
  });

  it('rejects a channel that is not in the contract with INVALID_INPUT', async () => {
    expect(isChannel('servers:list')).toBe(true);
    expect(isChannel('constructor')).toBe(false);
    for (const bogus of ['servers:drop', 'constructor', '__proto__', 'toString']) {
      await expect((core.invoke as (c: string) => Promise<unknown>)(bogus)).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    }
  });
});
