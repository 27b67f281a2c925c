// Which engine a saved server points at, and the dockerode options to reach it:
// a local socket (unix or Windows named pipe), TCP+TLS (DOCKER_CERT_PATH-style cert dir,
// verified through the one TLS policy), or SSH (`docker system dial-stdio` on the remote).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DockerOptions } from 'dockerode';
import { PolyvisorError } from '../../../../shared/errors';
import { normalizeFingerprint, httpsAgent, type TlsTrust } from '../../tls/trust';
import type { ProviderConfig } from '../provider';

export type DockerEndpoint =
  | { kind: 'socket'; socketPath: string }
  | { kind: 'tls'; host: string; port: number; trust: TlsTrust }
  | { kind: 'http'; host: string; port: number }
  | { kind: 'ssh'; host: string; port: number; username: string };

export const DEFAULT_SOCKET = process.platform === 'win32' ? '//./pipe/docker_engine' : '/var/run/docker.sock';

/**
 * Options understood (ProviderConfig.options):
 * - socketPath: unix socket or `//./pipe/docker_engine`; also host `unix:///path` or `npipe:////./pipe/x`
 * - certDir: folder with ca.pem, cert.pem, key.pem (like DOCKER_CERT_PATH) for TCP+TLS
 * - tls: false → plain HTTP over TCP (only for an engine deliberately exposed without TLS)
 * - ssh: true, or host `ssh://user@host[:port]` → SSH; password from config.password,
 *   or privateKeyPath (+ passphrase in config.password)
 */
export function resolveEndpoint(config: ProviderConfig): DockerEndpoint {
  const opts = config.options ?? {};
  const host = (config.host ?? '').trim();
  if (typeof opts.socketPath === 'string' && opts.socketPath) return { kind: 'socket', socketPath: opts.socketPath };
  if (host.startsWith('unix://')) return { kind: 'socket', socketPath: host.slice('unix://'.length) };
  if (host.startsWith('npipe://')) return { kind: 'socket', socketPath: host.slice('npipe://'.length) };
  if (host.startsWith('/') || host.startsWith('//./pipe/')) return { kind: 'socket', socketPath: host };
  if (!host) return { kind: 'socket', socketPath: DEFAULT_SOCKET };

  if (host.startsWith('ssh://') || opts.ssh === true) {
    const url = new URL(host.startsWith('ssh://') ? host : `ssh://${host}`);
    return {
      kind: 'ssh',
      host: url.hostname,
      port: url.port ? Number(url.port) : config.port && config.port !== 2376 ? config.port : 22,
      username: decodeURIComponent(url.username) || config.username || 'root',
    };
  }
  const url = new URL(/^[a-z]+:\/\//.test(host) ? host.replace(/^tcp:/, 'https:') : `https://${host}`);
  const port = url.port ? Number(url.port) : config.port || 2376;
  if (opts.tls === false) return { kind: 'http', host: url.hostname, port };
  return { kind: 'tls', host: url.hostname, port, trust: trustWithCertDir(config.tls, opts.certDir) };
}

function trustWithCertDir(trust: TlsTrust, certDir: unknown): TlsTrust {
  if (typeof certDir !== 'string' || !certDir) return trust;
  const read = (name: string) => {
    try {
      return readFileSync(path.join(certDir, name), 'utf8');
    } catch (e) {
      throw new PolyvisorError(
        { code: 'INVALID_INPUT', message: `Cannot read ${name} in the certificate folder ${certDir}: ${(e as Error).message}` },
        { cause: e },
      );
    }
  };
  return {
    ...trust,
    extraCa: [...(trust.extraCa ?? []), read('ca.pem')],
    clientCert: read('cert.pem'),
    clientKey: read('key.pem'),
  };
}

export function describeEndpoint(ep: DockerEndpoint): string {
  switch (ep.kind) {
    case 'socket':
      return ep.socketPath;
    case 'tls':
      return `tcp://${ep.host}:${ep.port} (TLS)`;
    case 'http':
      return `tcp://${ep.host}:${ep.port}`;
    case 'ssh':
      return `ssh://${ep.username}@${ep.host}:${ep.port}`;
  }
}

/** Fingerprint of an SSH host key in the same notation as certificate pins. */
export function sshHostKeyFingerprint(key: Buffer): string {
  return normalizeFingerprint(createHash('sha256').update(key).digest('hex'));
}

export interface SshHostKeySeen {
  fingerprint256?: string;
}

/**
 * dockerode options. `hostKeySeen` records the SSH host key presented, so a refused
 * unknown key can be reported to the user (trust on first use, like certificates).
 */
export function dockerOptions(ep: DockerEndpoint, config: ProviderConfig, hostKeySeen: SshHostKeySeen = {}): DockerOptions {
  switch (ep.kind) {
    case 'socket':
      return { socketPath: ep.socketPath };
    case 'http':
      return { protocol: 'http', host: ep.host, port: ep.port };
    case 'tls':
      return { protocol: 'https', host: ep.host, port: ep.port, agent: httpsAgent(ep.trust) } as DockerOptions;
    case 'ssh': {
      const pinned = config.tls.pinnedFingerprint ? normalizeFingerprint(config.tls.pinnedFingerprint) : undefined;
      const keyPath = config.options.privateKeyPath;
      const sshOptions: Record<string, unknown> = {
        readyTimeout: 15_000,
        hostVerifier: (key: Buffer) => {
          hostKeySeen.fingerprint256 = sshHostKeyFingerprint(key);
          return pinned !== undefined && pinned === hostKeySeen.fingerprint256;
        },
      };
      if (typeof keyPath === 'string' && keyPath) {
        sshOptions.privateKey = readFileSync(keyPath);
        if (config.password) sshOptions.passphrase = config.password;
      }
      return {
        protocol: 'ssh',
        host: ep.host,
        port: ep.port,
        username: ep.username,
        password: typeof keyPath === 'string' && keyPath ? undefined : config.password,
        sshOptions,
      } as DockerOptions;
    }
  }
}
