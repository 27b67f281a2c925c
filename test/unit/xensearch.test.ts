// XenCenter's saved searches (.xensearch) read into the search language and written back.
// The documents are written here as XenCenter's SearchMarshalling.SearchesToXML writes them
// (XML declaration, XenSearch DOCTYPE, <Searches xmlns=…>, 4-space indentation; each filter
// with the attributes QueryTypes.cs's AddXmlAttributes gives it, in that order); what each
// translated search finds is checked on search subjects, not only its text.

import { describe, expect, it } from 'vitest';
import type { SavedSearch } from '../../shared/labels';
import { compileQuery, parseQuery, type SearchSubject } from '../../shared/search';
import { readXenSearch } from '../../electron/core/views/xensearch-read';
import { writeXenSearch } from '../../electron/core/views/xensearch-write';

const GiB = 1024 ** 3;

/** A file as XenCenter's Search.Save(filename) writes it: one or more <Search> elements. */
const file = (...searches: string[]) =>
  `<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE XenSearch PUBLIC "-//XENSEARCH//DTD XENSEARCH 1//EN" "XenSearch-1.dtd">
<Searches xmlns="http://www.citrix.com/XenCenter/XenSearch/schema">
${searches.join('\n')}
</Searches>
`;

const ALL_TYPES = ['Pool', 'Server', 'DisconnectedServer', 'VM', 'Snapshot', 'UserTemplate', 'DefaultTemplate', 'RemoteSR', 'LocalSR', 'VDI', 'Network'];
const scope = (types: string[]) => `            <QueryScope>\n${types.map((t) => `                <${t} />`).join('\n')}\n            </QueryScope>`;

const search = (name: string, types: string[], filter: string, extra = '') => `    <Search uuid="4b5a7c1e-0d3c-4a7e-9f57-0c9f1d3b2a10" name="${name}" major_version="2" minor_version="0" show_expanded="yes">
        <Query>
${scope(types)}
${filter}
        </Query>${extra}
        <sorting />
    </Search>`;

const subject = (over: Partial<SearchSubject>): SearchSubject => ({ type: 'vm', name: 'x', tags: [], ips: [], ...over });
const finds = (query: string, s: SearchSubject) => {
  const parsed = parseQuery(query);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return compileQuery(parsed.query)(s);
};

