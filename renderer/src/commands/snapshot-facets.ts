// Why the platform of the VM in the Snapshots tab lacks a snapshot operation (its descriptor's facets).
import { localized, type ProviderFacets } from '../../../shared/descriptor';
import type { CommandContext } from './types';

/** `key` names the platform ({{platform}}); null when the facet says it has the operation. */
export function snapshotFacetReason(ctx: CommandContext, has: (facets: ProviderFacets) => boolean, key: string): string | null {
  const vm = ctx.subject!;
  const descriptor = ctx.descriptorOf(vm.serverId);
  if (descriptor && has(descriptor.facets)) return null;
  return ctx.t(key, { platform: descriptor ? localized(descriptor.displayName, ctx.language) : vm.serverId });
}
