// Which trust applies at an address the pool sends us to (the master after
// HOST_IS_SLAVE, the host that serves a console): pins are per address.

import type { TlsTrust } from '../../tls/trust';

export interface TrustSource {
  host: string;
  port: number;
  /** the saved server's trust */
  trust: TlsTrust;
  /** the user's trust for another address */
  trustFor?: (host: string, port: number) => TlsTrust;
}

/** The saved trust at the saved address; elsewhere its CA settings and that address's own pin, if any. */
export function trustAt(source: TrustSource, host: string, port: number): TlsTrust {
  if (host === source.host && port === source.port) return source.trust;
  const { pinnedFingerprint: _fp, pinnedPem: _pem, ...caSettings } = source.trust;
  return { ...caSettings, ...source.trustFor?.(host, port) };
}
