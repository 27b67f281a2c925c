// vSphere alerts and events against vcsim 0.24 (issue 15). What vcsim models: EventManager
// with CreateCollectorForEvents, SetCollectorPageSize, the collector's latestPage and
// PostEvent (which stamps key, time and the posting session's user); its event
// descriptions say "info" for every type, so warning/error come from the event's type;
// TaskManager.recentTask with each Task's info (state, progress, entity, times, reason).
// An independent raw SOAP session posts events and runs a task; the provider shows them.
// They reach the provider through a long poll of its own PropertyCollector, not by reading
// the event page and every task's info again and again (issue 17: that polling was most of
// a fleet start's vSphere parse time); the SOAP requests sent are recorded to check it.

import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VsphereProvider } from '../../../electron/core/providers/vsphere';
import { BUILD_AND_START_TIMEOUT, SERVER_ID, skipVcsim, startConnected, TEST_TIMEOUT, waitFor, type ConnectedPeer } from './harness';
import { text, type RawSoap } from './raw-soap';

type Node = Record<string, unknown>;

describe.skipIf(skipVcsim)('vSphere events and recent tasks', { timeout: TEST_TIMEOUT }, () => {
  let peer: ConnectedPeer;
  let provider: VsphereProvider;
  let raw: RawSoap;
  let eventManager: { type: string; value: string };
  let vm: { ref: string; name: string };
  const feed = () => provider.notifications!;

  /** the SOAP bodies every HTTPS request of this process sent (the provider's and the raw session's) */
  const sent: string[] = [];
  const request = https.request;

  beforeAll(async () => {
    (https as { request: unknown }).request = (...args: Parameters<typeof https.request>) => {
      const req = (request as (...a: unknown[]) => ReturnType<typeof https.request>)(...args);
      const end = req.end.bind(req) as (body?: unknown) => typeof req;
      req.end = ((body?: unknown) => {
        if (Buffer.isBuffer(body) || typeof body === 'string') sent.push(body.toString());
        return end(body);
      }) as typeof req.end;
      return req;
    };
    peer = await startConnected({ model: 'vpx' });
    ({ provider, raw } = peer);
    const content = (await raw.call('RetrieveServiceContent', { type: 'ServiceInstance', value: 'ServiceInstance' }, '')).returnval as Node;
    eventManager = { type: 'EventManager', value: text(content.eventManager)! };
    const vms = await raw.objects('VirtualMachine', ['name', 'runtime.powerState']);
    const on = vms.find((v) => text(v.props['runtime.powerState']) === 'poweredOn')!;
    vm = { ref: on.ref.value, name: text(on.props.name)! };
  }, BUILD_AND_START_TIMEOUT);
  afterAll(async () => {
    (https as { request: unknown }).request = request;
    await peer?.stop();
  });

  const post = (type: string, message: string) =>
    raw.call(
      'PostEvent',
      eventManager,
      `<eventToPost xsi:type="${type}"><key>0</key><chainId>0</chainId><createdTime>${new Date().toISOString()}</createdTime><userName></userName>` +
        `<vm><name>${vm.name}</name><vm type="VirtualMachine">${vm.ref}</vm></vm><message>${message}</message></eventToPost>`,
    );

  it('a warning and an error event posted by another session are alerts on their VM; an info event is only an event', async () => {
    await post('GeneralVmWarningEvent', 'Datastore almost full');
    await post('GeneralVmErrorEvent', 'Guest heartbeat lost');
    await post('GeneralUserEvent', 'Maintenance note');
    const warning = await waitFor(() => feed().alerts().find((a) => a.name === 'GeneralVmWarningEvent'), 'the warning alert', 30_000);
    expect(warning).toMatchObject({ severity: 'warning', nodeId: `${SERVER_ID}:vm:${vm.ref}`, objectName: vm.name, dismissable: false });
    expect(warning.title).toContain('Datastore almost full');
    const error = await waitFor(() => feed().alerts().find((a) => a.name === 'GeneralVmErrorEvent'), 'the error alert', 30_000);
    expect(error.severity).toBe('major');
    await waitFor(() => feed().tasks().find((t) => t.kind === 'event' && t.what.includes('Maintenance note')), 'the info event', 30_000);
    expect(feed().alerts().some((a) => a.name === 'GeneralUserEvent')).toBe(false);
    // the user vcsim stamped on the posted event: the raw session's
    expect(warning.body).toBe(`by ${peer.sim.username}`);
    expect(feed().dismiss).toBeUndefined();
  });

  it("another session's task shows among the recent tasks with its object, end and progress", async () => {
    const task = text(((await raw.call('PowerOffVM_Task', { type: 'VirtualMachine', value: vm.ref }, '')) as Node).returnval)!;
    const seen = await waitFor(() => feed().tasks().find((t) => t.nativeRef === task && t.status === 'success'), 'the power-off task to succeed', 30_000);
    expect(seen).toMatchObject({ kind: 'task', nodeId: `${SERVER_ID}:vm:${vm.ref}`, progress: 1 });
    expect(seen.what).toMatch(/powerOff/i);
    expect(seen.finishedAt).toBeGreaterThanOrEqual(seen.startedAt);
  });

  it('events and tasks come through a long poll of a PropertyCollector of their own, not by reading the page and every task again', () => {
    // both tests above saw their changes arrive: the requests that brought them
    const calls = (method: string) => sent.filter((body) => body.includes(`<${method} xmlns="urn:vim25">`));
    expect(calls('CreatePropertyCollector')).toHaveLength(1);
    // the long polls of that collector: not the session's (ServiceContent's propertyCollector)
    const ownPolls = calls('WaitForUpdatesEx').filter((b) => !b.includes('<_this type="PropertyCollector">propertyCollector</_this>'));
    expect(ownPolls.length).toBeGreaterThan(0);
    const filters = calls('CreateFilter');
    expect(filters.some((f) => f.includes('<pathSet>latestPage</pathSet>'))).toBe(true);
    expect(filters.some((f) => f.includes('<path>recentTask</path>') && f.includes('<pathSet>info</pathSet>'))).toBe(true);
    const rereads = calls('RetrievePropertiesEx').filter((b) => b.includes('<pathSet>latestPage</pathSet>') || b.includes('<pathSet>recentTask</pathSet>') || /<type>Task<\/type>/.test(b));
    expect(rereads).toEqual([]);
  });
});
