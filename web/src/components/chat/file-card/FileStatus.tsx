import { FileWarningIcon } from '../icons';

/** The card's status line (polite), marked when something went wrong. */
export function FileStatus({ bad, text }: { bad: boolean; text: string }) {
  return (
    <p className={bad ? 'file-status file-status-bad' : 'file-status'} role="status">
      {bad ? <FileWarningIcon /> : null}
      {text}
    </p>
  );
}
