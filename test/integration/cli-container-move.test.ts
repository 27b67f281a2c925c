// `polyvisor container move` as a real process between two real dockerd engines: the
// container runs on the other engine with the file written in its named volume before
// the move, and is gone from the first — read back with dockerode. Unknown engines
// and a missing --to fail before anything moves.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../peers/dockerd';
import { keyringUnavailableReason, startKeyringSession, type KeyringSession } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';
import { execText, POLITE_CMD } from './docker/harness';
import { bundleCli, type CliBundle } from './cli-bundle';

const missing = dockerdUnavailableReason() ?? keyringUnavailableReason();

let tmp: string;
let bundle: CliBundle;
let keyring: KeyringSession;
let a: DockerdPeer;
let b: DockerdPeer;

const cli = (args: string[]) => bundle.run(args, { ...keyring.env, POLYVISOR_HOME: path.join(tmp, 'profile'), HOME: tmp });
const named = async (peer: DockerdPeer, name: string) => (await peer.docker.listContainers({ all: true })).find((c) => c.Names.includes(`/${name}`));

beforeAll(async () => {
  if (missing) return;
  tmp = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-cli-move-'));
  [keyring, a, b, bundle] = await Promise.all([startKeyringSession(), startDockerd(), startDockerd(), bundleCli()]);
  const image = await ensureBusyboxImage(a.docker);
  await a.docker.createVolume({ Name: 'notes' });
  const box = await a.docker.createContainer({ name: 'box', Image: image, Cmd: POLITE_CMD, HostConfig: { Binds: ['notes:/data'] } });
  await box.start();
  await execText(a.docker, box.id, ['sh', '-c', 'echo kept > /data/note.txt']);
}, 180_000);

afterAll(async () => {
  await Promise.allSettled([a?.stop(), b?.stop(), keyring?.stop()]);
  bundle?.remove();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(requirePeer(missing))('polyvisor container move between two dockerd engines', { timeout: 180_000 }, () => {
  it('adds both engines', async () => {
    for (const [name, peer] of [['engine-a', a], ['engine-b', b]] as const) {
      const r = await cli(['server', 'add', '--type', 'docker', '--host', 'localhost', '--connection', 'socket', '--socket-path', peer.socketPath, '--name', name]);
      expect(r.code, r.stderr).toBe(0);
    }
  });

  it('refuses an unknown engine and a missing --to, the container untouched', async () => {
    const unknown = await cli(['container', 'move', 'box', '--to', 'engine-z']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/NOT_FOUND: No saved server "engine-z"/);
    const usage = await cli(['container', 'move', 'box']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('container move: --to <engine> is required');
    expect((await named(a, 'box'))?.State).toBe('running');
  });

  it('moves the container to the engine named by its server, with its volume data', async () => {
    const r = await cli(['container', 'move', 'box', '--to', 'engine-b', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([expect.objectContaining({ vm: 'box', status: 'success' })]);
    const moved = await named(b, 'box');
    expect(moved?.State).toBe('running');
    expect((await execText(b.docker, moved!.Id, ['cat', '/data/note.txt'])).trim()).toBe('kept');
    expect(await named(a, 'box')).toBeUndefined();
  });
});
