// Test helpers: raw XAPI calls over JSON-RPC (fetch) and XML-RPC (the npm
// `xmlrpc` client), both independent of the simulator's own code. The
// simulator must run without TLS for these (tests start it with tls: false).
import xmlrpc from 'xmlrpc';

export type RpcResult = { ok: true; value: unknown } | { ok: false; description: string[] };

export async function jsonCall(url: string, method: string, params: unknown[], version: '1.0' | '2.0' = '2.0'): Promise<RpcResult> {
  const body = version === '2.0' ? { jsonrpc: '2.0', method, params, id: 7 } : { method, params, id: 7 };
  const res = await fetch(`${url}/jsonrpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.headers.get('content-type') !== 'application/json') throw new Error(`content-type ${res.headers.get('content-type')}`);
  const r = (await res.json()) as { result?: unknown; error?: unknown; id: unknown; jsonrpc?: string };
  if (r.id !== 7) throw new Error('JSON-RPC id not echoed');
  if (version === '2.0') {
    if (r.jsonrpc !== '2.0') throw new Error('missing jsonrpc: 2.0');
    if (r.error) {
      const e = r.error as { code: number; message: string; data: string[] };
      if (typeof e.code !== 'number') throw new Error('JSON-RPC 2.0 error without numeric code');
      return { ok: false, description: [e.message, ...e.data] };
    }
    return { ok: true, value: r.result };
  }
  if (!('error' in r) || !('result' in r)) throw new Error('JSON-RPC 1.0 reply must carry result and error');
  if (r.error !== null) return { ok: false, description: r.error as string[] };
  return { ok: true, value: r.result };
}

export function xmlCall(url: string, method: string, params: unknown[]): Promise<RpcResult> {
  const u = new URL(url);
  const client = xmlrpc.createClient({ host: u.hostname, port: Number(u.port), path: '/' });
  return new Promise((resolve, reject) => {
    client.methodCall(method, params, (err, value) => {
      if (err) return reject(err);
      const v = value as { Status: string; Value?: unknown; ErrorDescription?: string[] };
      if (v.Status === 'Success') resolve({ ok: true, value: v.Value });
      else if (v.Status === 'Failure') resolve({ ok: false, description: v.ErrorDescription ?? [] });
      else reject(new Error(`not an XAPI reply: ${JSON.stringify(value).slice(0, 200)}`));
    });
  });
}

export async function login(url: string, user = 'root', password = 'password'): Promise<string> {
  const r = await jsonCall(url, 'session.login_with_password', [user, password, '1.0', 'polyvisor-test']);
  if (!r.ok) throw new Error(r.description.join(' '));
  return r.value as string;
}

export function expectOk(r: RpcResult): unknown {
  if (!r.ok) throw new Error(`XAPI failure ${r.description.join(' ')}`);
  return r.value;
}

/** Resolves once `check` holds, polling; fails naming `what` after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
