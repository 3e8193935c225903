import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../api/errors.ts';

/**
 * A list or page that could not load: what went wrong in the user's words and a retry, so a server that is
 * down for a moment costs one click, not a reload that may lose a half-written reply elsewhere on the page.
 */
export function LoadError({
  error,
  onRetry,
  isRetrying,
}: {
  error: unknown;
  onRetry: () => void;
  isRetrying?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      message={describeError(error, t)}
      action={
        <Button size="small" onClick={onRetry} loading={isRetrying}>
          {t('app.retry')}
        </Button>
      }
    />
  );
}
