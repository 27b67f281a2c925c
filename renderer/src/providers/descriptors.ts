// The providers this build has, as the core describes them (AppInfo.providers):
// names, marks, forms, display rules and facets. Nothing in the renderer knows a
// hypervisor by name; it asks the descriptor.
import { formatDisplay, localized, type FieldValues, type ProviderDescriptor } from '../../../shared/descriptor';
import type { ServerView } from '../../../shared/contract';
import { useStore, type UiState } from '../store/store';

const EMPTY: ProviderDescriptor[] = [];

export function descriptorsOf(state: Pick<UiState, 'info'>): ProviderDescriptor[] {
  return state.info?.providers ?? EMPTY;
}

export function descriptorOf(state: Pick<UiState, 'info'>, type: string | undefined): ProviderDescriptor | undefined {
  return type === undefined ? undefined : descriptorsOf(state).find((d) => d.type === type);
}

export function useDescriptor(type: string | undefined): ProviderDescriptor | undefined {
  return useStore((s) => descriptorOf(s, type));
}

/** The family's name in the UI's language; the bare type when this build lacks the provider. */
export function providerName(descriptor: ProviderDescriptor | undefined, type: string, language: string): string {
  return descriptor ? localized(descriptor.displayName, language) : type;
}

/** A saved server's fields as the descriptor's rules read them. */
export function serverValues(server: ServerView): FieldValues {
  return { ...server.options, host: server.host, port: server.port, username: server.username };
}

/** Address and login as the platform writes them (Proxmox's user@realm, Docker's socket path…). */
export function serverDisplay(server: ServerView, descriptor: ProviderDescriptor | undefined): { address: string; login: string } {
  if (!descriptor) return { address: `${server.host}:${server.port}`, login: server.username };
  const values = serverValues(server);
  return {
    address: formatDisplay(descriptor.display.address, values, descriptor.fields),
    login: formatDisplay(descriptor.display.login, values, descriptor.fields),
  };
}
