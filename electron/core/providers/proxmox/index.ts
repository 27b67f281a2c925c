// Proxmox VE: REST API on port 8006, ticket or API-token auth, polled inventory.
import type { ProviderFactory } from '../provider';
import { ProxmoxProvider } from './provider';

export const proxmoxProviderFactory: ProviderFactory = {
  type: 'proxmox',
  displayName: 'Proxmox VE',
  defaultPort: 8006,
  create: (config) => new ProxmoxProvider(config),
};

export { ProxmoxProvider } from './provider';
export { PveClient, type PveClientOptions } from './client';