describe('.xensearch import', () => {
  // a running web VM tagged prod with more than 4 GiB, not Windows, in /Production or below, in pool "Lab"
  const everything = `            <GroupQuery type="And">
                <EnumPropertyQuery property="power_state" equals="yes" query="Running" />
                <StringListContainsQuery property="tags" contains="yes" query="prod" />
                <IntPropertyQuery property="memory" query="${4 * GiB}" type="gt" />
                <StringPropertyQuery property="label" casesensitive="no" query="web" type="startswith" />
                <GroupQuery type="Nor">
                    <StringPropertyQuery property="os_name" casesensitive="no" query="windows" type="contains" />
                </GroupQuery>
                <RecursiveXMOListPropertyQuery property="folders">
                    <StringPropertyQuery property="uuid" casesensitive="yes" query="/Production" type="exactmatch" />
                </RecursiveXMOListPropertyQuery>
                <RecursiveXMOPropertyQuery property="pool">
                    <StringPropertyQuery property="label" casesensitive="no" query="Lab" type="exactmatch" />
                </RecursiveXMOPropertyQuery>
            </GroupQuery>`;

  it('translates type, state, tag, memory, name, OS, folder and pool filters and their AND / NOR groups', () => {
    const read = readXenSearch(file(search('Prod web VMs', ['VM'], everything)));
    expect(read.refused).toBe(0);
    expect(read.notes).toEqual([]);
    expect(read.drafts).toEqual([
      { name: 'Prod web VMs', query: 'type:vm state:running tag:prod memory>4GiB name:web* NOT os:windows (folder=/Production OR folder:/Production/*) pool=Lab' },
    ]);
    const query = read.drafts[0]!.query;
    const match = subject({ name: 'web-01', state: 'running', tags: ['prod'], memory: 8 * GiB, os: 'Debian 12', folder: '/Production/Web', pool: 'Lab' });
    expect(finds(query, match)).toBe(true);
    expect(finds(query, { ...match, folder: '/Production' })).toBe(true);
    expect(finds(query, { ...match, folder: '/Productions' })).toBe(false);
    expect(finds(query, { ...match, os: 'Windows Server 2019' })).toBe(false);
    expect(finds(query, { ...match, memory: 4 * GiB })).toBe(false);
    expect(finds(query, { ...match, type: 'template' })).toBe(false);
    expect(finds(query, { ...match, pool: 'Lab 2' })).toBe(false);
  });

  it('reads a scope of several types as an OR of types, and every type as no restriction', () => {
    const or = readXenSearch(file(search('Hosts and pools', ['Pool', 'Server', 'DisconnectedServer'], '')));
    expect(or.drafts[0]!.query).toBe('type:pool OR type:host');
    const all = readXenSearch(file(search('Everything', [...ALL_TYPES, 'Folder'], '')));
    expect(all.drafts[0]!.query).toBe('');
  });

  it('does not import a search with a filter Polyvisor cannot say, and names that filter', () => {
    const tools = `            <GroupQuery type="And">
                <EnumPropertyQuery property="power_state" equals="yes" query="Running" />
                <EnumPropertyQuery property="virtualisation_status" equals="no" query="OPTIMIZED" />
            </GroupQuery>`;
    const read = readXenSearch(file(search('VMs without tools', ['VM'], tools), search('Halted', ['VM'], '            <EnumPropertyQuery property="power_state" equals="yes" query="Halted" />')));
    expect(read.drafts).toEqual([{ name: 'Halted', query: 'type:vm state:halted' }]);
    expect(read.refused).toBe(1);
    expect(read.notes).toEqual([{ search: 'VMs without tools', kind: 'unsupported', what: 'EnumPropertyQuery virtualisation_status' }]);
  });

  it('notes a scope read more broadly, a case-sensitive match and a grouping it leaves out', () => {
    const grouping = `\n        <PropertyGrouping property="os_name" />`;
    const read = readXenSearch(file(search('My templates', ['UserTemplate'], '            <StringPropertyQuery property="label" casesensitive="yes" query="Web" type="contains" />', grouping)));
    expect(read.drafts).toEqual([{ name: 'My templates', query: 'type:template name:Web' }]);
    expect(read.notes.map((n) => [n.kind, n.what])).toEqual([
      ['ignored', 'grouping PropertyGrouping os_name'],
      ['approximated', 'object type UserTemplate (read as every template)'],
      ['approximated', 'StringPropertyQuery label "Web" (matched without regard to case)'],
    ]);
  });

  it('names a pool or host given by uuid from the connected servers, and refuses one it cannot name', () => {
    const onHost = (uuid: string) => `            <XenModelObjectPropertyQuery property="host" equals="yes" uuid="${uuid}" />`;
    const names = (uuid: string) => (uuid === '0a2e7c1d-host' ? 'xs-host-1' : undefined);
    const read = readXenSearch(file(search('On host 1', ['VM'], onHost('0a2e7c1d-host')), search('On a gone host', ['VM'], onHost('ffff'))), names);
    expect(read.drafts).toEqual([{ name: 'On host 1', query: 'type:vm host=xs-host-1' }]);
    expect(read.notes).toEqual([{ search: 'On a gone host', kind: 'unsupported', what: 'XenModelObjectPropertyQuery host uuid ffff (no host with that uuid is connected)' }]);
  });

  it('reads tags present or absent, the folder-less objects, an IP address and a legacy version-1 search', () => {
    const legacy = `<?xml version="1.0"?>
<Searches>
    <search name="Old" major_version="1" minor_version="0" showsearch="True">
        <GroupQuery type="Or">
            <ListEmptyQuery property="tags" empty="no" />
            <NullQuery property="folder" query="yes" />
            <IPAddressQuery property="ip_address" contains="yes" address="10.0.0.5" />
        </GroupQuery>
    </search>
</Searches>`;
    const read = readXenSearch(legacy);
    expect(read.drafts).toEqual([{ name: 'Old', query: 'tag:* OR NOT folder:* OR ip=10.0.0.5' }]);
    const q = read.drafts[0]!.query;
    expect(finds(q, subject({ tags: ['a'], folder: '/F' }))).toBe(true);
    expect(finds(q, subject({ folder: '/F' }))).toBe(false);
    expect(finds(q, subject({}))).toBe(true);
    expect(finds(q, subject({ folder: '/F', ips: ['10.0.0.5'] }))).toBe(true);
  });

  it('refuses a document that is not a saved search, and a newer major version', () => {
    expect(() => readXenSearch('<?xml version="1.0"?><Other />')).toThrow(/no XenCenter saved search/);
    const newer = readXenSearch(file(search('Future', ['VM'], '').replace('major_version="2"', 'major_version="3"')));
    expect(newer.refused).toBe(1);
    expect(newer.notes[0]!.what).toMatch(/major_version 3/);
  });
});

