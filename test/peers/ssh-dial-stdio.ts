// An SSH server in front of a real dockerd, for the Docker provider's ssh:// mode.
// It does what a remote host with OpenSSH and the docker CLI does: authenticates the
// user, and for `docker system dial-stdio` joins the channel to the engine's socket.
// (No sshd here; ssh2 is the same library docker-modem's client uses, from the other side.)
import { createHash } from 'node:crypto';
import net from 'node:net';
import ssh2 from 'ssh2';

export interface SshPeer {
  host: string;
  port: number;
  username: string;
  password: string;
  /** SHA-256 of the host key, colon hex (as the provider pins it) */
  hostKeyFingerprint: string;
  /** exec commands received, for assertions */
  commands: string[];
  stop(): Promise<void>;
}

export async function startSshDialStdio(socketPath: string): Promise<SshPeer> {
  const { private: hostKey } = ssh2.utils.generateKeyPairSync('ed25519');
  const parsed = ssh2.utils.parseKey(hostKey);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key instanceof Error) throw key;
  const fingerprint = createHash('sha256').update(key.getPublicSSH()).digest('hex').toUpperCase().match(/.{2}/g)!.join(':');
  const username = 'deploy';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const commands: string[] = [];
  const clients = new Set<ssh2.Connection>();

  const server = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password' && ctx.username === username && ctx.password === password) ctx.accept();
      else ctx.reject(['password']);
    });
    client.on('session', (accept) => {
      const session = accept();
      session.on('exec', (acceptExec, reject, info) => {
        commands.push(info.command);
        if (info.command !== 'docker system dial-stdio') {
          reject();
          return;
        }
        const channel = acceptExec();
        const engine = net.connect(socketPath);
        channel.pipe(engine).pipe(channel);
        engine.on('error', () => channel.close());
        engine.on('close', () => {
          channel.exit(0);
          channel.close();
        });
        channel.on('close', () => engine.destroy());
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    username,
    password,
    hostKeyFingerprint: fingerprint,
    commands,
    async stop() {
      for (const c of clients) c.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
