// `polyvisor schedule …` and `snapshot rename|clone` from argv (pure: every usage
// error is INVALID_INPUT before anything connects), and their text output.

import { describe, expect, it } from 'vitest';
import { parseCommand as parseWith, usageText } from '../../electron/cli/args';
import { describeFrequency, formatPolicies, formatRun, formatRunnerStatus } from '../../electron/cli/schedule-format';
import { builtinProviders } from '../../electron/core/providers/builtin';
import type { PolicyRun, SnapshotPolicy } from '../../shared/schedules';

const descriptors = builtinProviders.map((p) => p.descriptor);
const parse = (argv: string[]) => parseWith(argv, descriptors);
const none = { kind: 'none' };

function refused(argv: string[], message: RegExp): void {
  let error: unknown;
  try {
    parse(argv);
  } catch (e) {
    error = e;
  }
  expect(error, argv.join(' ')).toMatchObject({ info: { code: 'INVALID_INPUT' } });
  expect((error as Error).message).toMatch(message);
}

describe('schedule create', () => {
  const base = ['schedule', 'create', '--name', 'Nightly', '--vm', 'web-1', '--vm', 'db 2', '--type', 'disk', '--keep', '7'];

  it('hourly at a minute (0 when not given), daily at a time, weekly on days', () => {
    expect(parse([...base, '--every', 'hourly', '--minute', '15'])).toEqual({
      name: 'schedule create',
      fields: { policyName: 'Nightly', vms: ['web-1', 'db 2'], type: 'disk', keep: 7, enabled: true, frequency: { every: 'hourly', minute: 15 } },
      runner: undefined,
      server: undefined,
      password: none,
    });
    expect(parse([...base, '--every', 'hourly'])).toMatchObject({ fields: { frequency: { every: 'hourly', minute: 0 } } });
    expect(parse([...base, '--every', 'daily', '--at', '2:30'])).toMatchObject({ fields: { frequency: { every: 'daily', hour: 2, minute: 30 } } });
    expect(parse([...base, '--every', 'weekly', '--days', 'Mon,thursday', '--at', '23:05'])).toMatchObject({
      fields: { frequency: { every: 'weekly', days: ['mon', 'thu'], hour: 23, minute: 5 } },
    });
  });

  it('takes a description, a zone, disabled, the runner and the connect options', () => {
    expect(
      parse([...base, '--every', 'daily', '--at', '01:00', '--description', 'd', '--time-zone', 'Asia/Shanghai', '--disabled', '--runner', 'polyvisor', '--server', 'lab', '--password-env', 'PW']),
    ).toMatchObject({
      fields: { description: 'd', timeZone: 'Asia/Shanghai', enabled: false },
      runner: 'polyvisor',
      server: 'lab',
      password: { kind: 'env', variable: 'PW' },
    });
  });

  it.each([
    [['schedule', 'create', '--vm', 'a', '--type', 'disk', '--keep', '1', '--every', 'hourly'], /--name is required/],
    [['schedule', 'create', '--name', 'n', '--type', 'disk', '--keep', '1', '--every', 'hourly'], /--vm is required/],
    [[...base], /--every is required/],
    [[...base.slice(0, -2), '--every', 'hourly'], /--keep is required/],
    [[...base, '--every', 'hourly', '--type', 'memory', '--keep', '0'], /--keep must be a whole number from 1 to 1000/],
    [[...base, '--every', 'monthly'], /--every must be hourly, daily or weekly/],
    [[...base, '--every', 'daily'], /--at needs a time of day as HH:MM/],
    [[...base, '--every', 'daily', '--at', '24:00'], /not "24:00"/],
    [[...base, '--every', 'hourly', '--minute', '60'], /--minute must be a whole number from 0 to 59/],
    [[...base, '--every', 'hourly', '--at', '02:00'], /--every hourly takes --minute/],
    [[...base, '--every', 'weekly', '--at', '02:00'], /needs --days/],
    [[...base, '--every', 'weekly', '--at', '02:00', '--days', 'mon,funday'], /--days takes mon,tue/],
    [[...base, '--every', 'weekly', '--at', '02:00', '--days', 'mon,monday'], /lists a day twice/],
    [[...base, '--minute', '5'], /go with --every/],
    [[...base, '--every', 'hourly', '--type', 'snapshot'], /--type must be disk, memory or quiesce/],
    [[...base, '--every', 'hourly', '--runner', 'cron'], /--runner must be server or polyvisor/],
    [[...base, '--every', 'hourly', '--enabled', '--disabled'], /not both/],
    [[...base, '--every', 'hourly', '--password', 'x'], /never taken on the command line/],
  ])('refuses %j', (argv, message) => refused(argv, message));
});

