import type { ReactNode } from 'react';
import { FileKindIcon } from '../icons';
import { formatBytes, type FileKind } from '@onionchat/client';

interface FileRowProps {
  kind: FileKind;
  /** "Image", "PDF", …: what kind of file it is, in words. */
  kindLabel: string;
  /** A short extension for the icon of other files ("BIN"). */
  extension: string | null;
  name: string;
  size: number;
  imageBroken: boolean;
  /** The card's buttons. */
  children: ReactNode;
}

/** The file's icon, name, size and kind, with the card's buttons beside them. */
export function FileRow({ kind, kindLabel, extension, name, size, imageBroken, children }: FileRowProps) {
  return (
    <div className="file-row">
      <span className={`file-icon file-icon-${kind}`} aria-hidden="true">
        <FileKindIcon kind={kind} extension={extension} />
      </span>
      <div className="file-info">
        <p className="file-name" data-testid="file-name" title={name}>
          {name}
        </p>
        <p className="file-sub">
          {formatBytes(size)} · {kindLabel}
          {imageBroken ? ' · can’t be shown' : ''}
        </p>
      </div>
      {children}
    </div>
  );
}
