// A LaunchAgent (macOS): launchd starts `run-due` every few minutes while the user
// is logged in; intervals missed while the Mac slept are run once when it wakes.

import { fullArgv, profileTag, xmlText as xml, type RunnerSpec } from './runner-spec';

export function launchdLabel(home: string): string {
  return `org.polyvisor.schedules.${profileTag(home)}`;
}

export function launchdPlist(spec: RunnerSpec): string {
  const label = launchdLabel(spec.home);
  const log = `${spec.home}/schedule-runner.log`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    `  <key>Label</key>`,
    `  <string>${xml(label)}</string>`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...fullArgv(spec).map((a) => `    <string>${xml(a)}</string>`),
    '  </array>',
    '  <key>EnvironmentVariables</key>',
    '  <dict>',
    '    <key>POLYVISOR_HOME</key>',
    `    <string>${xml(spec.home)}</string>`,
    '  </dict>',
    '  <key>StartInterval</key>',
    `  <integer>${spec.intervalMinutes * 60}</integer>`,
    '  <key>RunAtLoad</key>',
    '  <true/>',
    '  <key>ProcessType</key>',
    '  <string>Background</string>',
    '  <key>StandardOutPath</key>',
    `  <string>${xml(log)}</string>`,
    '  <key>StandardErrorPath</key>',
    `  <string>${xml(log)}</string>`,
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}