describe('the other schedule commands', () => {
  it.each([
    [['schedule', 'list'], { name: 'schedule list', json: false, password: none }],
    [['schedule', 'list', '--json', '--server', 'lab'], { name: 'schedule list', json: true, server: 'lab' }],
    [['schedule', 'edit', 'Nightly', '--keep', '3', '--every', 'hourly', '--minute', '5'], { name: 'schedule edit', policy: 'Nightly', fields: { keep: 3, frequency: { every: 'hourly', minute: 5 } } }],
    [['schedule', 'edit', 'p', '--vm', 'a', '--vm', 'b', '--name', 'renamed'], { name: 'schedule edit', fields: { vms: ['a', 'b'], policyName: 'renamed' } }],
    [['schedule', 'enable', 'p'], { name: 'schedule enable', policy: 'p' }],
    [['schedule', 'disable', 'polyvisor:1234'], { name: 'schedule disable', policy: 'polyvisor:1234' }],
    [['schedule', 'delete', 'p'], { name: 'schedule delete', policy: 'p', deleteSnapshots: false }],
    [['schedule', 'delete', 'p', '--delete-snapshots'], { name: 'schedule delete', deleteSnapshots: true }],
    [['schedule', 'run-now', 'p'], { name: 'schedule run-now', policy: 'p' }],
    [['schedule', 'history', 'p', '--json'], { name: 'schedule history', policy: 'p', json: true }],
    [['schedule', 'run-due'], { name: 'schedule run-due' }],
    [['schedule', 'install'], { name: 'schedule install' }],
    [['schedule', 'uninstall'], { name: 'schedule uninstall' }],
    [['schedule', 'status'], { name: 'schedule status' }],
  ])('%j', (argv, expected) => {
    expect(parse(argv)).toMatchObject(expected);
  });

  it('edit without fields does not leave enabled as a change', () => {
    expect(parse(['schedule', 'edit', 'p', '--keep', '2'])).toEqual({ name: 'schedule edit', policy: 'p', fields: { keep: 2 }, server: undefined, password: none });
  });

  it.each([
    [['schedule'], /expected list, create/],
    [['schedule', 'pause', 'p'], /Unknown command "schedule pause"/],
    [['schedule', 'edit', 'p'], /nothing to change/],
    [['schedule', 'enable'], /Expected 1 argument/],
    [['schedule', 'run-due', 'now'], /Unexpected argument/],
    [['schedule', 'history', 'a', 'b'], /Expected 1 argument/],
    [['schedule', 'delete', 'p', '--force'], /Unknown option/],
  ])('refuses %j', (argv, message) => refused(argv, message));
});

