// PVE authentication: signed tickets (PVE:user@realm:HEXTIME::signature) that
// expire, CSRF prevention tokens bound to the user, and API tokens.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface Identity {
  user: string;
  /** set for API-token requests (no CSRF token needed) */
  tokenid?: string;
}

export class AuthService {
  private readonly secret = randomBytes(32);
  private readonly tokens = new Map<string, string>();
  /** for tests: how often each kind of login happened */
  readonly stats = { passwordLogins: 0, ticketRenewals: 0, failedLogins: 0 };

  /** users of the pve realm the simulator keeps (access-state.ts); the superuser is `user` */
  directory?: { checkPassword(userid: string, password: string): boolean; has(userid: string): boolean };

  constructor(
    private readonly user: string,
    private readonly password: string,
    public ticketLifetimeMs: number,
  ) {}

  addApiToken(user: string, tokenId: string, secret: string): void {
    this.tokens.set(`${user}!${tokenId}`, secret);
  }

  /** username may carry the realm (root@pam); otherwise `realm` is appended. */
  login(username: string, password: string, realm?: string): { ticket: string; csrf: string; username: string } | null {
    const full = username.includes('@') ? username : `${username}@${realm ?? 'pam'}`;
    // a valid ticket of the same user in place of the password renews it
    const known = full === this.user || !!this.directory?.has(full);
    const renewed = known && password.startsWith('PVE:') && this.verifyTicket(password) === full;
    const passwordOk = full === this.user ? safeEqual(password, this.password) : !!this.directory?.checkPassword(full, password);
    if (!renewed && !passwordOk) {
      this.stats.failedLogins++;
      return null;
    }
    if (renewed) this.stats.ticketRenewals++;
    else this.stats.passwordLogins++;
    const hexTime = Math.floor(Date.now() / 1000).toString(16).toUpperCase().padStart(8, '0');
    const plain = `PVE:${full}:${hexTime}`;
    return { ticket: `${plain}::${this.sign(plain)}`, csrf: this.csrfToken(full, hexTime), username: full };
  }

  /** Returns the ticket's user when it is genuine and not expired. */
  verifyTicket(ticket: string): string | null {
    const m = /^(PVE:([^:]+):([0-9A-F]{8}))::(.+)$/.exec(ticket);
    if (!m) return null;
    if (!safeEqual(m[4], this.sign(m[1]))) return null;
    if (Date.now() - parseInt(m[3], 16) * 1000 > this.ticketLifetimeMs) return null;
    return m[2];
  }

  verifyCsrf(token: string | undefined, user: string): boolean {
    if (!token) return false;
    const m = /^([0-9A-F]{8}):(.+)$/.exec(token);
    if (!m) return false;
    if (Date.now() - parseInt(m[1], 16) * 1000 > this.ticketLifetimeMs) return false;
    return safeEqual(token, this.csrfToken(user, m[1]));
  }

  /** `PVEAPIToken=USER@REALM!TOKENID=SECRET` */
  verifyApiToken(header: string): Identity | null {
    const m = /^PVEAPIToken=([^!\s]+)!([^=\s]+)=(\S+)$/.exec(header.trim());
    if (!m) return null;
    const expected = this.tokens.get(`${m[1]}!${m[2]}`);
    if (expected === undefined || !safeEqual(m[3], expected)) return null;
    return { user: m[1], tokenid: m[2] };
  }

  private sign(text: string): string {
    return createHmac('sha256', this.secret).update(text).digest('base64');
  }

  private csrfToken(user: string, hexTime: string): string {
    const sig = createHmac('sha256', this.secret).update(`CSRF:${hexTime}:${user}`).digest('base64').replace(/=+$/, '');
    return `${hexTime}:${sig}`;
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
