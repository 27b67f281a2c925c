// The vim25 XML layer on shapes real ESXi/vCenter send that vcsim does not
// (no peer needed): fault details with parameters, xsi:type next to a
// ManagedObjectReference's own `type`, arrays, character references.

import { describe, expect, it } from 'vitest';
import { faultError, readLocalizedFault, readSoapFault } from '../../../electron/core/providers/vsphere/faults';
import { snapshotTrees } from '../../../electron/core/providers/vsphere/snapshot-tree';
import { child, el, escapeXml, parseXml, readMoRef, readMoRefArray, text, xsiType, type XmlNode } from '../../../electron/core/providers/vsphere/xml';

const body = (inner: string) =>
  child(
    child(
      parseXml(
        `<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n<soapenv:Body>${inner}</soapenv:Body></soapenv:Envelope>`,
      ),
      'Envelope',
    ),
    'Body',
  ) as XmlNode;

describe('vim25 XML', () => {
  it('escapes text and drops characters XML cannot carry', () => {
    expect(escapeXml(`a<b>&"c'\u0001`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
    expect(el('password', 'p<&>"').xml).toBe('<password>p&lt;&amp;&gt;&quot;</password>');
    expect(el('obj', 'vm-1', { type: 'Virtual"Machine' }).xml).toBe('<obj type="Virtual&quot;Machine">vm-1</obj>');
  });

  it('reads an ESXi login fault as AUTH_FAILED', () => {
    const fault = child(
      body(
        '<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>Cannot complete login due to an incorrect user name or password.</faultstring><detail><InvalidLoginFault xmlns="urn:vim25" xsi:type="InvalidLogin"></InvalidLoginFault></detail></soapenv:Fault>',
      ),
      'Fault',
    )!;
    const read = readSoapFault(fault);
    expect(read.name).toBe('InvalidLogin');
    const err = faultError(read, 'Login');
    expect(err.info).toMatchObject({ code: 'AUTH_FAILED', serverCode: 'InvalidLogin' });
  });

  it('keeps a fault’s parameters and its message', () => {
    const fault = child(
      body(
        '<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>The attempted operation cannot be performed in the current state (Powered on).</faultstring><detail><InvalidPowerStateFault xmlns="urn:vim25" xsi:type="InvalidPowerState"><requestedState>poweredOff</requestedState><existingState>poweredOn</existingState></InvalidPowerStateFault></detail></soapenv:Fault>',
      ),
      'Fault',
    )!;
    const err = faultError(readSoapFault(fault), 'PowerOnVM_Task');
    expect(err.info.code).toBe('SERVER_ERROR');
    expect(err.info.serverCode).toBe('InvalidPowerState');
    expect(err.info.serverParams).toEqual(['requestedState=poweredOff', 'existingState=poweredOn']);
    expect(err.message).toContain('cannot be performed in the current state (Powered on)');
  });

  it('reads a task’s LocalizedMethodFault', () => {
    const info = child(
      child(
        body(
          '<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><objects><obj type="Task">task-12</obj><propSet><name>info.error</name><val xsi:type="LocalizedMethodFault"><fault xsi:type="FileLocked"><file>[ds1] vm/vm.vmdk</file></fault><localizedMessage>Unable to access file [ds1] vm/vm.vmdk since it is locked</localizedMessage></val></propSet></objects></returnval></RetrievePropertiesExResponse>',
        ),
        'RetrievePropertiesExResponse',
      ),
      'returnval',
    );
    const val = child(child(child(info, 'objects'), 'propSet'), 'val')!;
    expect(xsiType(val)).toBe('LocalizedMethodFault');
    const fault = readLocalizedFault(val);
    expect(fault).toEqual({ name: 'FileLocked', message: 'Unable to access file [ds1] vm/vm.vmdk since it is locked', params: ['file=[ds1] vm/vm.vmdk'] });
  });

  it('keeps xsi:type apart from a moref’s type and reads arrays of morefs', () => {
    const ret = child(
      child(
        body(
          '<X xmlns="urn:vim25"><returnval><one xsi:type="ManagedObjectReference" type="HostSystem">host-9</one><many xsi:type="ArrayOfManagedObjectReference"><ManagedObjectReference type="VirtualMachine" xsi:type="ManagedObjectReference">vm-1</ManagedObjectReference><ManagedObjectReference type="VirtualMachine" xsi:type="ManagedObjectReference">vm-2</ManagedObjectReference></many><single xsi:type="ArrayOfManagedObjectReference"><ManagedObjectReference type="Folder" xsi:type="ManagedObjectReference">group-v3</ManagedObjectReference></single></returnval></X>',
        ),
        'X',
      ),
      'returnval',
    );
    expect(readMoRef(child(ret, 'one'))).toEqual({ type: 'HostSystem', value: 'host-9' });
    expect(readMoRefArray(child(ret, 'many'))).toEqual([
      { type: 'VirtualMachine', value: 'vm-1' },
      { type: 'VirtualMachine', value: 'vm-2' },
    ]);
    expect(readMoRefArray(child(ret, 'single'))).toEqual([{ type: 'Folder', value: 'group-v3' }]);
  });

  it('decodes character references in snapshot trees, once', () => {
    const info = child(
      body(
        '<val xsi:type="VirtualMachineSnapshotInfo"><currentSnapshot type="VirtualMachineSnapshot">snapshot-7</currentSnapshot><rootSnapshotList><snapshot type="VirtualMachineSnapshot">snapshot-5</snapshot><vm type="VirtualMachine">vm-1</vm><name>before &amp;lt;upgrade&gt;</name><description>line one&#xA;line two &#233;&#128512;</description><id>1</id><createTime>2024-03-01T10:20:30.123456Z</createTime><state>poweredOff</state><quiesced>false</quiesced><childSnapshotList><snapshot type="VirtualMachineSnapshot">snapshot-7</snapshot><name>child</name><description></description><createTime>2024-03-01T11:00:00Z</createTime><state>poweredOn</state><quiesced>true</quiesced></childSnapshotList></rootSnapshotList></val>',
      ),
      'val',
    );
    const [root] = snapshotTrees(info);
    expect(root.name).toBe('before &lt;upgrade>');
    expect(root.description).toBe('line one\nline two é😀');
    expect(root.createTime).toBe('2024-03-01T10:20:30.123Z');
    expect(root.children).toHaveLength(1);
    expect(root.children[0]).toMatchObject({ name: 'child', state: 'poweredOn', quiesced: true, description: '' });
    expect(text(child(info, 'currentSnapshot'))).toBe('snapshot-7');
  });
});
