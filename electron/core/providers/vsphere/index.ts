// VMware ESXi / vCenter over the vSphere Web Services API (vim25 SOAP).

import type { ProviderFactory } from '../provider';
import { vsphereDescriptor } from './descriptor';
import { VsphereProvider } from './provider';

export const vsphereProviderFactory: ProviderFactory = {
  descriptor: vsphereDescriptor,
  create: (config) => new VsphereProvider(config),
};

export { VsphereProvider } from './provider';
export { VimClient } from './vim-client';