describe('.xensearch export', () => {
  const saved = (name: string, query: string): SavedSearch => ({ id: `search:${name}`, name, query, createdAt: '2026-01-01T00:00:00.000Z' });

  it('writes XenCenter’s document: declaration, DOCTYPE, namespace, 4-space indentation, its attributes in its order', () => {
    const { content, left } = writeXenSearch([saved('Big running', 'state:running memory>=4GiB')]);
    expect(left).toEqual([]);
    const lines = content.split('\n');
    expect(lines[0]).toBe('<?xml version="1.0" encoding="utf-8"?>');
    expect(lines[1]).toBe('<!DOCTYPE XenSearch PUBLIC "-//XENSEARCH//DTD XENSEARCH 1//EN" "XenSearch-1.dtd">');
    expect(lines[2]).toBe('<Searches xmlns="http://www.citrix.com/XenCenter/XenSearch/schema">');
    expect(lines[3]).toMatch(/^ {4}<Search uuid="[0-9a-f-]{36}" name="Big running" major_version="2" minor_version="0">$/);
    expect(content).toContain('                <EnumPropertyQuery property="power_state" equals="yes" query="Running" />');
    // whole bytes: >= 4 GiB is > 4 GiB - 1
    expect(content).toContain(`                <IntPropertyQuery property="memory" query="${4 * GiB - 1}" type="gt" />`);
    expect(content).toContain('        <sorting />');
  });

  it('reads back what it wrote to queries that find the same objects', () => {
    const queries = ['type:vm state:running tag:prod name:web*', 'NOT os:windows OR description:*db', 'folder=/Production/Web host:xs-01 pool=Lab', 'type:template memory<2GiB uuid=1b2c', 'disk>20GiB ip=10.0.0.7 tag:*'];
    const { content, left } = writeXenSearch(queries.map((q, i) => saved(`s${i}`, q)));
    expect(left).toEqual([]);
    const read = readXenSearch(content);
    expect(read.refused).toBe(0);
    expect(read.drafts.map((d) => d.query)).toEqual([
      'type:vm state:running tag:prod name:web*',
      'NOT os:windows OR description:*db',
      'folder=/Production/Web host:xs-01 pool=Lab',
      'type:template memory<2GiB uuid=1b2c',
      'disk>20GiB ip=10.0.0.7 tag:*',
    ]);
  });

  it('leaves out a search XenCenter cannot say, naming the term', () => {
    const { content, left } = writeXenSearch([saved('By server', 'server:lab type:vm'), saved('Cores', 'vcpus>2'), saved('Mid', 'name:w*b'), saved('Fine', 'web')]);
    expect(left).toEqual([
      { search: 'By server', what: 'server:lab' },
      { search: 'Cores', what: 'vcpus>2' },
      { search: 'Mid', what: 'name:w*b' },
    ]);
    expect(readXenSearch(content).drafts).toEqual([{ name: 'Fine', query: 'name:web' }]);
  });
});
