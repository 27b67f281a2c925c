// XenServer / XCP-ng (XAPI) provider.

import type { ProviderFactory } from '../provider';
import { XenServerProvider } from './provider';

export const xenServerProviderFactory: ProviderFactory = {
  type: 'xenserver',
  displayName: 'XenServer / XCP-ng',
  defaultPort: 443,
  create: (config) => new XenServerProvider(config),
};

export { XenServerProvider } from './provider';
