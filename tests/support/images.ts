import sharp from 'sharp';

/**
 * A landscape test picture (200×100) whose top-left quadrant is red and the rest blue, written
 * as a camera would: stored sideways with an EXIF orientation flag of 6 (turn 90° clockwise to
 * view), camera make and model, GPS position, capture time and an XMP packet.
 */
export async function sidewaysJpegWithGps(): Promise<Buffer> {
  const w = 200;
  const h = 100;
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const red = x < w / 2 && y < h / 2;
      raw.set(red ? [230, 20, 20] : [20, 20, 200], (y * w + x) * 3);
    }
  }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .withExif({
      IFD0: { Make: 'TestCam', Model: 'GPS-1' },
      IFD2: { DateTimeOriginal: '2026:03:02 10:15:00' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 30/1 0/1',
        GPSLongitudeRef: 'W',
        GPSLongitude: '0/1 7/1 0/1',
      },
    })
    .withMetadata({ orientation: 6 })
    .withXmp(
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
        '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Jane Client</dc:creator>' +
        '</rdf:Description></rdf:RDF></x:xmpmeta>',
    )
    .jpeg({ quality: 95 })
    .toBuffer();
}

/** A plain synthetic photo (no metadata) of the given size, with a seed-dependent colour. */
export function plainJpeg(width: number, height: number, seed = 1): Promise<Buffer> {
  return sharp({
    create: {
      width,
      height,
      channels: 3,
      background: { r: (seed * 53) % 256, g: (seed * 97) % 256, b: 140 },
    },
  })
    .jpeg()
    .toBuffer();
}

/** The APPn segment markers of a JPEG (0xE0…0xEF), read up to the start of the image data. */
export function jpegAppMarkers(jpeg: Buffer): number[] {
  const markers: number[] = [];
  let i = 2; // after SOI
  while (i + 4 <= jpeg.length && jpeg[i] === 0xff) {
    const marker = jpeg[i + 1] as number;
    if (marker === 0xda) break; // start of scan
    if (marker >= 0xe0 && marker <= 0xef) markers.push(marker);
    i += 2 + jpeg.readUInt16BE(i + 2);
  }
  return markers;
}

/** The bytes from a JPEG's first SOS marker to its EOI: the image data itself (no 0xFFD9 inside it). */
export function jpegScanData(jpeg: Buffer): Buffer {
  let i = 2;
  while (jpeg[i + 1] !== 0xda) i += 2 + jpeg.readUInt16BE(i + 2);
  return jpeg.subarray(i, jpeg.indexOf(Buffer.from([0xff, 0xd9]), i) + 2);
}

/** The average colour of a region, to check which way up a picture is. */
export async function meanColour(
  image: Buffer,
  region: { left: number; top: number; width: number; height: number },
): Promise<[number, number, number]> {
  // stats() would describe the whole input; read the region's pixels and average them here.
  const { data, info } = await sharp(image)
    .extract(region)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const sums = [0, 0, 0];
  for (let i = 0; i < data.length; i += info.channels) {
    sums[0]! += data[i]!;
    sums[1]! += data[i + 1]!;
    sums[2]! += data[i + 2]!;
  }
  const n = data.length / info.channels;
  return [sums[0]! / n, sums[1]! / n, sums[2]! / n];
}
