// The XenServer guests facet's readers of server text: a template's provisioning
// XML (as real pool databases carry it) read and rewritten with the chosen SR and
// size, and the HVM boot order letters; arbitrary input never throws.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readProvisionXml, writeProvisionXml } from '../../electron/core/providers/xenserver/provision-xml';
import { bootOrderLetters, bootOrderWords } from '../../electron/core/providers/xenserver/guest-properties';

// from state4.xml (a built-in template's other_config "disks", after the dump's unescaping)
const REAL = '<provision><disk device="0" size="8589934592" sr="" bootable="true" type="system"/></provision>';

describe('provisioning XML', () => {
  it('reads a real template\'s disks and writes them back with the SR and size a client chose', () => {
    const disks = readProvisionXml(REAL);
    expect(disks).toEqual([{ device: '0', size: 8589934592, sr: '', bootable: true, type: 'system' }]);
    const rewritten = writeProvisionXml([{ ...disks[0]!, sr: 'a1b2-c3', size: 12 * 1024 ** 3 }]);
    expect(rewritten).toBe('<provision><disk device="0" size="12884901888" sr="a1b2-c3" bootable="true" type="system"/></provision>');
    expect(readProvisionXml(rewritten)[0]).toMatchObject({ sr: 'a1b2-c3', size: 12884901888 });
  });

  it('round-trips any disks, quotes and ampersands included, and never throws on arbitrary text', () => {
    const disk = fc.record({
      device: fc.string(),
      size: fc.nat(),
      sr: fc.string(),
      bootable: fc.boolean(),
      type: fc.constantFrom('system', 'user', 'ephemeral'),
    });
    fc.assert(
      fc.property(fc.array(disk, { maxLength: 4 }), (disks) => {
        expect(readProvisionXml(writeProvisionXml(disks))).toEqual(disks);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(Array.isArray(readProvisionXml(text))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('HVM boot order', () => {
  it('reads XenCenter\'s letters (c DVD drive, d hard disk, n network) and writes them back', () => {
    expect(bootOrderWords('cdn')).toEqual(['cd', 'disk', 'network']);
    expect(bootOrderWords('DC')).toEqual(['disk', 'cd']);
    expect(bootOrderWords('x?n')).toEqual(['network']);
    expect(bootOrderLetters(['disk', 'cd'])).toBe('dc');
    fc.assert(fc.property(fc.string(), (order) => void bootOrderLetters(bootOrderWords(order))), { numRuns: 200 });
  });
});
