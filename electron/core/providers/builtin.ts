// The providers that ship with the app. Each provider's engineer adds one import
// and one entry here once their electron/core/providers/<name>/index.ts exists.

import type { ProviderFactory } from './provider';
import { xenServerProviderFactory } from './xenserver';
import { vsphereProviderFactory } from './vsphere';
import { dockerProviderFactory } from './docker';
import { proxmoxProviderFactory } from './proxmox';

export const builtinProviders: ProviderFactory[] = [
  xenServerProviderFactory,
  vsphereProviderFactory,
  dockerProviderFactory,
  proxmoxProviderFactory,
  // proxmoxProviderFactory, dockerProviderFactory: add yours here.
];
