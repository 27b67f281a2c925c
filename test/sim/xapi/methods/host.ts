// host.get_servertime and host.get_server_localtime: the host's clock (the
// simulator's, which tests move forward), in UTC and in the host's own zone —
// how XenCenter shows the time a snapshot schedule runs at.
import type { SimCore } from '../core';
import { xapiLocalDate } from '../local-time';
import { SESSION } from './vm';

export function registerHostMethods(core: SimCore): void {
  core.register({
    name: 'host.get_servertime',
    params: [SESSION, ['host ref', 'host']],
    errors: [],
    run: ({ core: c }) => c.now(),
  });
  core.register({
    name: 'host.get_server_localtime',
    params: [SESSION, ['host ref', 'host']],
    errors: [],
    run: ({ core: c }) => xapiLocalDate(c.clock.nowMs(), c.opts.timeZone),
  });
}
