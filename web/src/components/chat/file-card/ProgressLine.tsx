import { formatBytes, formatSpeed, formatTimeLeft, type Progress } from '@onionchat/client';

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
  const { done, total, speed, secondsLeft } = progress;
  const percent = total > 0 ? Math.floor((done / total) * 100) : 0;
  const parts = [`${formatBytes(done)} of ${formatBytes(total)}`];
  if (speed !== null && speed > 0 && done < total) parts.push(formatSpeed(speed));
  if (secondsLeft !== null && done < total) parts.push(formatTimeLeft(secondsLeft));
  return (
    <div className="file-progress">
      <progress
        data-testid={testId}
        aria-label={label}
        max={indeterminate ? undefined : Math.max(1, total)}
        value={indeterminate ? undefined : done}
        aria-valuetext={indeterminate ? undefined : `${percent}%`}
      />
      <p className="file-progress-text">
        <span className="file-percent">{indeterminate ? '' : `${percent}%`}</span> {parts.join(' · ')}
      </p>
    </div>
  );
}