describe('snapshot rename and clone', () => {
  it('parses them', () => {
    expect(parse(['snapshot', 'rename', 'before-upgrade', '--name', 'after', '--description', 'kept', '--vm', 'web'])).toMatchObject({
      name: 'snapshot rename',
      snapshot: 'before-upgrade',
      newName: 'after',
      description: 'kept',
      vm: 'web',
    });
    expect(parse(['snapshot', 'rename', 's', '--description', 'only this'])).toMatchObject({ newName: undefined, description: 'only this' });
    expect(parse(['snapshot', 'clone', 's', '--name', 'web-copy'])).toMatchObject({ name: 'snapshot clone', snapshot: 's', newName: 'web-copy' });
  });

  it.each([
    [['snapshot', 'rename', 's'], /give --name N, --description D or both/],
    [['snapshot', 'rename', 's', '--name', ' '], /must not be empty/],
    [['snapshot', 'clone', 's'], /--name is required/],
    [['snapshot', 'clone', '--name', 'x'], /Expected 1 argument/],
  ])('refuses %j', (argv, message) => refused(argv, message));

  it('the usage lists every schedule command and the new snapshot commands', () => {
    const text = usageText(descriptors);
    for (const sub of ['list', 'create', 'edit', 'enable', 'disable', 'delete', 'run-now', 'history', 'run-due', 'install', 'uninstall']) expect(text).toContain(`schedule ${sub}`);
    expect(text).toContain('snapshot rename <snapshot> --name N');
    expect(text).toContain('snapshot clone <snapshot> --name N');
  });
});

describe('text output', () => {
  const policy: SnapshotPolicy = {
    id: 'polyvisor:1',
    runner: { kind: 'polyvisor' },
    name: 'Nightly',
    description: '',
    type: 'disk',
    frequency: { every: 'weekly', days: ['mon', 'fri'], hour: 2, minute: 5 },
    timeZone: 'Europe/Berlin',
    retain: 3,
    enabled: true,
    members: ['a', 'b'],
    nextRun: '2025-01-06T01:05:00.000Z',
    lastRun: { at: '2025-01-03T01:05:09.000Z', outcome: 'partial' },
  };

  it('frequencies in words', () => {
    expect(describeFrequency({ every: 'hourly', minute: 7 })).toBe('hourly at :07');
    expect(describeFrequency({ every: 'daily', hour: 2, minute: 30 })).toBe('daily at 02:30');
    expect(describeFrequency(policy.frequency)).toBe('weekly mon,fri at 02:05');
  });

  it('a policy table row with who runs it, zone, retention, next and last run', () => {
    const [header, row] = formatPolicies([policy], []).split('\n');
    expect(header).toMatch(/^ID +NAME +RUN BY +TYPE +EVERY +KEEP +ENABLED +NEXT RUN +LAST RUN +VMS$/);
    expect(row.split(/ {2,}/)).toEqual(['polyvisor:1', 'Nightly', 'this computer', 'disk', 'weekly mon,fri at 02:05 (Europe/Berlin)', '3', 'yes', '2025-01-06T01:05:00.000Z', '2025-01-03T01:05:09.000Z partial', '2']);
  });

  it('a run with what each VM got: taken, deleted, failed with the server code', () => {
    const run: PolicyRun = {
      id: 'r',
      policyId: 'polyvisor:1',
      policyName: 'Nightly',
      trigger: 'catch-up',
      startedAt: '2025-01-03T01:05:00.000Z',
      finishedAt: '2025-01-03T01:05:09.000Z',
      outcome: 'partial',
      items: [
        { nodeId: 'a', name: 'web', created: 's:snapshot:9', pruned: ['old-1', 'old-2'] },
        { nodeId: 'b', name: 'db', pruned: [], error: { code: 'SERVER_ERROR', serverCode: '404', message: 'No such container' } },
      ],
    };
    expect(formatRun(run).split('\n')).toEqual([
      '2025-01-03T01:05:00.000Z  catch-up  partial  (finished 2025-01-03T01:05:09.000Z)',
      '  web: took s:snapshot:9 deleted old-1, old-2',
      '  db: failed: SERVER_ERROR 404: No such container',
    ]);
  });

  it('the OS timer status', () => {
    expect(formatRunnerStatus({ mechanism: 'systemd', installed: true, files: ['/u/a.service'], command: 'POLYVISOR_HOME=/p node x schedule run-due' })).toBe(
      'OS timer: systemd, installed\nRuns: POLYVISOR_HOME=/p node x schedule run-due\nFiles:\n  /u/a.service',
    );
  });
});
