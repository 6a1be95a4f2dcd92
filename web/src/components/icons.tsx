// The inline icons of the pages around the chat (the site header, alerts, the landing
// page), drawn as they always were (no requests, no icon font). The messenger's own are
// in ./chat/icons.tsx, so they travel with its chunk. Decorative icons carry aria-hidden
// and focusable="false"; their text sits beside them.

/** The warning triangle of an error alert. */
export function AlertIcon() {
  return (
    <svg className="alert-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path
        d="M10 2.5 18.5 17h-17L10 2.5Z"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinejoin="round"
      />
      <path d="M10 8v4" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
      <circle cx="10" cy="14.6" r="1" fill="currentColor" />
    </svg>
  );
}

/** The ticked circle of a success message. */
export function SuccessIcon() {
  return (
    <svg className="status-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <circle cx="10" cy="10" r="8" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path
        d="m6.5 10.2 2.4 2.4 4.6-4.9"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/** A padlock: 12 px in conversations, 16 px (thinner stroke) in the site header. */
export function LockIcon({ size = 12, strokeWidth = 1.6 }: { size?: number; strokeWidth?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <rect x="3" y="7" width="10" height="7" rx="1.5" fill="none" stroke="currentColor" strokeWidth={strokeWidth} />
      <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" fill="none" stroke="currentColor" strokeWidth={strokeWidth} />
    </svg>
  );
}

/** The tick of the "Verified" badge. */
export function VerifiedIcon() {
  return (
    <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M3 8.5 6.5 12 13 4.5" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
    </svg>
  );
}

/** The three pictures of the landing page's selling points (inside an aria-hidden span). */
export function PointIcon({ kind }: { kind: 'lock' | 'onion' | 'key' }) {
  return (
    <svg viewBox="0 0 24 24" width="22" height="22" focusable="false">
      <g fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
        {kind === 'lock' ? (
          <>
            <rect x="5" y="10.5" width="14" height="10" rx="2" />
            <path d="M8 10.5V7.5a4 4 0 0 1 8 0v3" />
            <path d="M12 14.5v2.5" />
          </>
        ) : kind === 'onion' ? (
          <>
            <path d="M12 3c1.8 2.8 7 4.8 7 10a7 7 0 0 1-14 0c0-5.2 5.2-7.2 7-10Z" />
            <path d="M12 8c1 1.7 3.6 3 3.6 5.7a3.6 3.6 0 0 1-7.2 0C8.4 11 11 9.7 12 8Z" />
          </>
        ) : (
          <>
            <circle cx="8" cy="15" r="4.5" />
            <path d="m11.2 11.8 8.3-8.3M16.5 6.5l2.5 2.5M14 9l2 2" />
          </>
        )}
      </g>
    </svg>
  );
}
