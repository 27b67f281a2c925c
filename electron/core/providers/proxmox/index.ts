// Proxmox VE: REST API on port 8006, ticket or API-token auth, polled inventory.
import type { ProviderFactory } from '../provider';
import { proxmoxDescriptor } from './descriptor';
import { ProxmoxProvider } from './provider';

export const proxmoxProviderFactory: ProviderFactory = {
  descriptor: proxmoxDescriptor,
  create: (config) => new ProxmoxProvider(config),
};

export { ProxmoxProvider } from './provider';
