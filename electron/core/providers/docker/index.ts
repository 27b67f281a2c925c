// Docker Engine provider: a local socket, TCP+TLS or SSH engine as one server.
import type { ProviderFactory } from '../provider';
import { DockerProvider } from './docker-provider';

export const dockerProviderFactory: ProviderFactory = {
  type: 'docker',
  displayName: 'Docker Engine',
  defaultPort: 2376,
  create: (config) => new DockerProvider(config),
};

export { DockerProvider, type LogOptions } from './docker-provider';
