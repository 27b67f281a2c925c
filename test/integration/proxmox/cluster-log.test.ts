// A Proxmox VE cluster's log in the Notifications view (issue 15): the simulator serves
// GET /cluster/log as pve-api-schema.json declares it (max ≥ 1; entries uid, time, node,
// pid, user, tag, pri, msg, newest first; pvedaemon's lines for each task's start and
// end). The provider reads it on its poll: an entry at error priority or worse is an
// alert (critical for crit and worse), the others are events; the lines that restate a
// task are left to the task list. Compared with the simulator's own log.

import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../../sim/proxmox';
import type { Provider } from '../../../electron/core/providers/provider';
import { providerFor, waitFor } from './helpers';

const TOKEN = 'root@pam!audit=6f1a2b3c-0000-4000-8000-0000000000aa';

describe('Proxmox cluster log', () => {
  let sim: ProxmoxSimulator;
  let provider: Provider;
  const feed = () => provider.notifications!;

  /** The answer to an independent HTTPS request, with an API token of root's. */
  async function rawLog(query = ''): Promise<{ status: number; body: { data?: Array<Record<string, unknown>>; errors?: Record<string, string> } }> {
    return new Promise((resolve, reject) => {
      https
        .get({ host: sim.host, port: sim.port, path: `/api2/json/cluster/log${query}`, ca: sim.certPem, headers: { authorization: `PVEAPIToken=${TOKEN}` } }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        })
        .on('error', reject);
    });
  }

  beforeAll(async () => {
    sim = await startProxmoxSimulator({ taskDurationMs: 200 });
    sim.addApiToken('root@pam', 'audit', TOKEN.split('=')[1]!);
    provider = providerFor(sim, {}, { pollIntervalMs: 150 });
    await provider.connect();
  });
  afterAll(async () => {
    await provider?.disconnect();
    await sim?.stop();
  });

  it('serves the log newest first with the fields PVE writes, and checks max', async () => {
    const upid = sim.tasks.start('node1', 'qmstart', '102', 'root@pam', { begin() {}, finish() {} }).upid;
    await waitFor(() => (sim.tasks.tasks.get(upid)?.status === 'stopped' ? true : undefined), 'the task to end', 10_000);
    const { status, body } = await rawLog('?max=2');
    expect(status).toBe(200);
    expect(body.data!.map((e) => e.msg)).toEqual([`<root@pam> end task ${upid} OK`, `<root@pam> starting task ${upid}`]);
    expect(Object.keys(body.data![0]!).sort()).toEqual(['msg', 'node', 'pid', 'pri', 'tag', 'time', 'uid', 'user']);
    expect(body.data![0]).toMatchObject({ node: 'node1', tag: 'pvedaemon', pri: 6, user: 'root@pam' });
    expect(Number(body.data![0]!.uid)).toBeGreaterThan(Number(body.data![1]!.uid));
    const bad = await rawLog('?max=0');
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.max).toBeDefined();
  });

  it('makes error entries alerts and the others events, leaving task lines to the task list', async () => {
    const fence = sim.tasks.clusterLog.add({ node: 'node2', pid: 2211, user: 'root@pam', tag: 'pve-ha-crm', pri: 2, msg: 'node node2: fencing' });
    const storage = sim.tasks.clusterLog.add({ node: 'node1', pid: 1887, user: 'root@pam', tag: 'pvestatd', pri: 3, msg: "storage 'nfs-backup' is not online" });
    const info = sim.tasks.clusterLog.add({ node: 'node1', pid: 1901, user: 'root@pam', tag: 'pvedaemon', pri: 6, msg: '<root@pam> successful auth for user root@pam' });
    const alerts = await waitFor(() => {
      const found = feed().alerts().filter((a) => a.nativeRef.startsWith('log:'));
      return found.length >= 2 ? found : undefined;
    }, 'the cluster log alerts', 15_000);
    const byTitle = new Map(alerts.map((a) => [a.title, a]));
    expect(byTitle.get(fence.msg)).toMatchObject({ severity: 'critical', name: 'pve-ha-crm', objectName: 'node2', time: fence.time * 1000, dismissable: false });
    expect(byTitle.get(storage.msg)).toMatchObject({ severity: 'major', name: 'pvestatd', objectName: 'node1' });
    const event = await waitFor(() => feed().tasks().find((t) => t.nativeRef.startsWith('log:') && t.what.includes(info.msg)), 'the info entry as an event', 15_000);
    expect(event).toMatchObject({ kind: 'event', what: `pvedaemon: ${info.msg}`, user: 'root@pam', objectName: 'node1', startedAt: info.time * 1000 });
    // the simulator's task lines are in its log, and not among the events (the tasks are)
    expect((await rawLog()).body.data!.some((e) => String(e.msg).includes('starting task'))).toBe(true);
    expect(feed().tasks().some((t) => t.nativeRef.startsWith('log:') && t.what.includes('starting task'))).toBe(false);
    // an entry is handed on once
    expect(alerts.filter((a) => a.title === fence.msg)).toHaveLength(1);
  });
});
