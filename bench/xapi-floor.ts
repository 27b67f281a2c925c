// The floor of a XAPI inventory load: the same JSON-RPC requests Polyvisor makes
// (login, the event token from a tiny event.from, one get_all_records per watched
// class, all in flight at once), each answer read whole and JSON.parse'd, nothing
// kept, mapped or checked. No client that reads every record can be faster.
import https from 'node:https';

interface JsonRpcAnswer {
  result?: unknown;
  error?: unknown;
}

/** Resolves with the number of records read. */
export async function rawFloorLoad(url: URL, caPem: string, classes: string[]): Promise<number> {
  const agent = new https.Agent({ keepAlive: true, ca: caPem, maxSockets: classes.length + 1 });
  let id = 1;
  const call = (method: string, params: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      const body = JSON.stringify({ jsonrpc: '2.0', method, params, id: id++ });
      const req = https.request(
        { host: url.hostname, port: Number(url.port), path: '/jsonrpc', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as JsonRpcAnswer;
            if (answer.error !== undefined) reject(new Error(`${method}: ${JSON.stringify(answer.error)}`));
            else resolve(answer.result);
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  try {
    const session = (await call('session.login_with_password', ['root', 'password', '2.21', 'polyvisor-bench-floor'])) as string;
    await call('event.from', [session, ['pool'], '', 0]);
    const tables = await Promise.all(classes.map((cls) => call(`${cls}.get_all_records`, [session]) as Promise<Record<string, unknown>>));
    await call('session.logout', [session]);
    return tables.reduce<number>((n, t) => n + Object.keys(t).length, 0);
  } finally {
    agent.destroy();
  }
}
