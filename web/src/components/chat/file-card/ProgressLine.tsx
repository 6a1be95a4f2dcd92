import { percentDone, progressDetail, type Progress } from '@onionchat/client';

/** A transfer's progress bar, with bytes done, speed and time left. */
export function ProgressLine({
  testId,
  label,
  progress,
  indeterminate,
}: {
  testId: string;
  label: string;
  progress: Progress;
  indeterminate: boolean;
}) {
  const { done, total } = progress;
  const percent = percentDone(progress);
  return (
    <div className="file-progress">
      <progress
        data-testid={testId}
        aria-label={label}
        max={indeterminate ? undefined : Math.max(1, total)}
        value={indeterminate ? undefined : done}
        aria-valuetext={indeterminate ? undefined : percent}
      />
      <p className="file-progress-text">
        <span className="file-percent">{indeterminate ? '' : percent}</span> {progressDetail(progress)}
      </p>
    </div>
  );
}
