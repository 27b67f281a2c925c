// Connecting the saved servers a command needs (all, or the one --server names),
// with the one-time password it was given, and saying how to trust a server whose
// certificate is not known yet.

import { PolyvisorError } from '../../shared/errors';
import type { InventoryNode } from '../../shared/model';
import type { ConnectOptions } from './arg-helpers';
import { readPassword } from './password';
import { findNode, findServer, GUEST_KINDS, snapshotsOf } from './resolve';
import { formatError, type CliSession } from './session';

const err = (text: string) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);

/** Connects the servers a command needs and returns the combined inventory. */
export async function inventoryFor(options: ConnectOptions, session: CliSession): Promise<InventoryNode[]> {
  const { connected, failures } = await connectServers(options, session);
  for (const f of failures) err(`Warning: ${f.server.name}: ${formatError(f.error)}`);
  if (connected.length === 0 && failures.length > 0) throw new PolyvisorError(failures[0].error);
  return session.inventory();
}

/**
 * The inventory a snapshot command resolves its snapshot in: the named VM's snapshots, or every
 * snapshot when no VM is named — with the snapshot lists still pending read first.
 */
export async function snapshotScope(options: ConnectOptions & { vm?: string }, session: CliSession): Promise<{ nodes: InventoryNode[]; scope: InventoryNode[] }> {
  const listed = await inventoryFor(options, session);
  if (options.vm) {
    const { nodes, vm } = await session.withSnapshotList(listed, findNode(listed, options.vm, GUEST_KINDS, 'VM'));
    return { nodes, scope: snapshotsOf(nodes, vm) };
  }
  const nodes = await session.withAllSnapshotLists(listed);
  return { nodes, scope: nodes };
}

export async function connectServers(options: ConnectOptions, session: CliSession) {
  const all = await session.servers();
  const servers = options.server ? [findServer(all, options.server)] : all;
  if (servers.length === 0) throw new PolyvisorError({ code: 'NOT_FOUND', message: 'No servers are saved in this profile: use "polyvisor server add"' });
  const password = await readPassword(options.password);
  const result = { servers, ...(await session.connect(servers, password)) };
  for (const f of result.failures) {
    if (f.error.code === 'CERT_UNTRUSTED' && f.error.certificate) {
      f.error = {
        ...f.error,
        message: `${f.error.message}\nSHA-256 fingerprint: ${f.error.certificate.fingerprint256}\nIf it is the right server, trust it with:  polyvisor server trust ${quote(f.server.name)} --accept-fingerprint ${f.error.certificate.fingerprint256}`,
      };
    }
  }
  return result;
}

function quote(text: string): string {
  return /^[\w.:@-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
