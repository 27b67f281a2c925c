// `polyvisor image …`, `volume …`, `container create` and `vm delete` on a container (a running one forced) as
// real processes against a real dockerd and a real registry (Debian's docker-registry).
// Every change is read back with the engine's own CLI, never through Polyvisor.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliInspect, cliLines, dockerCliUnavailableReason } from '../peers/docker-cli';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../peers/dockerd';
import { keyringUnavailableReason, startKeyringSession, type KeyringSession } from '../peers/keyring';
import { pushRandomImage, registryUnavailableReason, startRegistry, type RegistryPeer } from '../peers/registry';
import { requirePeer } from '../peers/require-peer';
import { bundleCli, type CliBundle } from './cli-bundle';
import { POLITE_CMD } from './docker/harness';

const missing = dockerdUnavailableReason() ?? dockerCliUnavailableReason() ?? registryUnavailableReason() ?? keyringUnavailableReason();
const BUSYBOX = 'local/busybox:latest';
const MiB = 1024 ** 2;

let tmp: string;
let bundle: CliBundle;
let keyring: KeyringSession;
let peer: DockerdPeer;
let registry: RegistryPeer;
let pulled: string;

const cli = (args: string[]) => bundle.run(args, { ...keyring.env, POLYVISOR_HOME: path.join(tmp, 'profile'), HOME: tmp });
async function ok(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const r = await cli(args);
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}
const images = () => cliLines(peer.socketPath, ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
const volumes = () => cliLines(peer.socketPath, ['volume', 'ls', '--format', '{{.Name}}']);
const containers = () => cliLines(peer.socketPath, ['ps', '-a', '--format', '{{.Names}}']);

beforeAll(async () => {
  if (missing) return;
  tmp = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-cli-images-'));
  [keyring, peer, registry, bundle] = await Promise.all([startKeyringSession(), startDockerd(), startRegistry(), bundleCli()]);
  await ensureBusyboxImage(peer.docker);
  pulled = await pushRandomImage(peer, registry, 'pv/tool', 1 << 20, BUSYBOX);
  await peer.docker.createVolume({ Name: 'web-data' });
  await peer.docker.createVolume({ Name: 'scratch' });
  const web = await peer.docker.createContainer({ name: 'web', Image: BUSYBOX, Cmd: POLITE_CMD, HostConfig: { Binds: ['web-data:/data'], NetworkMode: 'none' } });
  await web.start();
}, 180_000);

afterAll(async () => {
  await Promise.allSettled([peer?.stop(), registry?.stop(), keyring?.stop()]);
  bundle?.remove();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(requirePeer(missing))('polyvisor image, volume and container create against dockerd', { timeout: 180_000 }, () => {
  it('adds the engine; image list and volume list show what the engine has, and who uses it', async () => {
    await ok(['server', 'add', '--type', 'docker', '--host', 'localhost', '--connection', 'socket', '--socket-path', peer.socketPath, '--name', 'engine']);
    const listed = JSON.parse((await ok(['image', 'list', '--json'])).stdout) as Array<{ name: string; props: { usedBy: string[] } }>;
    expect(listed.find((n) => n.name === BUSYBOX)?.props.usedBy).toEqual(['web']);
    const text = (await ok(['volume', 'list'])).stdout;
    expect(text).toMatch(/^scratch {2}.*engine/m);
    expect(text).toMatch(/^web-data {2}.*engine/m);
  });

  it('image pull fetches the image from the registry; a bad reference is refused before anything connects', async () => {
    expect(await images()).not.toContain(pulled);
    const r = await ok(['image', 'pull', pulled, '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ reference: pulled, server: 'engine', status: 'success' });
    expect(r.stderr).toMatch(new RegExp(`Pull ${pulled.replace(/[.]/g, '\\.')} on engine: \\d+%`));
    expect(await images()).toContain(pulled);
    const bad = await cli(['image', 'pull', 'Not a reference']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('image pull: "Not a reference" is not an image reference');
  });

  it('container create: ports, environment, a named volume, restart policy and limits, as the engine records them', async () => {
    const r = await ok([
      'container', 'create', '--image', BUSYBOX, '--name', 'made', '-p', '18080:80', '-e', 'GREETING=hello', '-v', 'made-data:/data',
      '--restart', 'unless-stopped', '--memory', '64MiB', '--cpus', '0.5', '--server', 'engine', '--json',
    ]);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: 'made', status: 'success' });
    const made = await cliInspect<{ Config: { Env: string[] }; HostConfig: Record<string, any>; Mounts: Array<{ Type: string; Name: string; Destination: string }>; State: { Status: string } }>(peer.socketPath, 'made', 'container');
    expect(made.Config.Env).toContain('GREETING=hello');
    expect(made.HostConfig.PortBindings['80/tcp']).toEqual([expect.objectContaining({ HostPort: '18080' })]);
    expect(made.HostConfig.RestartPolicy.Name).toBe('unless-stopped');
    expect(made.HostConfig.Memory).toBe(64 * MiB);
    expect(made.HostConfig.NanoCpus).toBe(500_000_000);
    expect(made.Mounts).toEqual([expect.objectContaining({ Type: 'volume', Name: 'made-data', Destination: '/data' })]);
    expect(made.State.Status).toBe('created');
  });

  it('removing an image or a volume a container uses is refused, and both stay', async () => {
    const image = await cli(['image', 'remove', BUSYBOX]);
    expect(image.code).toBe(1);
    expect(image.stderr).toContain(`INVALID_INPUT: ${BUSYBOX} is used by made, web: remove those containers first`);
    const volume = await cli(['volume', 'remove', 'web-data']);
    expect(volume.code).toBe(1);
    expect(volume.stderr).toContain('INVALID_INPUT: web-data is used by web: remove those containers first');
    expect(await images()).toContain(BUSYBOX);
    expect(await volumes()).toContain('web-data');
  });

  it('vm delete on a container: --keep-disks keeps its named volume', async () => {
    const r = await ok(['vm', 'delete', 'made', '--keep-disks', '--yes']);
    expect(r.stdout).toMatch(/^made\n {2}keep {4}made-data/m);
    expect(await containers()).not.toContain('made');
    expect(await volumes()).toContain('made-data');
  });

  it('image remove and volume remove take what no container uses', async () => {
    await ok(['image', 'remove', pulled]);
    expect(await images()).not.toContain(pulled);
    await ok(['volume', 'remove', 'made-data']);
    expect(await volumes()).not.toContain('made-data');
  });

  it('volume prune asks (no terminal: --yes required), then removes only the unused volumes', async () => {
    const refused = await cli(['volume', 'prune']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('volume prune: there is no terminal to ask on; give --yes');
    expect(await volumes()).toContain('scratch');
    await ok(['volume', 'prune', '--yes']);
    expect(await volumes()).not.toContain('scratch');
    expect(await volumes()).toContain('web-data');
  });

  it('image prune removes the images no container uses and says what it freed', async () => {
    await ok(['image', 'pull', pulled]);
    const r = await ok(['image', 'prune', '--yes']);
    expect(r.stdout).toMatch(/Removed the unused images of engine \(\d[\d.]* (B|KiB|MiB) freed\)\./);
    expect(await images()).not.toContain(pulled);
    expect(await images()).toContain(BUSYBOX);
  });

  it('vm delete on a running container: refused without --force (the field named), removed with it (DELETE …?force=true)', async () => {
    const refused = await cli(['vm', 'delete', 'web', '--keep-disks', '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('vm delete: web is running: shut it down first, or give --force');
    expect(await containers()).toContain('web');
    await ok(['vm', 'delete', 'web', '--keep-disks', '--force', '--yes']);
    expect(await containers()).not.toContain('web');
    expect(await volumes()).toContain('web-data');
  });
});
