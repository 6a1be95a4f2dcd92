import { describeTtl, shortTtl } from '@onionchat/client';

/** The conversation's disappearing timer, small, in its header (nothing while it is off). */
export function TimerMark({ timer }: { timer: number }) {
  if (timer <= 0) return null;
  const label = `Disappearing messages: ${describeTtl(timer)}`;
  return (
    <span className="timer-mark" data-testid="timer-mark" data-timer={timer} title={label}>
      <span aria-hidden="true">⏱ {shortTtl(timer)}</span>
      <span className="visually-hidden">{label}</span>
    </span>
  );
}
