// XenServer / XCP-ng (XAPI) provider.

import type { ProviderFactory } from '../provider';
import { xenServerDescriptor } from './descriptor';
import { XenServerProvider } from './provider';

export const xenServerProviderFactory: ProviderFactory = {
  descriptor: xenServerDescriptor,
  create: (config) => new XenServerProvider(config),
};

export { XenServerProvider } from './provider';
