/*
 * The camera's own JPEG data, kept without re-encoding, for a photo that needs no change but the
 * removal of its metadata: baseline, 8-bit, YCbCr or greyscale, already upright, sRGB or untagged,
 * and quantised as finely as a camera's original (KEEP_MIN_QUALITY). Rebuilt from a WHITELIST of markers, so
 * a metadata kind we have never heard of is dropped too, not copied: SOI, DQT, DHT, DRI, SOF0, SOS
 * with its scan data (restart markers included), an Adobe APP14 (it says how the colour is coded)
 * and EOI. Everything else goes: APP0–APP13 and APP15 (JFIF, EXIF with GPS, XMP, ICC, IPTC,
 * maker notes, embedded thumbnails), COM, and whatever follows EOI (MPF second images, gain maps).
 * Any marker this file does not know refuses the copy: the caller re-encodes instead. (Bytes a
 * crafted file hides inside its entropy-coded data or Huffman tables would survive; cameras write
 * their metadata in APPn segments, which all go.)
 */

/** The IJG (JPEG Annex K) tables, to say how finely a file is quantised on the common quality scale. */
const ANNEX_K_LUMA = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22,
  29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103,
  121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const ANNEX_K_CHROMA = [
  17,
  18,
  24,
  47,
  99,
  99,
  99,
  99,
  18,
  21,
  26,
  66,
  99,
  99,
  99,
  99,
  24,
  26,
  56,
  99,
  99,
  99,
  99,
  99,
  47,
  66,
  99,
  99,
  99,
  99,
  99,
  99,
  ...Array<number>(32).fill(99),
];

/** The sum of an Annex K table scaled to an IJG quality (libjpeg's jpeg_quality_scaling). */
function annexKSum(table: number[], quality: number): number {
  const scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
  return table.reduce((sum, q) => sum + Math.min(255, Math.max(1, Math.floor((q * scale + 50) / 100))), 0);
}

/**
 * The quality (on the IJG scale) below which a file is re-encoded rather than kept. Phone and clinic
 * cameras write 85–97; a file coarser than that has been compressed again already (a messaging app's
 * copy, an editor's export at its default 75–80) and is re-encoded at the stored settings (4:4:4,
 * quality 90) like any file we cannot keep.
 */
export const KEEP_MIN_QUALITY = 85;
const MAX_LUMA_SUM = annexKSum(ANNEX_K_LUMA, KEEP_MIN_QUALITY);
const MAX_CHROMA_SUM = annexKSum(ANNEX_K_CHROMA, KEEP_MIN_QUALITY);

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const DQT = 0xdb;
const DHT = 0xc4;
const DRI = 0xdd;
const SOF0 = 0xc0;
const APP14 = 0xee;

/** What keeping the camera's data needs from the file's metadata, read by sharp. */
export interface KeepCheck {
  /** EXIF orientation: a kept copy must be upright already (1 or none). */
  orientation?: number | undefined;
  icc?: Buffer | undefined;
}

/** True for an ICC profile that describes sRGB (its description says so, and it is an RGB profile). */
export function isSrgbProfile(icc: Buffer): boolean {
  if (icc.length < 132 || icc.toString('latin1', 16, 20) !== 'RGB ') return false;
  const tags = icc.readUInt32BE(128);
  for (let i = 0; i < tags && 132 + i * 12 + 12 <= icc.length; i++) {
    const at = 132 + i * 12;
    if (icc.toString('latin1', at, at + 4) !== 'desc') continue;
    const offset = icc.readUInt32BE(at + 4);
    const size = icc.readUInt32BE(at + 8);
    if (offset + size > icc.length) return false;
    const tag = icc.subarray(offset, offset + size);
    // ICC v2 'desc' holds ASCII, v4 'mluc' UTF-16BE: look for "sRGB" in either reading.
    const utf16 = Buffer.from(tag.subarray(0, size & ~1))
      .swap16()
      .toString('utf16le');
    return /sRGB/.test(tag.toString('latin1')) || /sRGB/.test(utf16);
  }
  return false;
}

interface JpegFile {
  /** Each component's id and quantisation table id, from the frame header. */
  components: { id: number; quant: number }[];
  /** Quantisation tables by id, zigzag order. */
  quant: Map<number, Uint8Array>;
  /** The file from its whitelisted markers only, as the camera wrote them. */
  whitelisted: Buffer;
}

/**
 * A baseline, 8-bit, YCbCr or greyscale JPEG read marker by marker, or null for anything else
 * (progressive, arithmetic, 12-bit, CMYK, RGB, an unknown marker, no end of image).
 */
