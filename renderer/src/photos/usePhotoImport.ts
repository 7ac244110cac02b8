import { useCallback, useEffect, useRef, useState } from 'react';
import type { PhotoKind, PhotoView } from '../../../contract/domain.js';
import type { Photo } from '../../../contract/schemas.js';
import { useImportPhoto } from '../data/photos.js';
import { precheckFile, type ImportItem } from './photoLogic.js';

export interface PhotoImport {
  items: ImportItem[];
  busy: boolean;
  /** Queues files (from the picker, a drop or the camera) under one kind and view. */
  add: (files: readonly { blob: Blob; name: string }[], kind: PhotoKind, view: PhotoView) => void;
  /** Forgets finished rows. */
  clear: () => void;
}

/**
 * Photos sent at once: one per core, which is what the host's pool of photo workers uses (the
 * renderer runs on the same machine). More would only queue there while holding their bytes here.
 */
const IN_FLIGHT = Math.max(1, Math.min(8, navigator.hardwareConcurrency || 2));

/**
 * Imports files a few at a time (IN_FLIGHT): each file's bytes are read only when its turn comes
 * and sent to `photos.import`, so a drop of many large photos never holds the window, and each row
 * shows its own progress. A refused file gets the host's message and the others carry on.
 */
export function usePhotoImport(sessionId: string, onImported: (photo: Photo) => void): PhotoImport {
  const [items, setItems] = useState<ImportItem[]>([]);
  const queue = useRef<ImportItem[]>([]);
  const blobs = useRef(new Map<string, Blob>());
  const running = useRef(0);
  const alive = useRef(true);
  const counter = useRef(0);
  const importedRef = useRef(onImported);
  const importPhoto = useImportPhoto();

  useEffect(() => {
    importedRef.current = onImported;
  }, [onImported]);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const publish = useCallback(() => {
    if (alive.current) setItems([...queue.current]);
  }, []);

  const update = useCallback(
    (key: string, patch: Partial<ImportItem>) => {
      queue.current = queue.current.map((i) => (i.key === key ? { ...i, ...patch } : i));
      publish();
    },
    [publish],
  );

  /** One lane of the import: takes the next waiting file until none is left. */
  const pump = useCallback(async () => {
    if (running.current >= IN_FLIGHT) return;
    running.current += 1;
    try {
      for (;;) {
        if (!alive.current) return;
        const next = queue.current.find((i) => i.status === 'waiting');
        if (!next) return;
        const blob = blobs.current.get(next.key);
        blobs.current.delete(next.key);
        update(next.key, { status: 'importing' });
        const refused = blob ? precheckFile(blob) : 'The file could not be read.';
        if (refused || !blob) {
          update(next.key, { status: 'failed', message: refused });
          continue;
        }
        let data: Uint8Array;
        try {
          data = new Uint8Array(await blob.arrayBuffer());
        } catch {
          update(next.key, {
            status: 'failed',
            message: 'The file could not be read. It may have been moved or is still being copied.',
          });
          continue;
        }
        const reply = await importPhoto({
          sessionId,
          kind: next.kind,
          view: next.view,
          fileName: next.name.slice(0, 255),
          data,
        });
        if (reply.ok) {
          update(next.key, { status: 'done', message: null });
          importedRef.current(reply.value);
        } else {
          update(next.key, { status: 'failed', message: reply.error.message });
        }
      }
    } finally {
      running.current -= 1;
    }
  }, [sessionId, update, importPhoto]);

  const add = useCallback(
    (files: readonly { blob: Blob; name: string }[], kind: PhotoKind, view: PhotoView) => {
      if (files.length === 0) return;
      // A new batch after a finished one starts a fresh list, so the count reads "n of this batch".
      const unfinished = queue.current.some((i) => i.status === 'waiting' || i.status === 'importing');
      if (!unfinished) queue.current = [];
      for (const f of files) {
        counter.current += 1;
        const key = `f${counter.current}`;
        blobs.current.set(key, f.blob);
        queue.current.push({ key, name: f.name || 'Photo', kind, view, status: 'waiting', message: null });
      }
      publish();
      for (let i = 0; i < Math.min(IN_FLIGHT, files.length); i++) void pump();
    },
    [publish, pump],
  );

  const clear = useCallback(() => {
    queue.current = queue.current.filter((i) => i.status === 'waiting' || i.status === 'importing');
    publish();
  }, [publish]);

  const busy = items.some((i) => i.status === 'waiting' || i.status === 'importing');
  return { items, busy, add, clear };
}
