// Every reason code a provider can put in a migration plan, an evacuation plan or a
// pool join plan (and the host and pool actions' refusals the same dialogs show) has
// words in both languages (renderer/src/migration/MigrationReason.tsx looks them up
// as migrationReason.<code>). XAPI: the codes the simulator declares for the calls the
// provider's plans and actions make — the simulator raises nothing it does not declare
// (test/sim/xapi/reference.test.ts). Proxmox: the reason keys migration-plan.ts emits.
// vSphere's plan refusals carry no server code (their words are the message).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../../renderer/src/i18n/en.json';
import zhCN from '../../renderer/src/i18n/zh-CN.json';
import { SimCore } from '../sim/xapi/core';
import { XapiDatabase } from '../sim/xapi/database';
import { registerAllMethods } from '../sim/xapi/methods/index';
import { loadModel } from '../sim/xapi/model';

const ROOT = path.resolve(__dirname, '../..');

/** The XAPI calls whose refusals reach a plan or a host/pool dialog as reasons. */
const XAPI_CALLS = [
  'VM.assert_operation_valid',
  'VM.assert_can_boot_here',
  'VM.assert_can_migrate',
  'VM.pool_migrate',
  'VM.migrate_send',
  'host.get_vms_which_prevent_evacuation',
  'host.evacuate',
  'host.reboot',
  'host.shutdown',
  'host.power_on',
  'pool.join',
  'pool.eject',
];

/** Generic failures of any call that mean "not now" rather than a reason of the move: the server's message stands. */
const NOT_REASONS = new Set(['SESSION_INVALID', 'HANDLE_INVALID', 'MESSAGE_METHOD_UNKNOWN', 'MESSAGE_PARAMETER_COUNT_MISMATCH', 'FIELD_TYPE_ERROR', 'INTERNAL_ERROR']);

function xapiCodes(): string[] {
  const model = loadModel();
  const core = new SimCore(new XapiDatabase(model), model, { user: 'root', password: 'password', taskDurationMs: 10, publicAddress: () => 'localhost', timeZone: 'UTC' });
  registerAllMethods(core);
  const codes = new Set<string>();
  for (const name of XAPI_CALLS) {
    const def = core.methods.get(name);
    expect(def, `the simulator serves ${name}`).toBeDefined();
    for (const code of def!.errors) if (!NOT_REASONS.has(code)) codes.add(code);
  }
  return [...codes].sort();
}

function proxmoxCodes(): string[] {
  const source = readFileSync(path.join(ROOT, 'electron/core/providers/proxmox/migration-plan.ts'), 'utf8');
  const emitted = [...source.matchAll(/reason\('([\w-]+)'/g)].map((m) => m[1]!);
  const worded = [...source.matchAll(/^\s+'?([\w-]+)'?: \(items, node\) =>/gm)].map((m) => m[1]!);
  return [...new Set([...emitted, ...worded])].sort();
}

const words = (tree: unknown, code: string) => (tree as { migrationReason: Record<string, string> }).migrationReason[code];

describe('migration reasons in words', () => {
  it.each([
    ['XenServer', xapiCodes],
    ['Proxmox VE', proxmoxCodes],
  ])('%s: every code a plan can carry has words in English and Chinese', (_name, codesOf) => {
    const codes = codesOf();
    expect(codes.length).toBeGreaterThan(4);
    const missing = codes.filter((code) => !words(en, code) || !words(zhCN, code));
    expect(missing).toEqual([]);
  });

  it('finds the codes it checks (the lists are read, not written down)', () => {
    expect(xapiCodes()).toEqual(expect.arrayContaining(['VM_REQUIRES_SR', 'HOST_NOT_ENOUGH_FREE_MEMORY', 'NO_HOSTS_AVAILABLE', 'JOINING_HOST_CANNOT_HAVE_RUNNING_VMS', 'HOST_IN_USE']));
    expect(proxmoxCodes()).toEqual(expect.arrayContaining(['offline', 'local_disks', 'local_resources', 'unavailable_storages', 'blocking-ha-resources']));
  });
});
