// argv of `polyvisor tag|folder|search …` → one typed command (pure, like args.ts).

import { CONNECT_OPTIONS, connectOptions, parse, usage, type ConnectOptions } from './arg-helpers';

export type ViewCommand =
  | ({ name: 'tag list'; json: boolean } & ConnectOptions)
  | ({ name: 'tag add' | 'tag remove'; tag: string; objects: string[] } & ConnectOptions)
  | ({ name: 'folder list'; json: boolean } & ConnectOptions)
  | ({ name: 'folder move'; objects: string[]; to: string | null } & ConnectOptions)
  | ({ name: 'folder rename'; from: string; to: string } & ConnectOptions)
  | ({ name: 'folder create'; path: string; on: string | null } & ConnectOptions)
  | ({ name: 'folder delete'; path: string } & ConnectOptions)
  | ({ name: 'search'; query: string; json: boolean } & ConnectOptions)
  | ({ name: 'searches list'; json: boolean } & ConnectOptions)
  | ({ name: 'searches import'; file: string } & ConnectOptions)
  | ({ name: 'searches export'; xensearch: boolean; out: string | undefined } & ConnectOptions);

export const VIEW_USAGE = `Tags, folders and searches (<object> = id, uuid or name of a pool, host, VM, container, template or storage):
  tag list [--json]                         every tag with its objects
  tag add|remove <tag> <object>…            on the server where it keeps tags (XenServer, Proxmox VE guests), else in the profile
  folder list [--json]                      every folder with its objects
  folder move <object>… --to /A/B | --none  XenServer: other_config "folder" as XenCenter keeps it; elsewhere the profile's
  folder rename /A /B                       its objects and subfolders follow
  folder create /A/B [--on S]               an empty folder: on server S where it keeps them (XenServer: the pool's EMPTY_FOLDERS, as XenCenter), else in the profile
  folder delete /A                          its objects leave every folder, its empty subfolders go
  search '<query>' [--json]                 e.g. 'type:vm state:running tag:prod memory>4GiB name:web*' (AND, OR, NOT, parentheses)
  searches list [--json]                    the saved searches
  searches import <file>                    a Polyvisor export or XenCenter's .xensearch (what it cannot say is named)
  searches export [--xensearch] [--out F]   as JSON, or as XenCenter's .xensearch; to F or standard output`;

export function parseTag(sub: string | undefined, args: string[]): ViewCommand {
  switch (sub) {
    case 'list': {
      const { values } = parse(args, { ...CONNECT_OPTIONS, json: { type: 'boolean' } }, 0);
      return { name: 'tag list', json: !!values.json, ...connectOptions(values) };
    }
    case 'add':
    case 'remove': {
      const { values, positionals } = parse(args, CONNECT_OPTIONS, -2, '<tag> <object>…');
      const tag = positionals[0]!.trim();
      if (!tag || /[;,\n]/.test(tag)) throw usage(`tag ${sub}: "${positionals[0]}" is not a tag (not empty, no ";" or ",")`);
      return { name: `tag ${sub}`, tag, objects: positionals.slice(1), ...connectOptions(values) };
    }
    default:
      throw usage(sub ? `Unknown command "tag ${sub}"` : 'tag: expected list, add or remove');
  }
}

export function parseFolder(sub: string | undefined, args: string[]): ViewCommand {
  switch (sub) {
    case 'list': {
      const { values } = parse(args, { ...CONNECT_OPTIONS, json: { type: 'boolean' } }, 0);
      return { name: 'folder list', json: !!values.json, ...connectOptions(values) };
    }
    case 'move': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, to: { type: 'string' }, none: { type: 'boolean' } }, -1, '<object>…');
      if (values.none && values.to !== undefined) throw usage('folder move: --to and --none exclude each other');
      if (!values.none && !values.to?.trim()) throw usage('folder move: --to /Folder/Path or --none is required');
      return { name: 'folder move', objects: positionals, to: values.none ? null : folderArg(values.to!), ...connectOptions(values) };
    }
    case 'rename': {
      const { values, positionals } = parse(args, CONNECT_OPTIONS, 2, '<from> <to>');
      return { name: 'folder rename', from: folderArg(positionals[0]!), to: folderArg(positionals[1]!), ...connectOptions(values) };
    }
    case 'create': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, on: { type: 'string' } }, 1, '<path>');
      return { name: 'folder create', path: folderArg(positionals[0]!), on: values.on ?? null, ...connectOptions(values) };
    }
    case 'delete': {
      const { values, positionals } = parse(args, CONNECT_OPTIONS, 1, '<path>');
      return { name: 'folder delete', path: folderArg(positionals[0]!), ...connectOptions(values) };
    }
    default:
      throw usage(sub ? `Unknown command "folder ${sub}"` : 'folder: expected list, move, rename, create or delete');
  }
}

export function parseSearch(args: string[]): ViewCommand {
  const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, json: { type: 'boolean' } }, -1, "'<query>'");
  return { name: 'search', query: positionals.join(' '), json: !!values.json, ...connectOptions(values) };
}

export function parseSearches(sub: string | undefined, args: string[]): ViewCommand {
  switch (sub) {
    case 'list': {
      const { values } = parse(args, { ...CONNECT_OPTIONS, json: { type: 'boolean' } }, 0);
      return { name: 'searches list', json: !!values.json, ...connectOptions(values) };
    }
    case 'import': {
      const { values, positionals } = parse(args, CONNECT_OPTIONS, 1, '<file>');
      return { name: 'searches import', file: positionals[0]!, ...connectOptions(values) };
    }
    case 'export': {
      const { values } = parse(args, { ...CONNECT_OPTIONS, xensearch: { type: 'boolean' }, out: { type: 'string' } }, 0);
      return { name: 'searches export', xensearch: !!values.xensearch, out: values.out, ...connectOptions(values) };
    }
    default:
      throw usage(sub ? `Unknown command "searches ${sub}"` : 'searches: expected list, import or export');
  }
}

function folderArg(text: string): string {
  const path = text.trim();
  if (!path || path === '/') throw usage(`"${text}" is not a folder path (for example /Production/Web)`);
  return path.startsWith('/') ? path : `/${path}`;
}
