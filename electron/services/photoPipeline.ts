import crypto from 'node:crypto';
import sharp, { type JpegOptions, type Sharp } from 'sharp';
import { MAX_PHOTO_MEGAPIXELS } from '../../contract/domain.js';
import { AppError } from './appError.js';
import { keptJpeg } from './jpegLossless.js';
import { checkPhotoFile, type SourceFormat } from './photoFile.js';

/** Refuse before decoding anything: a clinic photo is never this big, a crafted file may be. */
const MAX_PHOTO_PIXELS = MAX_PHOTO_MEGAPIXELS * 1_000_000;
const THUMB_SIZE = 320;
const PREVIEW_SIZE = 1600;

/**
 * How the full-size copy is encoded when it has to be (see keptJpeg for when it does not). Quality 90
 * with full-resolution colour (4:4:4): erythema, pigment (PIH, melasma) and fine vessels are colour
 * detail, which 4:2:0 halves; ImageMagick's quantisation table (libjpeg table 3, one of mozjpeg's
 * tables for photographs) keeps more detail than the standard table (measured: higher PSNR than the
 * former quality 92 with the standard table). Optimised Huffman coding is off (sharp turns it on by
 * default): it leaves every pixel the same (checked: identical decodes) and saves under 3 % of the
 * file (12 MP phone photo: 5.32 → 5.18 MB), but in sharp's mozjpeg it costs more than the rest of
 * the encode (12 MP: ~100 ms CPU without, ~400 ms with), the largest single cost of an import. No
 * trellis quantisation or progressive scans either: ~15 % smaller, four to five times slower.
 */
export const STORED_JPEG: JpegOptions = {
  quality: 90,
  chromaSubsampling: '4:4:4',
  quantisationTable: 3,
  optimiseCoding: false,
};
/**
 * The preview is what the comparison slider shows side by side: the same colour detail. Without
 * optimised Huffman coding for the same reason (1600 px: 11 ms instead of 30 ms, 10 % larger).
 */
const PREVIEW_JPEG: JpegOptions = { ...STORED_JPEG, quality: 85 };
const THUMB_JPEG: JpegOptions = { quality: 80, optimiseCoding: true };

export interface ProcessedPhoto {
  /** Upright, sRGB JPEG with no metadata at all: what is stored and hashed. */
  full: Buffer;
  thumb: Buffer;
  preview: Buffer;
  sha256: string;
  width: number;
  height: number;
  source: SourceFormat;
  /** When the camera says the photo was taken (EXIF DateTimeOriginal), read before it is stripped. */
  takenAt: string | null;
}

const UNREADABLE = 'This photo file is damaged or incomplete and could not be read. Nothing was saved.';

/** Decodes HEIC/HEIF from phones, which sharp's prebuilt libvips cannot (HEVC), to raw RGBA. */
async function decodeHeic(bytes: Uint8Array): Promise<Sharp> {
  let image;
  try {
    // Loaded on the first HEIC only: the decoder is large, and most photos are JPEG.
    const { default: decodeHeicImage } = await import('heic-decode');
    image = await decodeHeicImage({ buffer: bytes });
  } catch {
    throw new AppError('invalid_input', UNREADABLE, 'file');
  }
  if (image.width * image.height > MAX_PHOTO_PIXELS) throw tooManyPixels();
  return sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: 4 },
  });
}

function tooManyPixels(): AppError {
  return new AppError(
    'invalid_input',
    `This photo has more than ${MAX_PHOTO_PIXELS / 1_000_000} megapixels, more than any clinic camera takes. Nothing was saved.`,
    'file',
  );
}

