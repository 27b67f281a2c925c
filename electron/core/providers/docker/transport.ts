// The dockerode client for one engine, on an HTTP agent Polyvisor owns for every kind
// of connection (socket, TCP, TLS, SSH), so that each answer passes the size and time
// limits (answer-limits.ts) and nothing is taken from the environment:
// - docker-modem fills unset options from DOCKER_HOST, DOCKER_CERT_PATH, DOCKER_TLS_VERIFY,
//   DOCKER_CLIENT_TIMEOUT and DOCKER_PATH_PREFIX, and with DOCKER_HOST set it reads (and may
//   fail on) the DOCKER_CERT_PATH files as it is built: it is built without DOCKER_HOST, and
//   every option is given explicitly, so a saved server means the same engine whatever the
//   shell Polyvisor was started from;
// - no proxy from HTTP(S)_PROXY/NO_PROXY (Polyvisor's policy for every provider): docker-modem
//   reads none, Node 20's http reads none, and the agents here connect directly;
// - no redirects: the Engine API never redirects, and docker-modem would follow one to any
//   address with Node's global agent, outside the trust policy, on a request nobody awaits;
// - the agent prints as one word: docker-modem formats each request's options with
//   util.inspect (unlimited depth, hidden fields) whether or not its debug log is on, and
//   an agent with sockets in it took ~20 ms a request to format (50 inspects: 1.5 s, not 60 ms).

import http from 'node:http';
import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import Dockerode from 'dockerode';
import type { DockerOptions } from 'dockerode';
import { httpsAgent } from '../../tls/trust';
import type { Limits } from '../common/limits';
import type { ProviderConfig } from '../provider';
import { limitAnswers } from './answer-limits';
import type { DockerEndpoint } from './connection';
import { SshDialStdioAgent } from './ssh-transport';

// docker-modem as dockerode loads it (resolved from dockerode, so it is the same module instance)
const fromHere = createRequire(import.meta.url);
const fromDockerode = createRequire(fromHere.resolve('dockerode'));
(fromDockerode('docker-modem/lib/http.js') as { maxRedirects: number }).maxRedirects = 0;

/** Sockets per engine: the initial load inspects this many containers at once, plus the event stream. */
const MAX_SOCKETS = 10;

export interface EngineClient {
  docker: Dockerode;
  /** closes every connection to the engine, the event stream and attached terminals included */
  close(): void;
}

export function engineClient(ep: DockerEndpoint, config: ProviderConfig, limits: Limits, where: string): EngineClient {
  const agent = limitAnswers(agentFor(ep, config), limits, where);
  Object.defineProperty(agent, inspect.custom, { value: () => `[docker agent ${where}]` });
  const docker = withoutDockerHost(() => new Dockerode({ ...modemOptions(ep), agent } as DockerOptions));
  return { docker, close: () => agent.destroy() };
}

/** Runs `build` with DOCKER_HOST unset: docker-modem then reads nothing else from the environment. */
function withoutDockerHost<T>(build: () => T): T {
  const dockerHost = process.env.DOCKER_HOST;
  if (dockerHost === undefined) return build();
  delete process.env.DOCKER_HOST;
  try {
    return build();
  } finally {
    process.env.DOCKER_HOST = dockerHost;
  }
}

function agentFor(ep: DockerEndpoint, config: ProviderConfig): http.Agent {
  switch (ep.kind) {
    case 'socket':
    case 'http':
      return new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
    case 'tls':
      return httpsAgent(ep.trust, { maxSockets: MAX_SOCKETS });
    case 'ssh': {
      const { privateKeyPath } = config.options;
      return new SshDialStdioAgent({
        host: ep.host,
        port: ep.port,
        username: ep.username,
        password: config.password,
        privateKeyPath: typeof privateKeyPath === 'string' && privateKeyPath ? privateKeyPath : undefined,
        pinnedFingerprint: config.tls.pinnedFingerprint,
      });
    }
  }
}

/** Every option docker-modem would otherwise take from the environment is given here. */
function modemOptions(ep: DockerEndpoint): Record<string, unknown> {
  const none = { ca: undefined, cert: undefined, key: undefined, timeout: undefined, pathPrefix: undefined, sshOptions: {} };
  switch (ep.kind) {
    case 'socket':
      return { ...none, host: undefined, port: undefined, socketPath: ep.socketPath, protocol: 'http' };
    case 'http':
    case 'ssh':
      // SSH: plain HTTP over the agent's dial-stdio channels
      return { ...none, socketPath: undefined, host: ep.host, port: ep.port, protocol: 'http' };
    case 'tls':
      return { ...none, socketPath: undefined, host: ep.host, port: ep.port, protocol: 'https' };
  }
}
