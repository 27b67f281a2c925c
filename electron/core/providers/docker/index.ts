// Docker Engine provider: a local socket, TCP+TLS or SSH engine as one server.
import type { ProviderFactory } from '../provider';
import { dockerDescriptor, normalizeDockerOptions } from './descriptor';
import { DockerProvider } from './docker-provider';

export const dockerProviderFactory: ProviderFactory = {
  descriptor: dockerDescriptor,
  normalizeOptions: normalizeDockerOptions,
  create: (config) => new DockerProvider(config),
};

export { DockerProvider, type LogOptions } from './docker-provider';
