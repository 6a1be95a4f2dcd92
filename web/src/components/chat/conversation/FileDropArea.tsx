'use client';

import { useEffect, useRef, useState, type DragEvent, type ReactNode } from 'react';

interface FileDropAreaProps {
  /** Files may be dropped (the conversation is there to send them to). */
  enabled: boolean;
  onFiles: (files: File[]) => void;
  /** The conversation, told whether files are being dragged over it. */
  children: (dragging: boolean) => ReactNode;
}

/** The conversation's outer box, which takes files dropped onto it. */
export function FileDropArea({ enabled, onFiles, children }: FileDropAreaProps) {
  const [dragging, setDragging] = useState(false);
  const dragDepth = useRef(0);

  // A file dropped anywhere else must not make the browser open it in place of this
  // page (that would lose the keys, which live in memory only).
  useEffect(() => {
    const guard = (event: globalThis.DragEvent) => {
      if (event.defaultPrevented || !carriesFiles(event.dataTransfer)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'none';
    };
    window.addEventListener('dragover', guard);
    window.addEventListener('drop', guard);
    return () => {
      window.removeEventListener('dragover', guard);
      window.removeEventListener('drop', guard);
    };
  }, []);

  const dropZone = {
    onDragEnter: (event: DragEvent<HTMLDivElement>) => {
      if (!carriesFiles(event.dataTransfer) || !enabled) return;
      event.preventDefault();
      dragDepth.current += 1;
      setDragging(true);
    },
    onDragOver: (event: DragEvent<HTMLDivElement>) => {
      if (!carriesFiles(event.dataTransfer) || !enabled) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    },
    onDragLeave: (event: DragEvent<HTMLDivElement>) => {
      if (!carriesFiles(event.dataTransfer)) return;
      dragDepth.current = Math.max(0, dragDepth.current - 1);
      if (dragDepth.current === 0) setDragging(false);
    },
    onDrop: (event: DragEvent<HTMLDivElement>) => {
      if (!carriesFiles(event.dataTransfer)) return;
      event.preventDefault();
      dragDepth.current = 0;
      setDragging(false);
      onFiles([...event.dataTransfer.files]);
    },
  };

  return (
    <div className={dragging ? 'conversation conversation-dragging' : 'conversation'} {...dropZone}>
      {children(dragging)}
    </div>
  );
}

function carriesFiles(transfer: DataTransfer | null): boolean {
  return transfer !== null && [...transfer.types].includes('Files');
}
