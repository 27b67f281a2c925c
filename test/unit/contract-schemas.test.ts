// Issue 10: one runtime schema per channel and per event, checked in one dispatch().
// Bad input is INVALID_INPUT naming the field — never INTERNAL — whichever host it
// comes through. (A channel or event without a schema fails the typecheck: see the
// `satisfies` clauses in shared/contract-schemas.ts and the @ts-expect-error below.)

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CHANNELS, EVENTS, type Channel, type ChannelArgs } from '../../shared/contract';
import { CHANNEL_ARG_NAMES, CHANNEL_ARGS, EVENT_PAYLOADS } from '../../shared/contract-schemas';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import { xenServerProviderFactory } from '../../electron/core/providers/xenserver';

// A schema map that forgets a channel does not typecheck.
// @ts-expect-error 'logs:open' (and others) are missing
const incomplete: { [C in Channel]: z.ZodType<ChannelArgs<C>> } = { 'app:info': CHANNEL_ARGS['app:info'] };
void incomplete;

let home: string;
let core: PolyvisorCore;
beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-schemas-'));
  core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [xenServerProviderFactory] });
});
afterAll(async () => {
  await core.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('contract schemas', () => {
  it('every channel has an argument schema and argument names; every event a payload schema', () => {
    expect(Object.keys(CHANNEL_ARGS).sort()).toEqual([...CHANNELS].sort());
    expect(Object.keys(CHANNEL_ARG_NAMES).sort()).toEqual([...CHANNELS].sort());
    expect(Object.keys(EVENT_PAYLOADS).sort()).toEqual([...EVENTS].sort());
  });

  const bad: Array<[string, unknown[], RegExp]> = [
    ['servers:add', [{ type: 'xenserver', host: 'h', port: 'eighty' }], /server\.port must be number/],
    ['servers:add', [{ type: 'xenserver', host: 'h', evil: true }], /server has unknown field\(s\) "evil"/],
    ['servers:add', [{ type: 'xenserver', host: 'h', options: { constructor: 'x' } }], /server\.options\.constructor/],
    ['servers:add', [null], /server must be object/],
    ['servers:update', ['id', { port: 70_000 }], /changes\.port is too large/],
    ['servers:connect', [42], /id must be string/],
    ['settings:set', [{ theme: 'purple' }], /changes\.theme must be one of "system", "light", "dark"/],
    ['settings:set', [{ toString: 'x' }], /changes has unknown field\(s\) "toString"/],
    ['actions:run', [{ nodeIds: [], action: 'start' }], /request\.nodeIds is too small/],
    ['actions:run', [{ nodeIds: ['a', 'a'], action: 'start' }], /request\.nodeIds lists the same item twice/],
    ['actions:run', [{ nodeIds: ['a'], action: 'format_disk' }], /request\.action must be one of/],
    ['actions:run', [{ nodeIds: ['a'], action: 'snapshot_create', params: { name: 7 } }], /request\.params\.name must be string/],
    ['console:open', ['n', 'spice'], /protocol must be one of "rfb", "text"/],
    ['console:open', ['n', 'text', { shell: 'sh; rm -rf /' }], /options\.shell must be a program path/],
    ['logs:open', ['n', { tail: -1 }], /options\.tail is too small/],
    ['servers:list', ['surplus'], /too many arguments|arguments/],
    ['menu:update', [{ menus: [{ label: 'File', items: [{ kind: 'script', code: 'x' }] }] }], /menu\.menus\.0\.items\.0/],
  ];

  it.each(bad)('%s %j → INVALID_INPUT naming the field', async (channel, args, message) => {
    const attempt = core.dispatch(channel, args);
    await expect(attempt).rejects.toMatchObject({ info: { code: 'INVALID_INPUT', message: expect.stringMatching(message) } });
  });

  it('a call that is not a list of arguments, or names no channel, is INVALID_INPUT too', async () => {
    await expect(core.dispatch('servers:list', 'nope')).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await expect(core.dispatch({ toString: () => 'servers:list' }, [])).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
  });

  it('good calls pass, with optional trailing arguments left out', async () => {
    await expect(core.dispatch('servers:list', [])).resolves.toEqual([]);
    await expect(core.dispatch('servers:connect', ['missing', undefined])).rejects.toMatchObject({ info: { code: 'NOT_FOUND' } });
  });
});
