// Docker over SSH: each connection the HTTP agent asks for is an SSH session running
// `docker system dial-stdio` on the remote host (what the docker CLI does), so the
// engine's API travels over the channel. The host key is trusted like a certificate:
// the user sees its SHA-256 fingerprint and the key itself in OpenSSH form, and once
// accepted it is pinned; nothing runs on a host whose key is not the pinned one.
// (docker-modem has an SSH mode of its own, but it replaces any agent it is given,
// which would take the engine's answers out of reach of the size and time limits.)

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { Client, type ConnectConfig } from 'ssh2';
import { PolyvisorError, type CertificateInfo } from '../../../../shared/errors';
import { normalizeFingerprint } from '../../tls/trust';

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  /** the login password, or the private key's passphrase when a key file is given */
  password?: string;
  privateKeyPath?: string;
  /** the pinned host key's fingerprint (SHA-256 of the key blob, colon hex) */
  pinnedFingerprint?: string;
}

const READY_TIMEOUT_MS = 15_000;
/** channels open at once on the one SSH connection (OpenSSH's MaxSessions is 10) */
const MAX_CHANNELS = 8;

/** Fingerprint of an SSH host key blob in the notation of certificate pins. */
export function sshHostKeyFingerprint(blob: Buffer): string {
  return normalizeFingerprint(createHash('sha256').update(blob).digest('hex'));
}

/** The key as OpenSSH writes it in known_hosts and *.pub files: "<algorithm> <base64 blob>". */
export function openSshKeyLine(blob: Buffer): string {
  // the blob starts with the algorithm name as an SSH string (uint32 length, then the name)
  const length = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  const algorithm = length > 0 && 4 + length <= blob.length ? blob.subarray(4, 4 + length).toString('latin1') : '';
  if (!/^[a-z0-9@._+-]{1,64}$/i.test(algorithm)) {
    throw new PolyvisorError({ code: 'SERVER_ERROR', message: 'The SSH server presented a host key Polyvisor cannot read.', serverCode: 'BAD_ANSWER' });
  }
  return `${algorithm} ${blob.toString('base64')}`;
}

export function sshHostKeyInfo(host: string, port: number, blob: Buffer): CertificateInfo {
  return {
    kind: 'ssh-host-key',
    host,
    port,
    fingerprint256: sshHostKeyFingerprint(blob),
    subject: `SSH host key of ${host}`,
    issuer: '',
    validFrom: '',
    validTo: '',
    pem: openSshKeyLine(blob),
  };
}

/** Why a presented host key is refused, or null when it is the pinned one. */
export function hostKeyRefusal(target: SshTarget, blob: Buffer): PolyvisorError | null {
  let certificate: CertificateInfo;
  try {
    certificate = sshHostKeyInfo(target.host, target.port, blob);
  } catch (err) {
    return err as PolyvisorError;
  }
  const pinned = target.pinnedFingerprint ? normalizeFingerprint(target.pinnedFingerprint) : undefined;
  if (pinned === certificate.fingerprint256) return null;
  return pinned
    ? new PolyvisorError({
        code: 'CERT_CHANGED',
        message: `The SSH host key of ${target.host} has changed since you trusted it.`,
        certificate,
        pinnedFingerprint: pinned,
      })
    : new PolyvisorError({
        code: 'CERT_UNTRUSTED',
        message: `The SSH host key of ${target.host} is not known yet. Check its fingerprint before you trust it.`,
        certificate,
      });
}

/**
 * An HTTP agent whose connections are `docker system dial-stdio` channels, all on one SSH
 * connection (opened when first needed, again after it drops). OpenSSH allows ten sessions
 * a connection by default: the agent keeps fewer channels open, and requests wait for one.
 */
export class SshDialStdioAgent extends http.Agent {
  private connection: Promise<Client> | null = null;

  constructor(private readonly target: SshTarget) {
    super({ keepAlive: false, maxSockets: MAX_CHANNELS });
  }

  override createConnection(_options: http.ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const done = once(callback);
    this.connected().then(
      (conn) => conn.exec('docker system dial-stdio', (err, channel) => (err ? done(err) : done(null, channel as unknown as Duplex))),
      (err: Error) => done(err),
    );
    return undefined;
  }

  override destroy(): void {
    super.destroy();
    const connection = this.connection;
    this.connection = null;
    connection?.then(
      (conn) => conn.end(),
      () => undefined, // it never opened: nothing to close
    );
  }

  private connected(): Promise<Client> {
    if (this.connection) return this.connection;
    const forget = () => {
      if (this.connection === opening) this.connection = null;
    };
    const opening: Promise<Client> = new Promise<Client>((resolve, reject) => {
      let refused: PolyvisorError | null = null;
      const config = this.connectConfig((blob) => {
        refused = hostKeyRefusal(this.target, blob);
        return refused === null;
      });
      const conn = new Client();
      conn.once('ready', () => resolve(conn));
      // after 'ready' a failure reaches the requests through their channels closing
      conn.on('error', (err) => {
        forget();
        reject(refused ?? err);
      });
      conn.once('close', forget);
      conn.connect(config);
    });
    // a failed opening is not kept: the next request tries again
    opening.catch(forget);
    this.connection = opening;
    return opening;
  }

  private connectConfig(hostVerifier: (blob: Buffer) => boolean): ConnectConfig {
    const { host, port, username, password, privateKeyPath } = this.target;
    const config: ConnectConfig = { host, port, username, readyTimeout: READY_TIMEOUT_MS, hostVerifier };
    if (!privateKeyPath) return { ...config, password };
    let privateKey: Buffer;
    try {
      privateKey = readFileSync(privateKeyPath);
    } catch (e) {
      throw new PolyvisorError({ code: 'INVALID_INPUT', message: `Cannot read the SSH private key ${privateKeyPath}: ${(e as Error).message}` }, { cause: e });
    }
    return { ...config, privateKey, passphrase: password };
  }
}

function once(callback?: (err: Error | null, stream: Duplex) => void): (err: Error | null, stream?: Duplex) => void {
  let called = false;
  return (err, stream) => {
    if (called || !callback) return;
    called = true;
    callback(err, stream as Duplex);
  };
}
