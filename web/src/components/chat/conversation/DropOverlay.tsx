import { UploadIcon } from '../icons';

/** Covers the conversation while files are dragged over it. */
export function DropOverlay({ name }: { name: string }) {
  return (
    <div className="drop-zone" data-testid="drop-zone" aria-hidden="true">
      <div className="drop-zone-inner">
        <UploadIcon />
        <p className="drop-zone-title">Drop to send to {name}</p>
        <p className="drop-zone-sub">Files are encrypted on this device before they are uploaded.</p>
      </div>
    </div>
  );
}
