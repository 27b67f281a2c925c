// The objects an operation acts on, listed (the first dozen), and what it leaves out and why.
import { useTranslation } from 'react-i18next';

const LISTED = 12;

export function TargetList({ intro, names, notes }: { intro?: string; names: string[]; notes?: string[] }) {
  const { t } = useTranslation();
  return (
    <>
      {intro ? <p>{intro}</p> : null}
      {names.length ? (
        <ul className="confirm-targets" data-testid="confirm-targets">
          {names.slice(0, LISTED).map((name, i) => (
            <li key={`${i}-${name}`}>{name}</li>
          ))}
          {names.length > LISTED ? <li className="hint">{t('confirm.andMore', { count: names.length - LISTED })}</li> : null}
        </ul>
      ) : null}
      {(notes ?? []).map((note, i) => (
        <p key={i} className="hint" data-testid="confirm-note">
          {note}
        </p>
      ))}
    </>
  );
}
