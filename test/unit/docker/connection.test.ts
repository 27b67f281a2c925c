import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../electron/core/providers/common/limits';
import { resolveEndpoint } from '../../../electron/core/providers/docker/connection';
import { DEFAULT_SOCKET } from '../../../electron/core/providers/docker/descriptor';
import { engineClient } from '../../../electron/core/providers/docker/transport';
import type { ProviderConfig } from '../../../electron/core/providers/provider';

const cfg = (host: string, options: ProviderConfig['options'] = {}, extra: Partial<ProviderConfig> = {}): ProviderConfig => ({
  serverId: 's',
  host,
  port: 2376,
  username: '',
  options,
  tls: {},
  ...extra,
});

describe('Docker endpoint resolution', () => {
  it('reads sockets and named pipes', () => {
    expect(resolveEndpoint(cfg('', { socketPath: '/run/x.sock' }))).toEqual({ kind: 'socket', socketPath: '/run/x.sock' });
    expect(resolveEndpoint(cfg('unix:///var/run/docker.sock'))).toEqual({ kind: 'socket', socketPath: '/var/run/docker.sock' });
    expect(resolveEndpoint(cfg('npipe:////./pipe/docker_engine'))).toEqual({ kind: 'socket', socketPath: '//./pipe/docker_engine' });
    expect(resolveEndpoint(cfg('//./pipe/docker_engine'))).toEqual({ kind: 'socket', socketPath: '//./pipe/docker_engine' });
  });

  it('reads ssh:// with user and port, defaulting to 22', () => {
    expect(resolveEndpoint(cfg('ssh://ops@box.example:2222'))).toEqual({ kind: 'ssh', host: 'box.example', port: 2222, username: 'ops' });
    expect(resolveEndpoint(cfg('ssh://box.example', {}, { username: 'me' }))).toEqual({ kind: 'ssh', host: 'box.example', port: 22, username: 'me' });
  });

  it('uses TLS for TCP unless told otherwise, with the cert dir as CA and client certificate', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pv-certdir-'));
    try {
      for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(path.join(dir, f), `PEM ${f}`);
      const ep = resolveEndpoint(cfg('tcp://10.0.0.5:2376', { certDir: dir }, { tls: { pinnedFingerprint: 'AA' } }));
      expect(ep).toMatchObject({ kind: 'tls', host: '10.0.0.5', port: 2376 });
      if (ep.kind !== 'tls') return;
      expect(ep.trust).toEqual({ pinnedFingerprint: 'AA', extraCa: ['PEM ca.pem'], clientCert: 'PEM cert.pem', clientKey: 'PEM key.pem' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const plain = resolveEndpoint(cfg('engine.lan', {}, { port: 2390 }));
    expect(plain).toMatchObject({ kind: 'tls', host: 'engine.lan', port: 2390 });
    const client = engineClient(plain, cfg('engine.lan'), LIMITS, 'engine.lan');
    const modem = client.docker.modem as unknown as { protocol: string; agent: { options: { rejectUnauthorized: boolean } } };
    expect(modem.protocol).toBe('https');
    expect(modem.agent.options.rejectUnauthorized).toBe(true);
    client.close();
    expect(resolveEndpoint(cfg('engine.lan:2375', { tls: false }))).toEqual({ kind: 'http', host: 'engine.lan', port: 2375 });
  });

  it('follows the declared connection choice over what the host looks like', () => {
    expect(resolveEndpoint(cfg('ignored.example', { connection: 'socket', socketPath: '/run/y.sock' }))).toEqual({ kind: 'socket', socketPath: '/run/y.sock' });
    expect(resolveEndpoint(cfg('localhost', { connection: 'socket' }))).toEqual({ kind: 'socket', socketPath: DEFAULT_SOCKET });
    expect(resolveEndpoint(cfg('box.example', { connection: 'ssh' }, { port: 2222, username: 'ops' }))).toEqual({ kind: 'ssh', host: 'box.example', port: 2222, username: 'ops' });
    expect(resolveEndpoint(cfg('box.example', { connection: 'ssh' }, { username: 'ops' }))).toMatchObject({ kind: 'ssh', port: 22 });
    expect(resolveEndpoint(cfg('engine.lan', { connection: 'tcp', socketPath: '/run/unused.sock', tls: false }, { port: 2375 }))).toEqual({
      kind: 'http',
      host: 'engine.lan',
      port: 2375,
    });
  });

  it('infers the connection of servers saved before the choice existed', () => {
    expect(resolveEndpoint(cfg(''))).toEqual({ kind: 'socket', socketPath: DEFAULT_SOCKET });
    expect(resolveEndpoint(cfg('/run/z.sock'))).toEqual({ kind: 'socket', socketPath: '/run/z.sock' });
    expect(resolveEndpoint(cfg('box.example', { ssh: true }, { username: 'me' }))).toEqual({ kind: 'ssh', host: 'box.example', port: 22, username: 'me' });
  });

  it('names the missing file of an incomplete cert dir', () => {
    expect(() => resolveEndpoint(cfg('engine.lan', { certDir: '/nonexistent-dir' }))).toThrow(/ca\.pem.*nonexistent-dir/);
  });
});
