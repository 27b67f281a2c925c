// host.get_server_certificate: the TLS certificate (PEM) the host serves. A client that
// reaches a member host directly (its performance data) pins the member's certificate
// through the master's answer here, never by switching verification off.

import type { SimCore } from '../core';
import { SESSION } from '../methods/vm';

/** `certificateOf(host)`: the PEM that host serves ('' without TLS). */
export function registerHostCertificateMethod(core: SimCore, certificateOf: (hostRef: string) => string): void {
  core.register({
    name: 'host.get_server_certificate',
    params: [SESSION, ['host ref', 'host']],
    errors: [],
    run: (_ctx, [, host]) => certificateOf(host as string),
  });
}
