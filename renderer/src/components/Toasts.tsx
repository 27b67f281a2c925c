// Errors and results of commands, in a fixed corner over the workspace: they never push
// the layout. Each says what happened in the user's words first, the server's code second.
import { useTranslation } from 'react-i18next';
import { useStore, storeActions } from '../store/store';
import { ErrorDetails } from './ErrorDetails';
import { Glyph } from './Icons';

export function Toasts() {
  const { t } = useTranslation();
  const notices = useStore((s) => s.notices);
  return (
    <div className="toasts" aria-live="polite" data-testid="toasts">
      {notices.map((shown) => {
        const n = shown.say ? { ...shown, ...shown.say(t) } : shown;
        return (
          <div key={n.id} className={`toast ${n.kind === 'error' ? 'bad' : 'info'}`} role={n.kind === 'error' ? 'alert' : 'status'} data-testid="notice">
            <div className="toast-body">
              <div>{n.text}</div>
              {n.lines?.length ? (
                <ul className="toast-lines" data-testid="notice-lines">
                  {n.lines.map((line, i) => (
                    <li key={i}>{line}</li>
                  ))}
                </ul>
              ) : null}
              {n.error ? <ErrorDetails error={n.error} compact /> : null}
            </div>
            <button type="button" className="icon-button" aria-label={t('common.dismiss')} onClick={() => storeActions.dismissNotice(n.id)}>
              <Glyph name="close" />
            </button>
          </div>
        );
      })}
    </div>
  );
}
