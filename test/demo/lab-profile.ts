// The demo lab in the demo profile: each member saved as a server (password kept,
// connecting at start) and its simulator's own certificate trusted, as a user would
// after checking the fingerprint.

import type { PolyvisorClient, ServerView } from '../../shared/contract';
import type { LabMember, RunningPeer } from './demo';

/** Saves the member's server; resolves with its id. */
export async function saveLabServer(core: PolyvisorClient, member: LabMember, peer: RunningPeer): Promise<string> {
  const server = await core.invoke('servers:add', {
    type: member.type,
    name: member.name,
    host: peer.host,
    port: peer.port,
    username: peer.username,
    password: peer.password,
    rememberPassword: true,
    autoConnect: true,
    options: peer.options,
  });
  return server.id;
}

/** Connects the saved server, trusting the certificate the simulator says it has (and nothing else); resolves with its view. */
export async function trustLabServer(core: PolyvisorClient, peer: RunningPeer, id: string): Promise<ServerView> {
  const view = await core.invoke('servers:connect', id);
  if (view.error?.code === 'CERT_UNTRUSTED' && peer.fingerprint256) return core.invoke('certs:accept', id, peer.fingerprint256);
  return view;
}
