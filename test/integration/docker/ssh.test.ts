// The Docker provider over SSH (`ssh://user@host`): docker-modem runs
// `docker system dial-stdio` on the remote side; the host key goes through trust on first use.

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../../peers/dockerd';
import { startSshDialStdio, type SshPeer } from '../../peers/ssh-dial-stdio';
import { isPolyvisorError } from '../../../shared/errors';
import { dockerProviderFactory, type DockerProvider } from '../../../electron/core/providers/docker';
import { Mirror, runContainer, SERVER_ID, skipWithoutDockerd, taskReporter, waitFor } from './harness';
import { normalizeFingerprint, type TlsTrust } from '../../../electron/core/tls/trust';

const unavailable = dockerdUnavailableReason();

describe.skipIf(skipWithoutDockerd(unavailable))('Docker provider: SSH', () => {
  let peer: DockerdPeer;
  let ssh: SshPeer;
  const open: DockerProvider[] = [];

  const sshProvider = (password: string, tls: TlsTrust) => {
    const p = dockerProviderFactory.create({
      serverId: SERVER_ID,
      host: `ssh://${ssh.username}@${ssh.host}:${ssh.port}`,
      port: 2376,
      username: '',
      password,
      options: {},
      tls,
    }) as DockerProvider;
    open.push(p);
    return p;
  };

  beforeAll(async () => {
    peer = await startDockerd();
    await ensureBusyboxImage(peer.docker);
    ssh = await startSshDialStdio(peer.socketPath);
  });

  afterAll(async () => {
    for (const p of open) await p.disconnect().catch(() => undefined);
    await ssh?.stop();
    await peer?.stop();
  });

  it('asks to trust an unknown host key, showing the key in OpenSSH form and its fingerprint', async () => {
    const err = await sshProvider(ssh.password, {}).connect().catch((e: unknown) => e);
    expect(isPolyvisorError(err, 'CERT_UNTRUSTED')).toBe(true);
    if (!isPolyvisorError(err)) return;
    const key = err.info.certificate!;
    expect(key).toMatchObject({ kind: 'ssh-host-key', host: ssh.host, port: ssh.port, fingerprint256: ssh.hostKeyFingerprint, subject: `SSH host key of ${ssh.host}` });
    // "<algorithm> <base64 blob>", and the fingerprint is the SHA-256 of that blob
    const [algorithm, blob] = key.pem.split(' ');
    expect(algorithm).toBe('ssh-ed25519');
    expect(normalizeFingerprint(createHash('sha256').update(Buffer.from(blob, 'base64')).digest('hex'))).toBe(key.fingerprint256);
    expect(ssh.commands).toEqual([]); // nothing ran before the host was trusted
  });

  it('connects once the presented key is pinned (fingerprint and key line, as the pin store keeps them)', async () => {
    const first = await sshProvider(ssh.password, {}).connect().catch((e: unknown) => e);
    if (!isPolyvisorError(first, 'CERT_UNTRUSTED')) throw first;
    const { fingerprint256, pem } = first.info.certificate!;
    const p = sshProvider(ssh.password, { pinnedFingerprint: fingerprint256, pinnedPem: pem });
    const mirror = new Mirror(p);
    await p.connect();
    expect(mirror.ofKind('host')).toHaveLength(1);
  });

  it('refuses a host key that differs from the pinned one', async () => {
    const wrong = 'AB:' + ssh.hostKeyFingerprint.slice(3);
    const err = await sshProvider(ssh.password, { pinnedFingerprint: wrong }).connect().catch((e: unknown) => e);
    expect(isPolyvisorError(err, 'CERT_CHANGED')).toBe(true);
    if (!isPolyvisorError(err)) return;
    expect(err.info.pinnedFingerprint).toBe(wrong);
    expect(err.info.certificate).toMatchObject({ kind: 'ssh-host-key', fingerprint256: ssh.hostKeyFingerprint });
    expect(err.info.certificate!.pem).toMatch(/^ssh-ed25519 [A-Za-z0-9+/]+=*$/);
  });

  it('reports a wrong password as AUTH_FAILED', async () => {
    const err = await sshProvider('wrong', { pinnedFingerprint: ssh.hostKeyFingerprint }).connect().catch((e: unknown) => e);
    expect(isPolyvisorError(err, 'AUTH_FAILED')).toBe(true);
  });

  it('connects with the pinned host key, lists, acts and follows events', async () => {
    const id = await runContainer(peer.docker, 'over-ssh');
    const p = sshProvider(ssh.password, { pinnedFingerprint: ssh.hostKeyFingerprint });
    const mirror = new Mirror(p);
    await p.connect();
    expect(ssh.commands).toContain('docker system dial-stdio');
    expect(mirror.container(id)).toMatchObject({ name: 'over-ssh', state: 'running' });
    await p.runAction({ nativeRef: id, kind: 'container' }, 'pause', {}, taskReporter());
    expect(mirror.container(id)!.state).toBe('paused');
    await peer.docker.getContainer(id).unpause();
    await waitFor(() => mirror.container(id)?.state === 'running', 'event over ssh');
  });
});
