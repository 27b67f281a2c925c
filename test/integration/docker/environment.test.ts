// A saved Docker server means the same engine whatever environment Polyvisor starts in:
// no proxy from HTTP(S)_PROXY (Polyvisor's policy for every provider), and none of the
// docker CLI's variables (DOCKER_HOST, DOCKER_CERT_PATH, DOCKER_TLS_VERIFY,
// DOCKER_CLIENT_TIMEOUT, DOCKER_PATH_PREFIX), which docker-modem would otherwise read.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dockerdUnavailableReason, startDockerd, type DockerdPeer } from '../../peers/dockerd';
import { dockerdTlsArgs, freePort, makeDockerTlsFiles, type DockerTlsFiles } from '../../peers/docker-tls';
import { startHostileProxy, startRecordingProxy, type HostileProxy } from '../../peers/hostile-proxy';
import { dockerProviderFactory, type DockerProvider } from '../../../electron/core/providers/docker';
import type { ProviderConfig } from '../../../electron/core/providers/provider';
import { Mirror, providerFor, SERVER_ID, skipWithoutDockerd } from './harness';

const unavailable = dockerdUnavailableReason();

describe.skipIf(skipWithoutDockerd(unavailable))('Docker and the environment it starts in', () => {
  let peer: DockerdPeer;
  let files: DockerTlsFiles;
  let tlsPort: number;
  let plainTcp: HostileProxy;
  let recording: Awaited<ReturnType<typeof startRecordingProxy>>;
  let junkCertDir: string;
  const saved = new Map<string, string | undefined>();
  const opened: DockerProvider[] = [];

  const tcpProvider = (port: number, options: ProviderConfig['options']) => {
    const p = dockerProviderFactory.create({ serverId: SERVER_ID, host: '127.0.0.1', port, username: '', options: { connection: 'tcp', ...options }, tls: {} }) as DockerProvider;
    opened.push(p);
    return p;
  };

  const connectedTree = async (p: DockerProvider) => {
    const mirror = new Mirror(p);
    await p.connect();
    return mirror.ofKind('host');
  };

  beforeAll(async () => {
    files = makeDockerTlsFiles();
    tlsPort = await freePort();
    peer = await startDockerd({ extraArgs: dockerdTlsArgs(files, tlsPort) });
    plainTcp = await startHostileProxy({ upstream: { socketPath: peer.socketPath }, listen: { tls: false } });
    recording = await startRecordingProxy();
    junkCertDir = mkdtempSync(path.join(os.tmpdir(), 'pv-junk-certs-'));
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(path.join(junkCertDir, f), 'not a certificate\n');
    const environment: Record<string, string> = {
      HTTPS_PROXY: recording.url,
      https_proxy: recording.url,
      HTTP_PROXY: recording.url,
      http_proxy: recording.url,
      ALL_PROXY: recording.url,
      NO_PROXY: '',
      no_proxy: '',
      // Node 24 and later would honour the proxy variables with this set; Node 20 ignores it
      NODE_USE_ENV_PROXY: '1',
      DOCKER_HOST: `tcp://127.0.0.1:${await freePort()}`,
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: junkCertDir,
      DOCKER_CLIENT_TIMEOUT: '1',
      DOCKER_PATH_PREFIX: '/nowhere',
    };
    for (const [name, value] of Object.entries(environment)) {
      saved.set(name, process.env[name]);
      process.env[name] = value;
    }
  });

  afterEach(async () => {
    while (opened.length) await opened.pop()!.disconnect();
    expect(recording.seen).toEqual([]);
  });

  afterAll(async () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await plainTcp?.close();
    await recording?.close();
    await peer?.stop();
    if (files) rmSync(files.dir, { recursive: true, force: true });
    if (junkCertDir) rmSync(junkCertDir, { recursive: true, force: true });
  });

  it('a socket engine is that socket, not DOCKER_HOST', async () => {
    const p = providerFor(peer.socketPath);
    opened.push(p);
    expect(await connectedTree(p)).toHaveLength(1);
  });

  it('TCP with TLS goes straight to the engine with the server’s own cert dir, not through HTTPS_PROXY', async () => {
    expect(await connectedTree(tcpProvider(tlsPort, { certDir: files.trustingClientDir }))).toHaveLength(1);
    expect(plainTcp.seen()).toEqual([]);
  });

  it('plain TCP goes straight to the engine, not through HTTP_PROXY', async () => {
    expect(await connectedTree(tcpProvider(plainTcp.port, { tls: false }))).toHaveLength(1);
    expect(plainTcp.seen().some((s) => s.startsWith('GET /containers/json'))).toBe(true);
  });
});
