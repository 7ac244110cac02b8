import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { keptJpeg, isSrgbProfile } from '../../electron/services/jpegLossless.js';
import { processPhotoHere } from '../../electron/services/photoPipeline.js';
import { AppError } from '../../electron/services/appError.js';
import { jpegAppMarkers, jpegScanData } from '../support/images.js';

/** A noisy picture, so the scan data is a real one. */
async function pixels(width: number, height: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919) % 251;
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

const segment = (marker: number, body: Buffer) => {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
};

/**
 * An upright camera JPEG (quality 92, 4:2:0, sRGB profile) carrying every kind of metadata: EXIF with
 * GPS, XMP, the ICC profile, IPTC (APP13), an APP15 segment, a comment, and a second image after EOI
 * as phones append for MPF and gain maps.
 */
async function cameraOriginal(): Promise<Buffer> {
  const jpeg = await sharp(await pixels(96, 64))
    .withExif({
      IFD0: { Make: 'TestCam', Model: 'GPS-1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' },
    })
    .withIccProfile('srgb')
    .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>Jane Client</dc:creator></x:xmpmeta>')
    .jpeg({ quality: 92 })
    .toBuffer();
  const iptc = segment(
    0xed,
    Buffer.from('Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x0cIPTC Clinic', 'latin1'),
  );
  const app15 = segment(0xef, Buffer.from('VENDOR serial 12345', 'latin1'));
  const comment = segment(0xfe, Buffer.from('Patient: Jane Client', 'latin1'));
  const trailer = await sharp(await pixels(16, 16))
    .jpeg()
    .toBuffer();
  return Buffer.concat([jpeg.subarray(0, 2), iptc, app15, comment, jpeg.subarray(2), trailer]);
}

