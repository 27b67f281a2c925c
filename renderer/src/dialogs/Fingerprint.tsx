// A certificate fingerprint that wraps only between bytes ("AB:CD:…", never inside "AB"),
// with a button that copies it whole.
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toErrorInfo } from '../../../shared/errors';
import { ErrorDetails } from '../components/ErrorDetails';
import type { ErrorInfo } from '../../../shared/errors';

export function Fingerprint({ value, testId }: { value: string; testId: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const [copyError, setCopyError] = useState<ErrorInfo | null>(null);
  const bytes = value.split(':');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setCopyError(null);
    } catch (e) {
      setCopyError(toErrorInfo(e));
    }
  };
  return (
    <div className="fingerprint">
      <span className="fingerprint-bytes" data-testid={testId}>
        {bytes.map((b, i) => (
          <Fragment key={i}>
            {i < bytes.length - 1 ? `${b}:` : b}
            {i < bytes.length - 1 ? <wbr /> : null}
          </Fragment>
        ))}
      </span>
      <button type="button" className="fingerprint-copy" data-testid={`${testId}-copy`} onClick={() => void copy()}>
        {copied ? t('cert.copied') : t('cert.copy')}
      </button>
      {copyError ? <ErrorDetails error={copyError} compact /> : null}
    </div>
  );
}
