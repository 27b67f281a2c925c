// argv of `polyvisor pool join …` and `pool eject …` → one typed command (pure, like args.ts).

import { CONNECT_OPTIONS, connectOptions, parse, usage, type ConnectOptions } from './arg-helpers';

export type PoolCommand =
  | ({ name: 'pool join'; host: string; to: string; json: boolean } & ConnectOptions)
  | ({ name: 'pool eject'; host: string } & ConnectOptions);

export const POOL_USAGE = `Pools (XenServer/XCP-ng; <server> = a saved server's id or name, <host> = id, uuid or name):
  pool join <server|host> --to <pool server|pool> [--json]
                  a standalone host joins the pool (the servers' reason is printed where it cannot);
                  its saved connection then follows to the pool master
  pool eject <host>   the member leaves the pool: its VMs and local storage are lost, it restarts on its own`;

export function parsePool(sub: string | undefined, args: string[]): PoolCommand {
  switch (sub) {
    case 'join': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, to: { type: 'string' }, json: { type: 'boolean' } }, 1, '<server|host>');
      if (values.to === undefined) throw usage('pool join: --to <pool server|pool> is required');
      if (!values.to.trim()) throw usage('pool join: --to must not be empty');
      return { name: 'pool join', host: positionals[0], to: values.to, json: !!values.json, ...connectOptions(values) };
    }
    case 'eject': {
      const { values, positionals } = parse(args, CONNECT_OPTIONS, 1, '<host>');
      return { name: 'pool eject', host: positionals[0], ...connectOptions(values) };
    }
    default:
      throw usage(sub ? `Unknown command "pool ${sub}"` : 'pool: expected join or eject');
  }
}
