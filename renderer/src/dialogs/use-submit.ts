// A dialog's submit: runs once at a time (a double click does not send twice; the button
// stays enabled so that it keeps the focus, and says it is busy), keeps the dialog open
// with the core's error on failure.
import { useRef, useState } from 'react';
import { toErrorInfo, type ErrorInfo } from '../../../shared/errors';

export interface Submission {
  busy: boolean;
  error: ErrorInfo | null;
  submit(): void;
  clearError(): void;
}

export function useSubmit(action: () => Promise<void>): Submission {
  const running = useRef(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const submit = () => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setError(null);
    action()
      .catch((e: unknown) => setError(toErrorInfo(e)))
      .finally(() => {
        running.current = false;
        setBusy(false);
      });
  };
  return { busy, error, submit, clearError: () => setError(null) };
}
