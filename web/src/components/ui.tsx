'use client';

import { useEffect, useState, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';
import type { Feedback } from '@onionchat/client';
import { AlertIcon, SuccessIcon } from './icons';

export type { Feedback, FeedbackTone } from '@onionchat/client';

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'children'> {
  id: string;
  label: string;
  hint?: ReactNode;
  feedback?: Feedback | null;
  invalid?: boolean;
  inputRef?: Ref<HTMLInputElement>;
}

/** A labelled input with an optional hint and a polite live feedback line. */
export function Field({ id, label, hint, feedback, invalid, inputRef, ...input }: FieldProps) {
  const describedBy = [hint ? `${id}-hint` : null, `${id}-feedback`].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      <input
        id={id}
        name={id}
        ref={inputRef}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
      <p id={`${id}-feedback`} className={`feedback feedback-${feedback?.tone ?? 'neutral'}`} aria-live="polite">
        {feedback?.text ?? ''}
      </p>
    </div>
  );
}

/**
 * The page's single error region. Always in the DOM (so screen readers track it);
 * it only takes up room when it has something to say.
 */
export function ErrorAlert({ message, className }: { message: string | null; className?: string }) {
  return (
    <div role="alert" className={className ? `alert ${className}` : 'alert'}>
      {message ? (
        <>
          <AlertIcon />
          <span>{message}</span>
        </>
      ) : null}
    </div>
  );
}

/** Progress and success messages (polite). */
export function StatusMessage({
  message,
  tone = 'progress',
}: {
  message: string | null;
  tone?: 'progress' | 'success';
}) {
  return (
    <p role="status" className={`status status-${tone}`}>
      {message ? (
        <>
          {tone === 'progress' ? <span className="spinner" aria-hidden="true" /> : null}
          {tone === 'success' ? <SuccessIcon /> : null}
          <span>{message}</span>
        </>
      ) : null}
    </p>
  );
}

/** Centred placeholder while the app asks the server who is logged in. */
export function Loading({ label }: { label: string }) {
  return (
    <div className="loading">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

/** Focuses the given field after an error (keeps what was typed). */
export function useFocusOnError(field: string | null, error: string | null, counter: number): void {
  useEffect(() => {
    if (!field || !error) return;
    const element = document.getElementById(field);
    if (element instanceof HTMLInputElement && !element.disabled) element.focus();
  }, [field, error, counter]);
}

/** Re-renders every `ms` milliseconds (for "expires in …" texts). */
export function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
