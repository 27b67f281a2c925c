// Docker networks (issue 16) against a real dockerd: a network made with a driver and a
// subnet (as `docker network inspect` reads it) and shown under the engine; a running
// container's networks as its NICs (MAC and address as `docker inspect` reports them),
// joined, moved and left; a network in use refused by the engine, an unused one removed.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerProvider } from '../../../electron/core/providers/docker';
import { cliInspect, dockerCli, dockerCliUnavailableReason } from '../../peers/docker-cli';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../../peers/dockerd';
import { Mirror, POLITE_CMD, providerFor, SERVER_ID, skipWithoutDockerd, taskReporter, waitFor } from './harness';

const unavailable = dockerdUnavailableReason() ?? dockerCliUnavailableReason();

interface InspectedNetwork {
  Id: string;
  Name: string;
  Driver: string;
  IPAM: { Config: Array<{ Subnet: string }> };
}

interface InspectedContainer {
  Id: string;
  NetworkSettings: { Networks: Record<string, { NetworkID: string; MacAddress: string; IPAddress: string }> };
}

describe.skipIf(skipWithoutDockerd(unavailable))('Docker networks', () => {
  let peer: DockerdPeer;
  let provider: DockerProvider;
  let mirror: Mirror;
  let web: string;
  const inspectNetwork = async (name: string) => JSON.parse(await dockerCli(peer.socketPath, ['network', 'inspect', name]))[0] as InspectedNetwork;
  const networksOf = async (id: string) => (await cliInspect<InspectedContainer>(peer.socketPath, id, 'container')).NetworkSettings.Networks;
  const make = async (name: string, subnet: string) => provider.networks!.create({ kind: 'container', name, driver: 'bridge', subnet }, taskReporter());

  beforeAll(async () => {
    peer = await startDockerd();
    await ensureBusyboxImage(peer.docker);
    provider = providerFor(peer.socketPath);
    mirror = new Mirror(provider);
    await provider.connect();
  }, 180_000);

  afterAll(async () => {
    await provider?.disconnect();
    await peer?.stop();
  });

  it('makes a bridge network with a subnet, as the engine then reports it, under the engine in the tree', async () => {
    const result = await make('lab-net', '10.77.0.0/24');
    const cli = await inspectNetwork('lab-net');
    expect(cli).toMatchObject({ Driver: 'bridge', IPAM: { Config: [{ Subnet: '10.77.0.0/24' }] } });
    expect(result.resultId).toBe(`${SERVER_ID}:network:${cli.Id}`);
    const node = await waitFor(() => mirror.byName('network', 'lab-net'), 'the network in the tree');
    expect(node.parentId).toBe(`${SERVER_ID}:host:engine`);
    expect(node.network).toMatchObject({ type: 'container', driver: 'bridge', vlan: null, subnets: ['10.77.0.0/24'], hostIds: [`${SERVER_ID}:host:engine`] });
  });

  it('a running container’s NICs are its networks, with MAC and address as docker inspect reports them', async () => {
    const c = await peer.docker.createContainer({ name: 'web', Image: 'local/busybox:latest', Cmd: POLITE_CMD, HostConfig: { NetworkMode: 'lab-net' } });
    await c.start();
    web = c.id;
    const guest = { nativeRef: web, kind: 'container' };
    const nics = await provider.networks!.nics(guest);
    const cli = (await networksOf(web))['lab-net']!;
    expect(nics).toEqual([{ id: 'lab-net', device: 'lab-net', networkId: `${SERVER_ID}:network:${cli.NetworkID}`, networkName: 'lab-net', mac: cli.MacAddress, ips: [cli.IPAddress], connected: true }]);
    expect(cli.IPAddress).toMatch(/^10\.77\.0\./);
    const details = await provider.networks!.details(cli.NetworkID);
    expect(details.attached.map((a) => [a.guestName, a.guestId, a.mac])).toEqual([['web', `${SERVER_ID}:container:${web}`, cli.MacAddress]]);
  });

  it('joins another network, moves a NIC to a third, and leaves one — each as the engine then reports it', async () => {
    const guest = { nativeRef: web, kind: 'container' };
    const db = await make('db-net', '10.78.0.0/24');
    const dbId = db.resultId!.split(':network:')[1]!;
    await provider.networks!.addNic(guest, dbId, taskReporter());
    expect(Object.keys(await networksOf(web)).sort()).toEqual(['db-net', 'lab-net']);

    const third = await make('third-net', '10.79.0.0/24');
    await provider.networks!.moveNic(guest, 'lab-net', third.resultId!.split(':network:')[1]!, taskReporter());
    const after = await networksOf(web);
    expect(Object.keys(after).sort()).toEqual(['db-net', 'third-net']);
    expect(after['third-net']!.IPAddress).toMatch(/^10\.79\.0\./);

    await provider.networks!.removeNic(guest, 'db-net', taskReporter());
    expect(Object.keys(await networksOf(web))).toEqual(['third-net']);
    const nics = await provider.networks!.nics(guest);
    expect(nics.map((n) => n.networkName)).toEqual(['third-net']);
  });

  it('the engine refuses to remove a network a container is on; an unused one goes, from the engine and the tree', async () => {
    const third = mirror.byName('network', 'third-net') ?? (await waitFor(() => mirror.byName('network', 'third-net'), 'third-net'));
    await expect(provider.networks!.destroy(third.nativeRef, taskReporter())).rejects.toMatchObject({ code: 'SERVER_ERROR' });
    expect((await inspectNetwork('third-net')).Id).toBe(third.nativeRef);

    const lab = await waitFor(() => mirror.byName('network', 'lab-net'), 'lab-net');
    await provider.networks!.destroy(lab.nativeRef, taskReporter());
    const names = (await dockerCli(peer.socketPath, ['network', 'ls', '--format', '{{.Name}}'])).trim().split('\n');
    expect(names).not.toContain('lab-net');
    await waitFor(() => !mirror.nodes.has(lab.id), 'lab-net gone from the tree');
  });
});
