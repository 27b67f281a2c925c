// The providers that ship with the app. Adding a hypervisor: one folder under
// providers/, one line here, and its tests.

import type { ProviderFactory } from './provider';
import { xenServerProviderFactory } from './xenserver';
import { proxmoxProviderFactory } from './proxmox';
import { vsphereProviderFactory } from './vsphere';
import { dockerProviderFactory } from './docker';

export const builtinProviders: readonly ProviderFactory[] = [xenServerProviderFactory, proxmoxProviderFactory, vsphereProviderFactory, dockerProviderFactory];
