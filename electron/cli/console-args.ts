// argv of `polyvisor console <node> --vmrc|--spice|--rdp|--ssh` → one typed command (pure, like args.ts).

import type { ExternalViewer } from '../../shared/external-consoles';
import { CONNECT_OPTIONS, connectOptions, parse, usage, type ConnectOptions } from './arg-helpers';

export type ConsoleCommand = { name: 'console'; node: string; viewer: ExternalViewer } & ConnectOptions;

export const CONSOLE_USAGE = `Consoles outside the window (VMs; <node> = id, uuid or name):
  console <node> --vmrc|--spice|--rdp|--ssh
                  prints the vmrc:// or ssh:// link, or writes the SPICE .vv / Remote Desktop
                  .rdp file (mode 0600, in a private folder) and prints its path, e.g.
                  remote-viewer "$(polyvisor console web01 --spice)"`;

export function parseConsole(args: string[]): ConsoleCommand {
  const { values, positionals } = parse(
    args,
    { ...CONNECT_OPTIONS, vmrc: { type: 'boolean' }, spice: { type: 'boolean' }, rdp: { type: 'boolean' }, ssh: { type: 'boolean' } },
    1,
    '<node>',
  );
  const chosen = (['vmrc', 'spice', 'rdp', 'ssh'] as const).filter((v) => values[v]);
  if (chosen.length !== 1) throw usage('console: give exactly one of --vmrc, --spice, --rdp, --ssh');
  return { name: 'console', node: positionals[0]!, viewer: chosen[0]!, ...connectOptions(values) };
}