/** EXIF DateTimeOriginal ("2026:03:02 10:15:00", camera local time) as an ISO string, if present. */
function takenAtFrom(exif: Buffer | undefined): string | null {
  if (!exif) return null;
  const m = /(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(exif.toString('latin1'));
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

interface Pixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

const fromPixels = (p: Pixels) =>
  sharp(p.data, { raw: { width: p.width, height: p.height, channels: p.channels } });

async function shrink(p: Pixels, size: number): Promise<Pixels> {
  const { data, info } = await fromPixels(p)
    .resize(size, size, { fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** The preview shrunk from the given pixels, and the thumbnail from the preview's. */
async function smallerFrom(p: Pixels): Promise<{ preview: Buffer; thumb: Buffer }> {
  return previewAndThumb(await shrink(p, PREVIEW_SIZE));
}

/** Every size from one decode; the full size is encoded alongside the smaller ones (sharp runs each on its own thread). */
async function encodeSizes(p: Pixels): Promise<{ full: Buffer; preview: Buffer; thumb: Buffer }> {
  const [full, smaller] = await Promise.all([fromPixels(p).jpeg(STORED_JPEG).toBuffer(), smallerFrom(p)]);
  return { full, ...smaller };
}

const DECODE_OPTIONS = { failOn: 'truncated', limitInputPixels: MAX_PHOTO_PIXELS } as const;

/** A decoding error as the sentence for the person at the screen. */
function unreadable(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const message = err instanceof Error ? err.message : '';
  if (/pixel limit/i.test(message)) return tooManyPixels();
  return new AppError('invalid_input', UNREADABLE, 'file');
}

/** Decoded, upright, sRGB, flattened on white: the pixels every re-encoded size is made from. */
async function decodeUpright(input: Sharp, resize?: number): Promise<Pixels> {
  let pipeline = input.rotate();
  if (resize) pipeline = pipeline.resize(resize, resize, { fit: 'inside', withoutEnlargement: true });
  const { data, info } = await pipeline
    .toColourspace('srgb')
    .flatten({ background: '#ffffff' })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** The preview and thumbnail from the preview's pixels. */
async function previewAndThumb(preview: Pixels): Promise<{ preview: Buffer; thumb: Buffer }> {
  const [previewJpeg, thumb] = await Promise.all([
    fromPixels(preview).jpeg(PREVIEW_JPEG).toBuffer(),
    shrink(preview, THUMB_SIZE).then((t) => fromPixels(t).jpeg(THUMB_JPEG).toBuffer()),
  ]);
  return { preview: previewJpeg, thumb };
}

/**
 * The privacy pipeline, for a file `checkPhotoFile` accepted: every stored size upright, sRGB and
 * without any metadata (EXIF with GPS, XMP, IPTC, ICC, embedded thumbnails all dropped). A camera
 * JPEG that is upright already keeps its own image data as the full size (keptJpeg: lossless, and
 * no full-size encode), decoded once for the smaller sizes, which also proves it whole. Any other
 * file is decoded once, turned upright, converted to sRGB, and every size re-encoded from those
 * pixels. The stored bytes are hashed to name the file. CPU-heavy: the services run it in a worker
 * (photoWorkers.ts).
 */
export async function processPhotoHere(bytes: Uint8Array): Promise<ProcessedPhoto> {
  const source = checkPhotoFile(bytes);
  let takenAt: string | null;
  let sizes: { full: Buffer; preview: Buffer; thumb: Buffer };
  let width: number;
  let height: number;
  try {
    const input = source === 'heic' ? await decodeHeic(bytes) : sharp(bytes, DECODE_OPTIONS);
    const meta = source === 'heic' ? null : await input.metadata();
    takenAt = takenAtFrom(meta?.exif);
    const kept = source === 'jpeg' && meta ? keptJpeg(bytes, meta) : null;
    if (kept && meta) {
      const preview = await decodeUpright(sharp(kept, DECODE_OPTIONS), PREVIEW_SIZE);
      sizes = { full: kept, ...(await previewAndThumb(preview)) };
      [width, height] = [meta.width, meta.height];
    } else {
      const pixels = await decodeUpright(input);
      sizes = await encodeSizes(pixels);
      [width, height] = [pixels.width, pixels.height];
    }
  } catch (err) {
    throw unreadable(err);
  }
  const sha256 = crypto.createHash('sha256').update(sizes.full).digest('hex');
  return { ...sizes, sha256, width, height, source, takenAt };
}

/** The thumbnail and preview of a stored full-size photo (decoded once). */
export async function smallerSizes(full: Buffer): Promise<{ thumb: Buffer; preview: Buffer }> {
  const { data, info } = await sharp(full).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return smallerFrom({ data, width: info.width, height: info.height, channels: info.channels });
}

/**
 * For a full-size photo arriving from outside the pipeline (an archive bundle): true only for a JPEG
 * that carries no metadata at all, as the pipeline would have stored it.
 */
export async function isCleanStoredPhoto(full: Buffer): Promise<boolean> {
  try {
    const meta = await sharp(full, { failOn: 'truncated', limitInputPixels: MAX_PHOTO_PIXELS }).metadata();
    return (
      meta.format === 'jpeg' &&
      meta.exif === undefined &&
      meta.xmp === undefined &&
      meta.iptc === undefined &&
      meta.icc === undefined &&
      meta.orientation === undefined
    );
  } catch {
    return false;
  }
}
