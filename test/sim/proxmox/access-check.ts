// RBAC on every call, as pve-api-schema.json declares each method's `permissions`: a
// `perm` check ([path template, privileges, "any"?]) is evaluated against the caller's
// privileges on the path with the call's parameters filled in; `and` / `or` combine;
// `perm-modify` needs Permissions.Modify there. A refused call answers 403 with PVE's
// "Permission check failed (/vms/100, VM.PowerMgmt)". Checks the simulator does not
// model (userid-param, userid-group, …) pass.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SHARED_DIR } from '../../shared-dir';
import type { AccessState } from './access-state';
import { SimHttpError } from './guest-ops';
import type { Params } from './params';

type Check = unknown[];
interface SchemaNode { path: string; info?: Record<string, { permissions?: { check?: Check } }>; children?: SchemaNode[] }

let checks: Map<string, Check | undefined> | undefined;

function checkOf(method: string, routePath: string): Check | undefined {
  if (!checks) {
    checks = new Map();
    const walk = (nodes: SchemaNode[]) => {
      for (const n of nodes) {
        for (const [m, info] of Object.entries(n.info ?? {})) checks!.set(`${m} ${n.path}`, info.permissions?.check);
        walk(n.children ?? []);
      }
    };
    walk(JSON.parse(readFileSync(path.join(SHARED_DIR, 'reference/proxmox/pve-api-schema.json'), 'utf8')) as SchemaNode[]);
  }
  return checks.get(`${method} ${routePath}`);
}

const fill = (template: string, params: Params) => template.replace(/\{(\w+)\}/g, (_m, name: string) => String(params[name] ?? ''));

/** Throws PVE's 403 when `user` may not call `method routePath` with these parameters. */
export function enforce(access: AccessState, user: string, method: string, routePath: string, params: Params): void {
  const check = checkOf(method, routePath);
  if (!check || user === access.superuser) return;
  const failure = evaluate(access, user, check, params);
  if (failure) throw new SimHttpError(403, `Permission check failed (${failure})`);
}

/** null when the check holds; otherwise "path, privilege" of the first that failed. */
function evaluate(access: AccessState, user: string, check: Check, params: Params): string | null {
  const [kind, ...args] = check;
  switch (kind) {
    case 'perm': {
      const [template, privs, mode] = args as [string, string[], string | undefined];
      const at = fill(template, params);
      const held = access.privileges(user, at);
      const missing = privs.filter((p) => !held.has(p));
      if (mode === 'any' ? missing.length < privs.length : missing.length === 0) return null;
      return `${at}, ${missing.join('|')}`;
    }
    case 'perm-modify': {
      const at = fill(String(args[0]), params);
      return access.privileges(user, at).has('Permissions.Modify') ? null : `${at}, Permissions.Modify`;
    }
    case 'and': {
      for (const sub of args as Check[]) {
        const f = evaluate(access, user, sub, params);
        if (f) return f;
      }
      return null;
    }
    case 'or': {
      let first: string | null = null;
      for (const sub of args as Check[]) {
        const f = evaluate(access, user, sub, params);
        if (!f) return null;
        first ??= f;
      }
      return first;
    }
    default:
      return null;
  }
}
