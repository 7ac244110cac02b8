import { PHOTO_KINDS, PHOTO_VIEWS, photoConsentLabel } from '../../../contract/domain.js';
import type { Photo } from '../../../contract/schemas.js';
import type { Services } from '../index.js';
import { CONTENT_W, DANGER, MARGIN, MUTED, RULE, yieldToLoop, type Report } from './pdfLayout.js';
import { photoPairs, type PhotoPair } from './pdfPhotoPairs.js';
import type { CourseData } from './pdfReportData.js';

/** Longest edge of a photo as embedded: ~300 dpi at the size it is printed. */
const PHOTO_EMBED_PX = 1000;

async function photoBuffer(services: Services, photo: Photo): Promise<Buffer | null> {
  try {
    const file = await services.photos.bytesOf(photo.id, 'preview');
    if (!file) return null;
    // Loaded when a report has photos, not at every start of the app.
    const { default: sharp } = await import('sharp');
    return await sharp(file)
      .resize({ width: PHOTO_EMBED_PX, height: PHOTO_EMBED_PX, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer();
  } catch {
    return null;
  }
}

export async function drawPhotos(r: Report, services: Services, data: CourseData): Promise<void> {
  const pairs = photoPairs(data.photos);
  if (pairs.length === 0) return;
  const gap = 14;
  const boxW = (CONTENT_W - gap) / 2;
  // Boxes as tall as the taller photo needs at this width (portrait photos are common), within reason.
  const boxHeight = (pair: PhotoPair) =>
    Math.min(
      300,
      Math.max(120, ...[pair.before, pair.after].map((p) => (p ? (boxW * p.height) / p.width : 0))),
    );
  // Below each photo: what it is, then the consent scope it was filed under.
  const captions = 40;
  await r.heading('Before and after', 16 + boxHeight(pairs[0]!) + captions);
  for (const pair of pairs) {
    const boxH = boxHeight(pair);
    await r.ensure(16 + boxH + captions);
    r.text(PHOTO_VIEWS[pair.view], MARGIN.left, r.y, { size: 10, bold: true });
    r.y += 15;
    const top = r.y;
    const slots: [Photo | null, number][] = [
      [pair.before, MARGIN.left],
      [pair.after, MARGIN.left + boxW + gap],
    ];
    for (const [photo, x] of slots) {
      r.doc.save().rect(x, top, boxW, boxH).fill('#f1f3f5').restore();
      if (photo === null) {
        r.text('No later photo of this view', x, top + boxH / 2 - 5, {
          size: 9,
          color: MUTED,
          width: boxW,
          align: 'center',
        });
        continue;
      }
      const buf = await photoBuffer(services, photo);
      if (buf) r.doc.image(buf, x, top, { fit: [boxW, boxH], align: 'center', valign: 'center' });
      else
        r.text('Photo file missing', x, top + boxH / 2 - 5, {
          size: 9,
          color: MUTED,
          width: boxW,
          align: 'center',
        });
      r.doc.save().lineWidth(0.5).rect(x, top, boxW, boxH).stroke(RULE).restore();
      const day = data.dayOf.get(photo.sessionId) ?? photo.sessionAt.slice(0, 10);
      r.text(
        `${PHOTO_KINDS[photo.kind]}: session ${photo.sessionNumber}, ${r.date(day)}`,
        x,
        top + boxH + 4,
        {
          size: 8.5,
          width: boxW,
          align: 'center',
        },
      );
      r.text(photoConsentLabel(photo.consentScope), x, top + boxH + 15, {
        size: 8,
        color: photo.consentScope ? MUTED : DANGER,
        width: boxW,
        align: 'center',
      });
      await yieldToLoop();
    }
    r.y = top + boxH + captions - 4;
  }
}
