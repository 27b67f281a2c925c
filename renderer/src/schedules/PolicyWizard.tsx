// The policy wizard, in the spirit of XenCenter's VM snapshot schedule wizard: name,
// members, snapshot type, schedule and retention, then a summary. Each page checks its
// fields before Next; Finish checks them all, and a refusal from the core is shown on
// the field it names (its page opened).
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toErrorInfo, type ErrorInfo } from '../../../shared/errors';
import { ErrorDetails } from '../components/ErrorDetails';
import { Dialog } from '../dialogs/Dialog';
import { errorField } from '../dialogs/error-field';
import { WizardFooter, WizardSteps } from '../dialogs/WizardParts';
import { useSubmit } from '../dialogs/use-submit';
import { storeActions, useStore } from '../store/store';
import { MembersStep } from './MembersStep';
import { FinishStep, NameStep } from './NameAndFinishSteps';
import { createPolicy, runPolicyNow, updatePolicy } from './policy-requests';
import { draftProblems, membersOf, retainMax, runnerOf, wizardFieldOf, type DraftProblems, type WizardField } from './policy-rules';
import { policyActions } from './policy-state';
import { ScheduleStep } from './ScheduleStep';
import { TypeStep } from './TypeStep';
import { draftOf, newDraft, policyChangesOf, policyDraftOf, zoneFor, type StepProps, type WizardDraft } from './wizard-draft';

const STEPS = ['name', 'members', 'type', 'schedule', 'finish'] as const;
type Step = (typeof STEPS)[number];

const STEP_OF: Record<WizardField, Step> = { name: 'name', description: 'name', members: 'members', type: 'type', days: 'schedule', retain: 'schedule', schedule: 'schedule' };

export function PolicyWizard({ editId, members }: { editId?: string; members?: string[] }) {
  const { t, i18n } = useTranslation();
  const editing = useStore((s) => (editId ? s.policies.find((p) => p.id === editId) : undefined));
  const policies = useStore((s) => s.policies);
  const [draft, setDraft] = useState<WizardDraft>(() => (editing ? draftOf(editing) : newDraft(members)));
  const [step, setStep] = useState<Step>('name');
  const [shown, setShown] = useState<ReadonlySet<Step>>(new Set());
  const [runNow, setRunNow] = useState(false);
  const index = useStore((s) => s.index);
  const servers = useStore((s) => s.servers);
  const info = useStore((s) => s.info);
  const memberInfo = useMemo(() => membersOf({ index, servers, info }, draft.members), [index, servers, info, draft.members]);
  const runner = runnerOf(draft, memberInfo, editing?.runner);
  const max = useStore((s) => retainMax(runner, s));
  const problems = draftProblems(draft, { members: memberInfo, runner, retainMax: max, t, language: i18n.language });
  const zone = editing?.timeZone ?? zoneFor(runner, policies);

  const submission = useSubmit(async () => {
    try {
      const policy = editing ? await updatePolicy(editing.id, policyChangesOf(draft)) : await createPolicy(policyDraftOf(draft, runner));
      policyActions.selectPolicy(policy.id);
      storeActions.closeDialog();
      if (runNow) runPolicyNow(policy.id).catch((e: ErrorInfo) => storeActions.notify(e, t('schedules.runNowFailed', { name: policy.name })));
    } catch (e) {
      // the core's refusal names a field: open its page
      const field = wizardFieldOf(errorField(toErrorInfo(e)));
      if (field) setStep(STEP_OF[field]);
      throw e;
    }
  });
  const coreField = wizardFieldOf(errorField(submission.error));
  const allProblems: DraftProblems = coreField && submission.error ? { ...problems, [coreField]: submission.error.message } : problems;
  const visible = Object.fromEntries(Object.entries(allProblems).filter(([field]) => shown.has(STEP_OF[field as WizardField]) || field === coreField)) as DraftProblems;

  if (editId && !editing) return null;
  const at = STEPS.indexOf(step);
  const stepProblems = (s: Step) => Object.keys(problems).filter((field) => STEP_OF[field as WizardField] === s);
  const change = (changes: Partial<WizardDraft>) => {
    submission.clearError();
    setDraft((d) => ({ ...d, ...changes }));
  };
  const next = () => {
    setShown(new Set([...shown, step]));
    if (stepProblems(step).length === 0) setStep(STEPS[at + 1]);
  };
  const finish = () => {
    setShown(new Set(STEPS));
    const first = STEPS.find((s) => stepProblems(s).length > 0);
    if (first) setStep(first);
    else submission.submit();
  };
  const go = (target: Step) => {
    setShown(new Set([...shown, step]));
    setStep(target);
  };

  const props: StepProps = { draft, change, problems: visible };
  const last = step === 'finish';
  return (
    <Dialog
      title={editing ? t('policyWizard.editTitle', { name: editing.name }) : t('policyWizard.title')}
      testId="policy-wizard"
      wide
      onCancel={storeActions.closeDialog}
      onSubmit={last ? finish : next}
      footer={<WizardFooter first={at === 0} last={last} onBack={() => setStep(STEPS[at - 1])} finishLabel={editing ? t('common.save') : t('policyWizard.create')} busy={submission.busy} />}
    >
      <div className="wizard">
        <WizardSteps
          steps={STEPS}
          current={step}
          label={t('policyWizard.stepsLabel')}
          name={(s) => t(`policyWizard.step.${s}`)}
          invalid={(s) => shown.has(s) && stepProblems(s).length > 0}
          onGo={go}
        />
        <div className="wizard-page" data-testid={`wizard-page-${step}`}>
          {submission.error && !coreField ? <ErrorDetails error={submission.error} /> : null}
          {step === 'name' ? <NameStep {...props} /> : null}
          {step === 'members' ? <MembersStep {...props} members={memberInfo} runner={runner} fixedRunner={editing?.runner} /> : null}
          {step === 'type' ? <TypeStep {...props} members={memberInfo} /> : null}
          {step === 'schedule' ? <ScheduleStep {...props} runner={runner} zone={zone} retainMax={max} /> : null}
          {step === 'finish' ? <FinishStep {...props} runner={runner} zone={zone} members={memberInfo} runNow={editing ? undefined : { value: runNow, set: setRunNow }} /> : null}
        </div>
      </div>
    </Dialog>
  );
}
