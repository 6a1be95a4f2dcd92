// A group's picture, made small in the browser before it is sealed: cropped to a
// square, drawn on a canvas and re-encoded as a JPEG data URL within the protocol's
// limit. Re-encoding also drops whatever the file carried besides the pixels (a photo's
// place and time, its camera). Nothing leaves the page.

import { GROUP_PICTURE_MAX_CHARS } from '@onionchat/client';

/** Tried in turn until the data URL fits. */
const SIDES = [256, 192, 144, 96, 64];
const QUALITIES = [0.85, 0.7, 0.55];
/** Larger files are refused before they are decoded (a picture of a group needs far less). */
export const PICTURE_FILE_MAX_BYTES = 20 * 1024 * 1024;

export class PictureError extends Error {}

/**
 * Tor Browser hands a page that reads a canvas back a blank one unless the person allows
 * it (the prompt it shows in the address bar): a white square is that, not a picture.
 */
const BLANK =
  'The resized picture came out blank. Tor Browser does this unless you allow this site to read the picture it drew (the prompt by the address bar); allow it and choose the picture again, or make the group without one.';

function blank(context: CanvasRenderingContext2D, side: number): boolean {
  const { data } = context.getImageData(0, 0, side, side);
  for (let i = 0; i < data.length; i += 1) if (data[i] !== 255) return false;
  return true;
}

/** The file as a small square JPEG data URL; rejects with a PictureError (a sentence). */
export async function pictureFromFile(file: File, maxChars = GROUP_PICTURE_MAX_CHARS): Promise<string> {
  if (!file.type.startsWith('image/')) throw new PictureError('Choose a picture (a PNG, JPEG, GIF or WebP image).');
  if (file.size > PICTURE_FILE_MAX_BYTES) throw new PictureError('That picture is too large. Choose one under 20 MB.');
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new PictureError('That picture could not be read. Try another one.');
  }
  try {
    const side = Math.min(bitmap.width, bitmap.height);
    if (side < 1) throw new PictureError('That picture is empty. Try another one.');
    for (const size of SIDES) {
      const canvas = document.createElement('canvas');
      const target = Math.min(size, side);
      canvas.width = target;
      canvas.height = target;
      const context = canvas.getContext('2d');
      if (!context) throw new PictureError('This browser cannot resize pictures here.');
      // A white ground for transparent pictures (JPEG has no transparency).
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, target, target);
      context.imageSmoothingQuality = 'high';
      const sx = (bitmap.width - side) / 2;
      const sy = (bitmap.height - side) / 2;
      context.drawImage(bitmap, sx, sy, side, side, 0, 0, target, target);
      if (blank(context, target)) throw new PictureError(BLANK);
      for (const quality of QUALITIES) {
        const url = canvas.toDataURL('image/jpeg', quality);
        if (url.startsWith('data:image/jpeg;base64,') && url.length <= maxChars) return url;
      }
    }
  } finally {
    bitmap.close();
  }
  throw new PictureError('That picture could not be made small enough. Try a simpler one.');
}
