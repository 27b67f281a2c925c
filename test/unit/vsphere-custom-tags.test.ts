import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { customTags, decodeTags, encodeTags } from '../../electron/core/providers/vsphere/custom-tags';
import { parseXml } from '../../electron/core/providers/vsphere/xml';

describe('vSphere tags in one custom field value', () => {
  it('escapes commas and backslashes', () => {
    expect(encodeTags(['web', 'a,b', 'c\\d'])).toBe('web,a\\,b,c\\\\d');
    expect(decodeTags('web,a\\,b,c\\\\d')).toEqual(['web', 'a,b', 'c\\d']);
    expect(decodeTags('')).toEqual([]);
  });

  it('reads back any list of distinct trimmed tags', () => {
    const tag = fc.string({ minLength: 1 }).map((s) => s.trim()).filter(Boolean);
    fc.assert(
      fc.property(fc.uniqueArray(tag), (tags) => {
        expect(decodeTags(encodeTags(tags))).toEqual(tags);
      }),
    );
  });

  it('takes the last value for the field key (vcsim appends one per SetField)', () => {
    const doc = parseXml(
      '<val><CustomFieldValue><key>3</key><value>old</value></CustomFieldValue><CustomFieldValue><key>4</key><value>other</value></CustomFieldValue><CustomFieldValue><key>3</key><value>new,x</value></CustomFieldValue></val>',
    );
    expect(customTags(doc.val, '3')).toEqual(['new', 'x']);
    expect(customTags(doc.val, null)).toEqual([]);
  });
});
