// A Proxmox VE cluster's tasks by anyone, and its failed tasks as alerts (issue 15):
// another client — a raw HTTPS request with an API token of another user — starts and
// fails tasks on the simulator; the provider reads /cluster/tasks on its poll and shows
// each with its user, its guest and its end, as the simulator's own task list has it.

import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../../sim/proxmox';
import type { Provider } from '../../../electron/core/providers/provider';
import { providerFor, SERVER_ID, waitFor } from './helpers';

const TOKEN = 'backup@pve!cron=6f1a2b3c-0000-4000-8000-000000000001';

describe('Proxmox tasks and failed-task alerts', () => {
  let sim: ProxmoxSimulator;
  let provider: Provider;
  const feed = () => provider.notifications!;

  /** Another client: a POST with another user's API token, answered with the task's UPID. */
  function otherClient(path: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        { host: sim.host, port: sim.port, path: `/api2/json${path}`, method: 'POST', ca: sim.certPem, headers: { authorization: `PVEAPIToken=${TOKEN}`, 'content-length': 0 } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => (res.statusCode === 200 ? resolve((JSON.parse(Buffer.concat(chunks).toString()) as { data: string }).data) : reject(new Error(`${res.statusCode} ${Buffer.concat(chunks)}`))));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  beforeAll(async () => {
    sim = await startProxmoxSimulator({ taskDurationMs: 400, access: { users: [{ userid: 'backup@pve' }], acl: [{ path: '/vms', type: 'user', ugid: 'backup@pve', roleid: 'PVEVMAdmin', propagate: true }] } });
    sim.addApiToken('backup@pve', 'cron', TOKEN.split('=')[1]!);
    provider = providerFor(sim, {}, { pollIntervalMs: 150 });
    await provider.connect();
  });
  afterAll(async () => {
    await provider?.disconnect();
    await sim?.stop();
  });

  it("shows another user's task on a guest while it runs and when it ends", async () => {
    const upid = await otherClient('/nodes/node1/qemu/102/status/start');
    const running = await waitFor(() => feed().tasks().find((t) => t.nativeRef === upid), 'the task', 15_000);
    expect(running).toMatchObject({ what: 'qmstart', user: 'backup@pve!cron', nodeId: `${SERVER_ID}:vm:qemu/102`, objectName: 'machine-test', kind: 'task' });
    await waitFor(() => feed().tasks().find((t) => t.nativeRef === upid && t.status === 'success'), 'the task to end', 15_000);
    const own = sim.tasks.tasks.get(upid)!;
    expect(own).toMatchObject({ status: 'stopped', exitstatus: 'OK', user: 'backup@pve!cron' });
    expect(feed().tasks().find((t) => t.nativeRef === upid)?.finishedAt).toBe(own.endtime! * 1000);
  });

  it('turns a failed task into an alert with the server\'s error, which cannot be dismissed', async () => {
    const upid = await otherClient('/nodes/node2/qemu/100/status/start'); // already running
    const alert = await waitFor(() => feed().alerts().find((a) => a.nativeRef === upid), 'the failed-task alert', 15_000);
    expect(sim.tasks.tasks.get(upid)?.exitstatus).toMatch(/already running/);
    expect(alert).toMatchObject({ severity: 'warning', name: 'qmstart', title: 'qmstart failed', nodeId: `${SERVER_ID}:vm:qemu/100`, dismissable: false });
    expect(alert.body).toContain('already running');
    expect(alert.body).toContain('backup@pve!cron');
    expect(feed().tasks().find((t) => t.nativeRef === upid)).toMatchObject({ status: 'failure', error: { code: 'TASK_FAILED' } });
    expect(feed().dismiss).toBeUndefined();
  });
});
