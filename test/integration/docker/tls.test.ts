// A Docker engine on TCP with TLS and client certificates (DOCKER_CERT_PATH style):
// verified through the one TLS policy, unknown engine certificates go through the pin flow.

import { X509Certificate } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerdUnavailableReason, startDockerd, type DockerdPeer } from '../../peers/dockerd';
import { dockerdTlsArgs, freePort, makeDockerTlsFiles, type DockerTlsFiles } from '../../peers/docker-tls';
import { isPolyvisorError } from '../../../shared/errors';
import { normalizeFingerprint } from '../../../electron/core/tls/trust';
import { dockerProviderFactory, type DockerProvider } from '../../../electron/core/providers/docker';
import { Mirror, SERVER_ID, skipWithoutDockerd } from './harness';
import type { TlsTrust } from '../../../electron/core/tls/trust';

const unavailable = dockerdUnavailableReason();

describe.skipIf(skipWithoutDockerd(unavailable))('Docker provider: TCP + TLS', () => {
  let peer: DockerdPeer;
  let files: DockerTlsFiles;
  let port: number;
  let fingerprint: string;
  const open: DockerProvider[] = [];

  const tcpProvider = (options: Record<string, string | number | boolean>, tls: TlsTrust = {}) => {
    const p = dockerProviderFactory.create({ serverId: SERVER_ID, host: '127.0.0.1', port, username: '', options, tls }) as DockerProvider;
    open.push(p);
    return p;
  };

  beforeAll(async () => {
    files = makeDockerTlsFiles();
    port = await freePort();
    peer = await startDockerd({ extraArgs: dockerdTlsArgs(files, port) });
    fingerprint = normalizeFingerprint(new X509Certificate(files.serverPem).fingerprint256);
  });

  afterAll(async () => {
    for (const p of open) await p.disconnect().catch(() => undefined);
    await peer?.stop();
    if (files) rmSync(files.dir, { recursive: true, force: true });
  });

  it('connects with a cert dir whose CA vouches for the engine', async () => {
    const p = tcpProvider({ certDir: files.trustingClientDir });
    const mirror = new Mirror(p);
    await p.connect();
    expect(mirror.ofKind('host')[0].props.version).toBe((await peer.docker.version()).Version);
  });

  it('asks the user to trust an engine certificate no CA vouches for, then connects with the pin', async () => {
    const err = await tcpProvider({ certDir: files.clientDir }).connect().catch((e: unknown) => e);
    expect(isPolyvisorError(err, 'CERT_UNTRUSTED')).toBe(true);
    if (!isPolyvisorError(err)) return;
    expect(err.info.certificate).toMatchObject({ host: '127.0.0.1', port, fingerprint256: fingerprint });

    const pinned = tcpProvider({ certDir: files.clientDir }, { pinnedFingerprint: fingerprint, pinnedPem: err.info.certificate!.pem });
    const mirror = new Mirror(pinned);
    await pinned.connect();
    expect(mirror.ofKind('host')).toHaveLength(1);
  });

  it('refuses a pinned certificate that has changed', async () => {
    const wrong = 'AA:' + fingerprint.slice(3);
    const err = await tcpProvider({ certDir: files.clientDir }, { pinnedFingerprint: wrong }).connect().catch((e: unknown) => e);
    expect(isPolyvisorError(err, 'CERT_CHANGED')).toBe(true);
    expect(isPolyvisorError(err) && err.info.pinnedFingerprint).toBe(wrong);
  });

  it('reports an engine that refuses us without a client certificate', async () => {
    const err = await tcpProvider({}, { pinnedFingerprint: fingerprint, pinnedPem: files.serverPem }).connect().catch((e: unknown) => e);
    expect(isPolyvisorError(err, 'AUTH_FAILED')).toBe(true);
    expect(isPolyvisorError(err) && err.message).toMatch(/client certificate/i);
  });

  it('says clearly when the cert dir is incomplete', async () => {
    expect(() => tcpProvider({ certDir: `${files.dir}/nowhere` })).toThrow(/ca\.pem/);
  });
});
