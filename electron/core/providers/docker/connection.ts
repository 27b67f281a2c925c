// Which engine a saved server points at: a local socket (unix or Windows named pipe),
// TCP+TLS (DOCKER_CERT_PATH-style cert dir, verified through the one TLS policy),
// plain TCP (only when deliberately asked for), or SSH (`docker system dial-stdio`).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PolyvisorError } from '../../../../shared/errors';
import type { TlsTrust } from '../../tls/trust';
import type { ProviderConfig } from '../provider';
import { dockerOptions, DEFAULT_SOCKET, normalizeDockerOptions } from './descriptor';

export type DockerEndpoint =
  | { kind: 'socket'; socketPath: string }
  | { kind: 'tls'; host: string; port: number; trust: TlsTrust }
  | { kind: 'http'; host: string; port: number }
  | { kind: 'ssh'; host: string; port: number; username: string };

/** The descriptor's default port, which means "not set" for an SSH engine (SSH's own port is 22). */
const DOCKER_TLS_PORT = 2376;

/**
 * Follows the declared `connection` option; a server saved before that option existed
 * gets it inferred from what it holds (socketPath, unix:// or ssh:// hosts), by the
 * descriptor's normalizer, the one place that knows the legacy forms.
 */
export function resolveEndpoint(config: ProviderConfig): DockerEndpoint {
  const host = (config.host ?? '').trim();
  const options = dockerOptions.read(normalizeDockerOptions({ host, options: config.options ?? {} }));
  switch (options.connection) {
    case 'socket':
      return { kind: 'socket', socketPath: options.socketPath || DEFAULT_SOCKET };
    case 'ssh': {
      const url = new URL(host.startsWith('ssh://') ? host : `ssh://${host}`);
      return {
        kind: 'ssh',
        host: url.hostname,
        port: url.port ? Number(url.port) : config.port && config.port !== DOCKER_TLS_PORT ? config.port : 22,
        username: decodeURIComponent(url.username) || config.username || 'root',
      };
    }
    default: {
      const url = new URL(/^[a-z]+:\/\//.test(host) ? host.replace(/^tcp:/, 'https:') : `https://${host}`);
      const port = url.port ? Number(url.port) : config.port || DOCKER_TLS_PORT;
      if (!options.tls) return { kind: 'http', host: url.hostname, port };
      return { kind: 'tls', host: url.hostname, port, trust: trustWithCertDir(config.tls, options.certDir) };
    }
  }
}

function trustWithCertDir(trust: TlsTrust, certDir: string | undefined): TlsTrust {
  if (!certDir) return trust;
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
