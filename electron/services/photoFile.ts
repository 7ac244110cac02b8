import { MAX_PHOTO_BYTES } from '../../contract/domain.js';
import { AppError } from './appError.js';

/*
 * What a photo file is, told before anything decodes it. Apart from the pipeline (photoPipeline.ts)
 * so that a host checking an upload before handing it to a photo worker does not load sharp.
 */

export type SourceFormat = 'jpeg' | 'png' | 'webp' | 'heic';

/** Tells the format from the file's first bytes, never from its name. */
function sniffFormat(bytes: Uint8Array): SourceFormat | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 32));
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP')
    return 'webp';
  if (b.length >= 12 && b.toString('latin1', 4, 8) === 'ftyp') {
    const brand = b.toString('latin1', 8, 12);
    if (['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'].includes(brand)) return 'heic';
  }
  return null;
}

/** Checks a file before any decoding: size, and a format we read (from its bytes, not its name). */
export function checkPhotoFile(bytes: Uint8Array): SourceFormat {
  if (bytes.byteLength === 0)
    throw new AppError('invalid_input', 'The file is empty. Nothing was saved.', 'file');
  if (bytes.byteLength > MAX_PHOTO_BYTES) {
    throw new AppError(
      'too_large',
      `This file is larger than ${MAX_PHOTO_BYTES / 1024 / 1024} MB, too large for a photo. Nothing was saved.`,
      'file',
    );
  }
  const source = sniffFormat(bytes);
  if (source === null) {
    throw new AppError(
      'invalid_input',
      'This file is not a photo NeedleLog can read. Use JPEG, PNG, WebP or HEIC (iPhone) photos.',
      'file',
    );
  }
  return source;
}
