// The OS timer that runs Polyvisor's own policies while the app is closed: whether it is
// installed, by what (systemd user timer, cron, LaunchAgent, Task Scheduler), the files
// it wrote and the command it runs; install or remove it.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../shared/errors';
import { RUNNER_BUTTONS } from '../commands/layouts';
import { CommandBar } from '../components/CommandBar';
import { ErrorDetails } from '../components/ErrorDetails';
import { useStore } from '../store/store';
import { changeRunner } from './policy-requests';

export function RunnerPanel() {
  const { t } = useTranslation();
  const status = useStore((s) => s.runnerStatus);
  const own = useStore((s) => s.policies.filter((p) => p.runner.kind === 'polyvisor').length);
  const [error, setError] = useState<ErrorInfo | null>(null);
  useEffect(() => {
    changeRunner('read').catch((e: ErrorInfo) => setError(e));
  }, []);
  return (
    <section className="runner-panel" data-testid="runner-panel" data-installed={status?.installed}>
      <h3 className="section-title">{t('schedules.runnerTitle')}</h3>
      <p className="hint">{t('schedules.runnerIntro', { count: own })}</p>
      {error && !status ? <ErrorDetails error={error} compact /> : null}
      {status ? (
        <div data-testid="runner-status">
          <div>
            {status.installed
              ? t('schedules.runnerInstalled', { mechanism: t(`schedules.mechanism.${status.mechanism}`) })
              : t('schedules.runnerNotInstalled', { mechanism: t(`schedules.mechanism.${status.mechanism}`) })}
          </div>
          <div className="hint">
            {t('schedules.runnerCommand')} <span className="mono">{status.command}</span>
          </div>
          {status.files.map((file) => (
            <div key={file} className="hint mono">
              {file}
            </div>
          ))}
        </div>
      ) : null}
      <div className="subtoolbar runner-buttons">
        <CommandBar layout={RUNNER_BUTTONS} testIdPrefix="runner-" />
      </div>
    </section>
  );
}
