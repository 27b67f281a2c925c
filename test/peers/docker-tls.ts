// Certificates for a TLS-protected dockerd (like `dockerd --tlsverify`), made with the
// openssl CLI in a temporary folder:
//   server.pem/server-key.pem  self-signed engine certificate for 127.0.0.1/localhost
//   ca.pem/ca-key.pem          the CA that signs client certificates
//   client/{ca.pem,cert.pem,key.pem}            a DOCKER_CERT_PATH-style folder (ca.pem = client CA: does NOT vouch for the engine)
//   client-trusting/{ca.pem,cert.pem,key.pem}   same client cert, ca.pem = the engine's certificate
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface DockerTlsFiles {
  dir: string;
  serverCert: string;
  serverKey: string;
  clientCa: string;
  /** cert dir whose ca.pem does not cover the engine (pin flow) */
  clientDir: string;
  /** cert dir whose ca.pem is the engine's own certificate */
  trustingClientDir: string;
  serverPem: string;
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

export function makeDockerTlsFiles(): DockerTlsFiles {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pv-docker-tls-'));
  const days = ['-days', '2'];
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server-key.pem', '-out', 'server.pem', '-subj', '/CN=polyvisor-test-engine', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', ...days], dir);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-subj', '/CN=polyvisor-test-client-ca', ...days], dir);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client-key.pem', '-out', 'client.csr', '-subj', '/CN=polyvisor-client'], dir);
  writeFileSync(path.join(dir, 'client-ext.cnf'), 'extendedKeyUsage=clientAuth\n');
  openssl(['x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', 'client.pem', '-extfile', 'client-ext.cnf', ...days], dir);
  const clientDir = path.join(dir, 'client');
  const trustingClientDir = path.join(dir, 'client-trusting');
  for (const [d, ca] of [[clientDir, 'ca.pem'], [trustingClientDir, 'server.pem']] as const) {
    mkdirSync(d);
    copyFileSync(path.join(dir, ca), path.join(d, 'ca.pem'));
    copyFileSync(path.join(dir, 'client.pem'), path.join(d, 'cert.pem'));
    copyFileSync(path.join(dir, 'client-key.pem'), path.join(d, 'key.pem'));
  }
  return {
    dir,
    serverCert: path.join(dir, 'server.pem'),
    serverKey: path.join(dir, 'server-key.pem'),
    clientCa: path.join(dir, 'ca.pem'),
    clientDir,
    trustingClientDir,
    serverPem: readFileSync(path.join(dir, 'server.pem'), 'utf8'),
  };
}

/** dockerd flags: a TLS listener on 127.0.0.1:port that requires a client certificate. */
export function dockerdTlsArgs(files: DockerTlsFiles, port: number): string[] {
  return ['--host', `tcp://127.0.0.1:${port}`, '--tlsverify', '--tlscacert', files.clientCa, '--tlscert', files.serverCert, '--tlskey', files.serverKey];
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
