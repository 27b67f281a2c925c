import { describe, expect, it } from 'vitest';
import type { InventoryNode } from '../../shared/model';
import { consoleProtocolsFor, defaultConsoleProtocol, hasConsole } from '../../renderer/src/console/console-protocols';

const node = (kind: InventoryNode['kind']): InventoryNode => ({ id: `s:${kind}:1`, serverId: 's', kind, name: 'n', parentId: null, nativeRef: '1', allowed: [], props: {} });
const both = { consoles: ['text', 'rfb'] as Array<'rfb' | 'text'> };

describe('console protocols (issue 19 item 1)', () => {
  it('are listed Graphical then Text for VMs and containers alike', () => {
    expect(consoleProtocolsFor(node('vm'), both)).toEqual(['rfb', 'text']);
    expect(consoleProtocolsFor(node('container'), both)).toEqual(['rfb', 'text']);
    expect(consoleProtocolsFor(node('host'), both)).toEqual([]);
  });

  it('open graphical for a VM and text for a container, whichever exists', () => {
    expect(defaultConsoleProtocol(node('vm'), ['rfb', 'text'])).toBe('rfb');
    expect(defaultConsoleProtocol(node('container'), ['rfb', 'text'])).toBe('text');
    expect(defaultConsoleProtocol(node('container'), ['rfb'])).toBe('rfb');
    expect(defaultConsoleProtocol(node('vm'), ['text'])).toBe('text');
  });

  it('give a host its shell only where the platform has host consoles, and every host a Console tab (issue 18)', () => {
    expect(consoleProtocolsFor(node('host'), both, { hostConsole: true })).toEqual(['text']);
    expect(consoleProtocolsFor(node('host'), { consoles: ['rfb'] }, { hostConsole: true })).toEqual([]);
    expect(hasConsole(node('host'), { consoles: [] })).toBe(true);
    expect(hasConsole(node('pool'), both, { hostConsole: true })).toBe(false);
  });

  it('give a VM with no console in the window a Console tab where the platform has outside viewers', () => {
    expect(hasConsole(node('vm'), { consoles: [] })).toBe(false);
    expect(hasConsole(node('vm'), { consoles: [] }, { externalViewers: ['vmrc'] })).toBe(true);
    expect(hasConsole(node('container'), { consoles: [] }, { externalViewers: ['vmrc'] })).toBe(false);
  });
});
