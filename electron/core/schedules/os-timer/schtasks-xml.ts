// A Task Scheduler task (Windows): repeats every few minutes while the user is
// logged on (their token reaches Credential Manager); StartWhenAvailable runs a
// start missed while the computer was off or asleep once, when it can. Task
// Scheduler has no environment setting, so the task starts a small .cmd in the
// profile that sets POLYVISOR_HOME and runs the command.

import { fullArgv, profileTag, xmlText as xml, type RunnerSpec } from './runner-spec';

export function taskName(home: string): string {
  return `\\Polyvisor\\Snapshot policies ${profileTag(home)}`;
}

export const WRAPPER_FILE = 'schedule-runner.cmd';

/** The .cmd the task starts (CRLF line ends, as cmd expects). */
export function taskWrapper(spec: RunnerSpec): string {
  // in a .cmd, % starts a variable: doubled it is a plain %; paths cannot hold a double quote
  const cmdText = (s: string) => s.replace(/%/g, '%%');
  return ['@echo off', `set "POLYVISOR_HOME=${cmdText(spec.home)}"`, fullArgv(spec).map((a) => `"${cmdText(a)}"`).join(' '), ''].join('\r\n');
}

export function taskXml(spec: RunnerSpec, wrapperPath: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-16"?>',
    '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
    '  <RegistrationInfo>',
    `    <Description>Polyvisor: runs the due snapshot policies of ${xml(spec.home)} every ${spec.intervalMinutes} minutes.</Description>`,
    `    <URI>${xml(taskName(spec.home))}</URI>`,
    '  </RegistrationInfo>',
    '  <Triggers>',
    '    <TimeTrigger>',
    '      <Repetition>',
    `        <Interval>PT${spec.intervalMinutes}M</Interval>`,
    '        <StopAtDurationEnd>false</StopAtDurationEnd>',
    '      </Repetition>',
    '      <StartBoundary>2000-01-01T00:00:00</StartBoundary>',
    '      <Enabled>true</Enabled>',
    '    </TimeTrigger>',
    '  </Triggers>',
    '  <Principals>',
    '    <Principal id="Author">',
    '      <LogonType>InteractiveToken</LogonType>',
    '      <RunLevel>LeastPrivilege</RunLevel>',
    '    </Principal>',
    '  </Principals>',
    '  <Settings>',
    '    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>',
    '    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>',
    '    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>',
    '    <StartWhenAvailable>true</StartWhenAvailable>',
    '    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>',
    '    <ExecutionTimeLimit>PT1H</ExecutionTimeLimit>',
    '    <Enabled>true</Enabled>',
    '  </Settings>',
    '  <Actions Context="Author">',
    '    <Exec>',
    `      <Command>${xml(wrapperPath)}</Command>`,
    '    </Exec>',
    '  </Actions>',
    '</Task>',
    '',
  ].join('\r\n');
}

/** Task Scheduler reads a task file in UTF-16 with a byte-order mark. */
export function utf16(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}
