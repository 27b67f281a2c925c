// What the network tabs and commands ask the core (issue 16): a network's details, a
// guest's NICs, and the changes — each a task followed in the tasks panel; a refusal
// to start one is a notice.
import type { NetworkCreateOptions, NetworkDetails, NetworkDraft, NicList, SubnetDraft } from '../../../shared/networks';
import type { TaskInfo } from '../../../shared/contract';
import { toErrorInfo } from '../../../shared/errors';
import { ask, type Answer } from '../migration/migration-requests';
import { getClient } from '../client';
import i18n from '../i18n';
import { storeActions } from '../store/store';

export function fetchNetworkDetails(nodeId: string): Promise<Answer<NetworkDetails>> {
  return ask(() => getClient().client.invoke('networks:details', nodeId));
}

export function fetchNics(guestId: string): Promise<Answer<NicList>> {
  return ask(() => getClient().client.invoke('nics:list', guestId));
}

export function fetchNetworkOptions(serverId: string): Promise<Answer<NetworkCreateOptions>> {
  return ask(() => getClient().client.invoke('networks:createOptions', serverId));
}

async function started(action: string, start: () => Promise<TaskInfo>): Promise<TaskInfo | null> {
  try {
    const task = await start();
    storeActions.taskChanged(task);
    return task;
  } catch (e) {
    storeActions.notify(toErrorInfo(e), i18n.t('notice.actionFailed', { action: i18n.t(`action.${action}`) }));
    return null;
  }
}

export function createNetwork(serverId: string, draft: NetworkDraft): Promise<TaskInfo | null> {
  return started('network_create', () => getClient().client.invoke('networks:create', serverId, draft));
}

export function deleteNetwork(nodeId: string): Promise<TaskInfo | null> {
  return started('network_delete', () => getClient().client.invoke('networks:delete', nodeId));
}

export function addSubnet(nodeId: string, subnet: SubnetDraft): Promise<TaskInfo | null> {
  return started('subnet_add', () => getClient().client.invoke('networks:addSubnet', nodeId, subnet));
}

export function removeSubnet(nodeId: string, subnetId: string): Promise<TaskInfo | null> {
  return started('subnet_remove', () => getClient().client.invoke('networks:removeSubnet', nodeId, subnetId));
}

export function addNic(guestId: string, networkId: string): Promise<TaskInfo | null> {
  return started('nic_add', () => getClient().client.invoke('nics:add', guestId, networkId));
}

export function removeNic(guestId: string, nicId: string): Promise<TaskInfo | null> {
  return started('nic_remove', () => getClient().client.invoke('nics:remove', guestId, nicId));
}

export function setNicNetwork(guestId: string, nicId: string, networkId: string): Promise<TaskInfo | null> {
  return started('nic_move', () => getClient().client.invoke('nics:setNetwork', guestId, nicId, networkId));
}