describe('keeping a camera JPEG as it is', () => {
  it('keeps an Adobe segment only as its colour transform, never what was written after it', async () => {
    const jpeg = await sharp(await pixels(96, 64))
      .jpeg({ quality: 92 })
      .toBuffer();
    const adobe = (extra: string) =>
      segment(
        0xee,
        Buffer.concat([
          Buffer.from('Adobe', 'latin1'),
          Buffer.from([0x00, 0x64, 0x80, 0x00, 0x00, 0x00, 0x01]),
          Buffer.from(extra, 'latin1'),
        ]),
      );
    const withPayload = Buffer.concat([
      jpeg.subarray(0, 2),
      adobe('GPS 51.5074N 0.1278W Jane Client'),
      jpeg.subarray(2),
    ]);
    const kept = keptJpeg(withPayload, await sharp(withPayload).metadata())!;
    expect(kept).not.toBeNull();
    expect(kept.includes(Buffer.from('Jane Client', 'latin1'))).toBe(false);
    expect(kept.includes(Buffer.from('GPS', 'latin1'))).toBe(false);
    // The transform (1: YCbCr) is what decoders need from it, and the pixels are the same.
    const at = kept.indexOf(Buffer.from('Adobe', 'latin1'));
    expect(kept.readUInt16BE(at - 2)).toBe(14);
    expect(kept[at + 11]).toBe(1);
    expect((await sharp(kept).raw().toBuffer()).equals(await sharp(withPayload).raw().toBuffer())).toBe(true);
    // Two Adobe segments: not a camera's file, re-encoded instead.
    const twice = Buffer.concat([jpeg.subarray(0, 2), adobe(''), adobe(''), jpeg.subarray(2)]);
    expect(keptJpeg(twice, await sharp(twice).metadata())).toBeNull();
  });

  it('keeps the scan data byte for byte and drops EXIF, GPS, XMP, ICC, IPTC, APP15, comments and trailing data', async () => {
    const original = await cameraOriginal();
    const before = await sharp(original).metadata();
    expect([before.exif, before.xmp, before.icc, before.iptc].every((m) => m !== undefined)).toBe(true);
    const kept = keptJpeg(original, before)!;
    expect(kept).not.toBeNull();
    expect(jpegScanData(kept).equals(jpegScanData(original))).toBe(true);
    expect(kept.subarray(-2).equals(Buffer.from([0xff, 0xd9]))).toBe(true); // nothing after EOI
    expect(kept.length).toBeLessThan(original.length);
    expect(jpegAppMarkers(kept)).toEqual([]);
    for (const text of ['TestCam', 'Jane Client', 'IPTC Clinic', 'VENDOR', 'Exif', 'http://ns.adobe.com'])
      expect(kept.includes(Buffer.from(text, 'latin1'))).toBe(false);
    expect(kept.includes(Buffer.from([0xff, 0xfe]))).toBe(false);
    const meta = await sharp(kept).metadata();
    expect([meta.exif, meta.xmp, meta.iptc, meta.icc, meta.orientation]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    // The very same pixels, and a whole file.
    const a = await sharp(kept, { failOn: 'truncated' }).raw().toBuffer();
    const b = await sharp(original).raw().toBuffer();
    expect(a.equals(b)).toBe(true);
  });

  it('is what the pipeline stores for such a file, with the smaller sizes made from it', async () => {
    const original = await cameraOriginal();
    const photo = await processPhotoHere(original);
    expect(jpegScanData(photo.full).equals(jpegScanData(original))).toBe(true);
    expect(jpegAppMarkers(photo.full)).toEqual([]);
    expect([photo.width, photo.height]).toEqual([96, 64]);
    for (const small of [photo.preview, photo.thumb]) {
      const m = await sharp(small).metadata();
      expect([m.format, m.exif, m.icc, m.xmp]).toEqual(['jpeg', undefined, undefined, undefined]);
    }
  });

  it('re-encodes anything else: sideways, progressive, CMYK, a display-P3 profile, a re-compressed copy', async () => {
    const source = await pixels(96, 64);
    const upright = await sharp(source).jpeg({ quality: 92 }).toBuffer();
    expect(keptJpeg(upright, {})).not.toBeNull(); // the control: this one is kept
    expect(keptJpeg(upright, { orientation: 6 })).toBeNull();
    expect(keptJpeg(upright, { orientation: 3 })).toBeNull();
    const cases = {
      progressive: await sharp(source).jpeg({ quality: 92, progressive: true }).toBuffer(),
      cmyk: await sharp(source).toColourspace('cmyk').jpeg({ quality: 92 }).toBuffer(),
      p3: await sharp(source).withIccProfile('p3').jpeg({ quality: 92 }).toBuffer(),
      quality80: await sharp(source).jpeg({ quality: 80 }).toBuffer(),
      truncated: upright.subarray(0, Math.floor(upright.length * 0.7)),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      const meta = await sharp(bytes).metadata();
      expect([name, keptJpeg(bytes, meta)]).toEqual([name, null]);
    }
    // The re-encoded path gives the stored settings (4:4:4) for those that decode.
    const stored = await processPhotoHere(cases.p3);
    expect((await sharp(stored.full).metadata()).chromaSubsampling).toBe('4:4:4');
    expect(jpegScanData(stored.full).equals(jpegScanData(cases.p3))).toBe(false);
  });

  it('refuses a truncated camera file with the same sentence, whichever path it would take', async () => {
    const original = await cameraOriginal();
    const cut = original.subarray(0, Math.floor(original.length * 0.6));
    await expect(processPhotoHere(cut)).rejects.toThrow(AppError);
    await expect(processPhotoHere(cut)).rejects.toThrow(/damaged or incomplete/);
  });

  it('tells an sRGB profile from another one', async () => {
    const iccOf = async (profile: string) =>
      (
        await sharp(
          await sharp(await pixels(8, 8))
            .withIccProfile(profile)
            .jpeg()
            .toBuffer(),
        ).metadata()
      ).icc!;
    expect(isSrgbProfile(await iccOf('srgb'))).toBe(true);
    expect(isSrgbProfile(await iccOf('p3'))).toBe(false);
    expect(isSrgbProfile(await iccOf('cmyk'))).toBe(false);
  });
});
