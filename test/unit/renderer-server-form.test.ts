// The add/edit-server form drawn from a provider's descriptor: defaults, which fields
// show, their problems, and the draft that is saved (hidden fields' values, options,
// a type change carrying over what the user typed, tuning knobs kept on edit).
import { describe, expect, it } from 'vitest';
import type { ServerView } from '../../shared/contract';
import { fieldLabel } from '../../shared/descriptor';
import { dockerDescriptor } from '../../electron/core/providers/docker/descriptor';
import { proxmoxDescriptor } from '../../electron/core/providers/proxmox/descriptor';
import { xenServerDescriptor } from '../../electron/core/providers/xenserver/descriptor';
import { buildDraft, carryOver, formProblems, initialValues, shownFields } from '../../renderer/src/dialogs/server-form/form-values';
import { fieldProblemText } from '../../renderer/src/dialogs/server-form/field-problem-text';
import i18n from '../../renderer/src/i18n';

const extras = { name: '', rememberPassword: true, autoConnect: true };
const keys = (fields: { key: string }[]) => fields.map((f) => f.key);

describe('the server form from a descriptor', () => {
  it('starts from the declared defaults and draws the visible, non-tuning fields', () => {
    const values = initialValues(xenServerDescriptor);
    expect(values).toMatchObject({ host: '', port: '443', username: 'root', password: '' });
    expect(keys(shownFields(xenServerDescriptor, values))).toEqual(['host', 'port', 'username', 'password']);
    const docker = initialValues(dockerDescriptor);
    expect(keys(shownFields(dockerDescriptor, docker))).toEqual(['connection', 'host', 'port', 'certDir']);
    expect(keys(shownFields(dockerDescriptor, { ...docker, connection: 'socket' }))).toEqual(['connection', 'socketPath']);
    expect(keys(shownFields(dockerDescriptor, { ...docker, connection: 'ssh' }))).toEqual(['connection', 'host', 'port', 'privateKeyPath', 'username', 'password']);
  });

  it('labels follow their conditions (Proxmox: the token secret once a token id is set)', () => {
    const password = proxmoxDescriptor.fields.find((f) => f.key === 'password')!;
    expect(fieldLabel(password, { tokenId: 'ci' }, proxmoxDescriptor.fields).en).toBe('API token secret');
    expect(fieldLabel(password, {}, proxmoxDescriptor.fields).en).toBe('Password');
  });

  it('finds the problems of the drawn fields and words them per code, naming the field', () => {
    const values = { ...initialValues(proxmoxDescriptor), port: '70000', realm: '9bad' };
    const problems = formProblems(proxmoxDescriptor, values);
    expect([...problems.keys()]).toEqual(['host', 'port', 'realm']);
    const t = i18n.getFixedT('en');
    const field = (key: string) => proxmoxDescriptor.fields.find((f) => f.key === key)!;
    const text = (key: string, language = 'en') => fieldProblemText(i18n.getFixedT(language), language, field(key), field(key).label[language === 'en' ? 'en' : 'zh-CN'], problems.get(key)!);
    expect(text('host')).toBe('“Address” is required.');
    expect(text('port')).toBe('“Port” must be between 1 and 65535.');
    expect(text('realm')).toBe('“Realm” is not in the expected form: pam (Linux users), pve (Proxmox users), or an AD/LDAP realm.');
    expect(text('port', 'zh-CN')).toBe('“端口”必须在 1 到 65535 之间。');
    expect(t('field.required', { field: 'x' })).toBe('“x” is required.');
    // a server being edited keeps its stored password when the field stays empty
    const editing = { options: {}, hasStoredPassword: true } as unknown as ServerView;
    expect(formProblems(xenServerDescriptor, { ...initialValues(xenServerDescriptor), host: 'h' }, editing).size).toBe(0);
  });

  it('saves hidden fields as declared: Docker over a socket gets its hidden host and no user', () => {
    const values = { ...initialValues(dockerDescriptor), connection: 'socket', socketPath: ' /run/docker.sock ', host: 'typed before' };
    expect(buildDraft(dockerDescriptor, values, extras)).toEqual({
      type: 'docker',
      host: 'localhost',
      username: '',
      rememberPassword: true,
      autoConnect: true,
      options: { connection: 'socket', socketPath: '/run/docker.sock' },
    });
  });

  it('saves visible fields typed, and options as the non-standard keys', () => {
    const values = { ...initialValues(proxmoxDescriptor), host: ' pve1 ', port: '8007', username: 'admin', realm: 'pve', tokenId: '', password: 'pw' };
    const draft = buildDraft(proxmoxDescriptor, values, { ...extras, name: ' Lab ' });
    expect(draft).toMatchObject({ type: 'proxmox', name: 'Lab', host: 'pve1', port: 8007, username: 'admin', password: 'pw', options: { realm: 'pve' } });
  });

  it('an edit keeps the tuning knobs the dialog does not draw, and drops options whose field is hidden now', () => {
    const editing = { type: 'docker', host: 'localhost', port: 2376, username: '', options: { connection: 'socket', socketPath: '/s', tls: false } } as unknown as ServerView;
    const values = { ...initialValues(dockerDescriptor, editing), connection: 'tcp', host: 'engine1', port: '2376' };
    expect(buildDraft(dockerDescriptor, values, extras, editing).options).toEqual({ connection: 'tcp', tls: false });
  });

  it('a new type keeps what the user typed where its form has the same field', () => {
    const typed = { ...initialValues(xenServerDescriptor), host: 'h1', username: 'ops' };
    const next = carryOver(proxmoxDescriptor, typed, new Set(['host', 'username']));
    expect(next).toMatchObject({ host: 'h1', username: 'ops', port: '8006', realm: 'pam' });
  });
});
