import { type FileKind } from '@onionchat/client';
// The messenger's inline icons, drawn as they always were (no requests, no icon font);
// in its chunk, not in every page's first load (the others are in ../icons.tsx).
// Decorative icons carry aria-hidden and focusable="false"; their text sits beside them.

/** A chevron pointing left (back to the list of conversations). */
export function BackIcon() {
  return (
    <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
      <path
        d="M12.5 4 6.5 10l6 6"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/** Three dots in a column (a menu of options). */
export function MoreIcon() {
  return (
    <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
      <circle cx="10" cy="4.5" r="1.6" fill="currentColor" />
      <circle cx="10" cy="10" r="1.6" fill="currentColor" />
      <circle cx="10" cy="15.5" r="1.6" fill="currentColor" />
    </svg>
  );
}

/** An arrow up out of a tray; the drop zone around it is aria-hidden as a whole. */
export function UploadIcon() {
  return (
    <svg viewBox="0 0 24 24" width="40" height="40" focusable="false">
      <path
        d="M12 16V4m0 0L7 9m5-5 5 5M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/** A paperclip. */
export function AttachIcon() {
  return (
    <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
      <path
        d="m16.5 9.5-6.6 6.6a4.2 4.2 0 0 1-6-6l7-7a2.8 2.8 0 0 1 4 4l-7 7a1.4 1.4 0 0 1-2-2l6.5-6.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.7"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/** A paper plane. */
export function SendIcon() {
  return (
    <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
      <path d="M3 10 17 3.5 12.5 17l-2.3-5.2L3 10Z" fill="currentColor" />
    </svg>
  );
}

/** The tick of a sent message. */
export function SentIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path
        d="m3 8.5 3 3 7-7"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/** A clock: the message is on its way. */
export function PendingIcon() {
  return (
    <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d="M8 4.5V8l2.3 1.5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
    </svg>
  );
}

/** An arrow down onto a line. */
export function DownloadIcon() {
  return (
    <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true" focusable="false">
      <path
        d="M10 3v9m0 0-3.5-3.5M10 12l3.5-3.5M4 15.5h12"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/** The warning triangle of a file card's status line. */
export function FileWarningIcon() {
  return (
    <svg className="file-status-icon" viewBox="0 0 20 20" width="15" height="15" aria-hidden="true" focusable="false">
      <path
        d="M10 2.5 18.5 17h-17L10 2.5Z"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinejoin="round"
      />
      <path d="M10 8v4.2M10 14.6v.1" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  );
}

/** A sheet of paper marked with its kind (or, for other files, a short extension). */
export function FileKindIcon({ kind, extension }: { kind: FileKind; extension: string | null }) {
  return (
    <svg viewBox="0 0 32 40" width="32" height="40" focusable="false">
      <path d="M4 2h16l8 8v26a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2Z" className="file-icon-sheet" />
      <path d="M20 2v6a2 2 0 0 0 2 2h6" className="file-icon-fold" />
      {kind === 'image' ? (
        <>
          <circle cx="11" cy="18" r="2.5" className="file-icon-mark" />
          <path d="m6 31 6-7 4 4 3-3 7 6Z" className="file-icon-mark" />
        </>
      ) : kind === 'video' ? (
        <path d="M12 18v12l10-6Z" className="file-icon-mark" />
      ) : kind === 'audio' ? (
        <path d="M13 29a3 3 0 1 1-2-2.8V17l10-2v11a3 3 0 1 1-2-2.8V18l-6 1.2Z" className="file-icon-mark" />
      ) : kind === 'archive' ? (
        <path d="M13 14h3v3h-3Zm3 3h3v3h-3Zm-3 3h3v3h-3Zm3 3h3v3h-3Zm-3 3h6v5h-6Z" className="file-icon-mark" />
      ) : kind === 'pdf' ? (
        <text x="16" y="30" textAnchor="middle" className="file-icon-label">
          PDF
        </text>
      ) : kind === 'text' || kind === 'document' ? (
        <path d="M8 17h16M8 22h16M8 27h16M8 32h10" className="file-icon-lines" />
      ) : extension ? (
        <text x="16" y="30" textAnchor="middle" className="file-icon-label">
          {extension}
        </text>
      ) : null}
    </svg>
  );
}
