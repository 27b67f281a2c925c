// VMware ESXi / vCenter over the vSphere Web Services API (vim25 SOAP).

import type { ProviderFactory } from '../provider';
import { VsphereProvider } from './provider';

export const vsphereProviderFactory: ProviderFactory = {
  type: 'vsphere',
  displayName: 'VMware ESXi / vCenter',
  defaultPort: 443,
  create: (config) => new VsphereProvider(config),
};

export { VsphereProvider } from './provider';
export { VimClient } from './vim-client';