function readJpeg(bytes: Uint8Array): JpegFile | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 4 || b[0] !== 0xff || b[1] !== SOI) return null;
  const parts: Buffer[] = [b.subarray(0, 2)];
  const quant = new Map<number, Uint8Array>();
  let frame: Pick<JpegFile, 'components'> | null = null;
  let adobe: Buffer | null = null;
  let scans = 0;
  let i = 2;
  for (;;) {
    // Fill bytes (0xFF repeated) may precede a marker.
    while (i < b.length && b[i] === 0xff && b[i + 1] === 0xff) i++;
    if (i + 2 > b.length || b[i] !== 0xff) return null;
    const marker = b[i + 1]!;
    if (marker === EOI) {
      parts.push(b.subarray(i, i + 2));
      break; // anything after EOI (MPF images, gain maps, appended data) stays behind
    }
    if (i + 4 > b.length) return null;
    const end = i + 2 + b.readUInt16BE(i + 2);
    if (end > b.length || end < i + 4) return null;
    const segment = b.subarray(i, end);
    const body = segment.subarray(4);
    if (marker === DQT) {
      for (let k = 0; k < body.length; k += 65) {
        if (body[k]! >> 4 !== 0 || k + 65 > body.length) return null; // 16-bit tables: not baseline
        quant.set(body[k]! & 0x0f, body.subarray(k + 1, k + 65));
      }
      parts.push(segment);
    } else if (marker === SOF0) {
      // 8-bit, and a height in the header (0 would mean a DNL marker later: not kept).
      if (frame !== null || body[0] !== 8 || body.length < 6) return null;
      const count = body[5]!;
      if ((count !== 1 && count !== 3) || body.length < 6 + count * 3) return null; // CMYK/YCCK: re-encoded
      if (body.readUInt16BE(1) === 0 || body.readUInt16BE(3) === 0) return null;
      frame = { components: [] };
      for (let c = 0; c < count; c++)
        frame.components.push({ id: body[6 + c * 3]!, quant: body[8 + c * 3]! });
      parts.push(segment);
    } else if (marker === DHT || marker === DRI) {
      parts.push(segment);
    } else if (marker === APP14) {
      if (adobe !== null || segment.toString('latin1', 4, 9) !== 'Adobe' || body.length < 12) return null;
      // Only its colour transform is kept, in a segment of our own: whatever a tool wrote after the
      // twelve bytes of the Adobe header would otherwise be stored with the photo.
      adobe = adobeSegment(segment[15]!);
      parts.push(adobe);
    } else if ((marker >= 0xe0 && marker <= 0xef) || marker === 0xfe) {
      // APPn and COM: metadata, dropped.
    } else if (marker === SOS) {
      if (frame === null) return null;
      const scanEnd = endOfScan(b, end);
      if (scanEnd === null) return null;
      scans++;
      parts.push(b.subarray(i, scanEnd));
      i = scanEnd;
      continue;
    } else {
      return null; // progressive, arithmetic, lossless, 12-bit, DNL, …: not kept as it is
    }
    i = end;
  }
  if (frame === null || scans === 0) return null;
  const transform = adobe ? adobe[15]! : null;
  if (frame.components.length === 3) {
    // Adobe transform 0 means RGB, and component ids R, G, B say RGB too: re-encoded.
    if (transform === 0) return null;
    if (transform === null && frame.components.map((c) => c.id).join() === '82,71,66') return null;
  } else if (transform !== null && transform !== 0) return null;
  // Its own memory, never Node's shared pool (Buffer.concat's for small files): the photo worker
  // hands the stored bytes back by transferring their ArrayBuffer.
  const whitelisted = Buffer.alloc(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => at + p.copy(whitelisted, at), 0);
  return { ...frame, quant, whitelisted };
}

/** An Adobe APP14 segment that says only how the colour is coded (DCTEncodeVersion 100, no flags). */
function adobeSegment(transform: number): Buffer {
  return Buffer.from([
    0xff,
    APP14,
    0x00,
    0x0e,
    0x41,
    0x64,
    0x6f,
    0x62,
    0x65,
    0x00,
    0x64,
    0,
    0,
    0,
    0,
    transform,
  ]);
}

/** Where a scan's entropy-coded data ends: at the first marker that is not a restart (RSTn) or stuffing. */
function endOfScan(b: Buffer, from: number): number | null {
  for (let i = b.indexOf(0xff, from); i >= 0 && i + 1 < b.length; i = b.indexOf(0xff, i + 1)) {
    const next = b[i + 1]!;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) continue;
    return i;
  }
  return null;
}

/** Whether the camera's image data may be stored: sRGB or untagged, and quantised at least as finely as KEEP_MIN_QUALITY. */
function keepsCameraData(file: JpegFile, check: KeepCheck): boolean {
  if (check.icc !== undefined && !isSrgbProfile(check.icc)) return false;
  return file.components.every((c, n) => {
    const table = file.quant.get(c.quant);
    const sum = table?.reduce((a, q) => a + q, 0) ?? Infinity;
    return sum <= (n === 0 ? MAX_LUMA_SUM : MAX_CHROMA_SUM);
  });
}

/**
 * The file rebuilt from the whitelisted markers, byte for byte as the camera wrote them, when it is
 * upright already and its data may be kept; null otherwise (the caller re-encodes it).
 */
export function keptJpeg(bytes: Uint8Array, check: KeepCheck): Buffer | null {
  if (check.orientation !== undefined && check.orientation !== 1) return null;
  const file = readJpeg(bytes);
  return file && keepsCameraData(file, check) ? file.whitelisted : null;
}
