/** The OnionChat mark: an onion inside a speech bubble. Inline, so no extra request. */
export function Logo({ size = 32, className }: { size?: number; className?: string }) {
  return (
    <svg className={className} width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <path
        className="logo-bubble"
        d="M8 2h16a6 6 0 0 1 6 6v12a6 6 0 0 1-6 6H13.5l-6.2 4.6A.8.8 0 0 1 6 30v-4.2A6 6 0 0 1 2 20V8a6 6 0 0 1 6-6Z"
      />
      <g className="logo-onion" fill="none" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round">
        <path d="M16 6.2c1.6 2.4 6.6 4.4 6.6 9.1a6.6 6.6 0 0 1-13.2 0c0-4.7 5-6.7 6.6-9.1Z" />
        <path d="M16 10.4c.9 1.5 3.5 2.7 3.5 5.2a3.5 3.5 0 0 1-7 0c0-2.5 2.6-3.7 3.5-5.2Z" />
        <path d="M16 14.2v3.4" />
      </g>
    </svg>
  );
}
