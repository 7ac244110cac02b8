import { PHOTO_CONSENT_SCOPES, zoneLabel } from '../../../contract/domain.js';
import { SESSION_FIELD_LABELS } from '../../../contract/fieldLabels.js';
import type { Session } from '../../../contract/schemas.js';
import {
  TYPED_SIGNATURE_ATTESTATION,
  isTyped,
  type ConsentSignature,
  type DrawnSignature,
} from '../../../contract/signing.js';
import { CONTENT_W, DANGER, INK, MARGIN, MUTED, RULE, paragraph, type Report } from './pdfLayout.js';
import type { CourseData } from './pdfReportData.js';

// The report's last sections: signatures and addenda per session, then the course's consent.

/** One recorded value of a session field as the report prints it. */
function fieldValue(r: Report, field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return r.num(value);
  if (field === 'zones' && Array.isArray(value)) {
    const zones = value as Session['zones'];
    // With passes a zone reads "Forehead 1 mm, 2 passes": zones are then kept apart by ';'.
    const between = zones.some((z) => z.passes !== undefined) ? '; ' : ', ';
    return zones
      .map(
        (z) =>
          `${zoneLabel(z.zone)} ${r.num(z.depthMm, ' mm')}` +
          (z.passes === undefined ? '' : `, ${r.f.passes(z.passes)}`),
      )
      .join(between);
  }
  if (field === 'performedAt' && typeof value === 'string') return r.f.dateTime(value);
  if (Array.isArray(value)) return value.length ? value.join(', ') : 'none';
  return String(value);
}

/**
 * Who signed each session and when, and every addendum after it: when, by whom, why, and each
 * value before and after, so the record as signed can always be read beside the correction.
 */
export async function drawSigning(r: Report, data: CourseData): Promise<void> {
  if (data.sessions.length === 0) return;
  await r.heading('Signatures and addenda', 40);
  for (const s of data.sessions) {
    const g = data.signing.get(s.id);
    const author = g?.signatures.find((x) => x.role === 'author');
    const cosigner = g?.signatures.find((x) => x.role === 'cosigner');
    const day = r.date(data.dayOf.get(s.id) ?? s.performedAt);
    const line = author
      ? `Session ${s.number} (${day}): signed by ${author.practitionerName} on ${r.f.dateTime(author.signedAt)}` +
        (cosigner ? `; co-signed by ${cosigner.practitionerName} on ${r.f.dateTime(cosigner.signedAt)}` : '')
      : `Session ${s.number} (${day}): not signed`;
    await paragraph(r, line, { size: 9, bold: true, color: author ? INK : DANGER });
    if (g?.consentOverride) {
      await paragraph(
        r,
        `Logged without signed consent on file (${g.consentOverride.actorName}): ${g.consentOverride.reason}`,
        {
          indent: 12,
          color: DANGER,
        },
      );
    }
    for (const [i, a] of (g?.addenda ?? []).entries()) {
      await paragraph(
        r,
        `Addendum ${i + 1}, ${r.f.dateTime(a.at)}, by ${a.authorName}. Reason: ${a.reason}`,
        {
          indent: 12,
          bold: true,
        },
      );
      const fields = Object.keys(a.changes.after);
      if (fields.length === 0) await paragraph(r, 'No field changed (a note).', { indent: 24, color: MUTED });
      for (const field of fields) {
        const label = SESSION_FIELD_LABELS[field] ?? field;
        await paragraph(
          r,
          `${label}: ${fieldValue(r, field, a.changes.before[field])}  →  ${fieldValue(r, field, a.changes.after[field])}`,
          { indent: 24 },
        );
      }
    }
  }
  r.y += 4;
}

/**
 * A signature in a box of `w` × `h` points at (x, y), with a line under it: drawn strokes scaled
 * into the box, or a typed signature printed as typed, with the attestation its signer ticked.
 */
function drawSignature(r: Report, sig: ConsentSignature, x: number, y: number, w: number, h: number): void {
  if (isTyped(sig)) {
    r.text(sig.name, x + 4, y + 8, { size: 15, width: w - 8 });
    r.text(`Typed signature. Attested: “${TYPED_SIGNATURE_ATTESTATION}”`, x + 4, y + 30, {
      size: 7,
      color: MUTED,
      width: w - 8,
    });
  } else drawStrokes(r, sig, x, y, w, h);
  r.doc
    .save()
    .lineWidth(0.6)
    .moveTo(x, y + h + 2)
    .lineTo(x + w, y + h + 2)
    .stroke(RULE)
    .restore();
}

function drawStrokes(r: Report, sig: DrawnSignature, x: number, y: number, w: number, h: number): void {
  const scale = Math.min(w / sig.width, h / sig.height);
  const { doc } = r;
  doc.save().lineWidth(1).lineCap('round').lineJoin('round').strokeColor(INK);
  for (const stroke of sig.strokes) {
    const [first, ...rest] = stroke;
    if (!first) continue;
    doc.moveTo(x + first[0] * scale, y + first[1] * scale);
    if (rest.length === 0) doc.lineTo(x + first[0] * scale + 0.5, y + first[1] * scale);
    for (const [px, py] of rest) doc.lineTo(x + px * scale, y + py * scale);
    doc.stroke();
  }
  doc.restore();
}

/** The course's consent as signed: the form's text and version, the photo scope, both signatures. */
export async function drawConsent(r: Report, data: CourseData): Promise<void> {
  await r.heading('Consent', 30);
  const [latest, ...earlier] = data.consents;
  if (!latest) {
    await paragraph(r, 'No signed consent form is on file for this course.', { size: 9, color: DANGER });
    return;
  }
  await paragraph(
    r,
    `${latest.title} (form version ${latest.templateVersion}), signed on ${r.f.dateTime(latest.signedAt)}. Photo consent: ${
      latest.photoScope === 'none' ? 'none' : PHOTO_CONSENT_SCOPES[latest.photoScope]
    }.`,
    { size: 9, bold: true },
  );
  for (const para of latest.body.split('\n')) {
    if (para.trim() === '') continue;
    await paragraph(r, para, { size: 8 });
  }
  const boxW = 200;
  const boxH = 62;
  await r.ensure(boxH + 34);
  const top = r.y + 4;
  drawSignature(r, latest.clientSignature, MARGIN.left, top, boxW, boxH);
  drawSignature(r, latest.practitionerSignature, MARGIN.left + CONTENT_W - boxW, top, boxW, boxH);
  r.text(`Client: ${latest.clientName}`, MARGIN.left, top + boxH + 6, { size: 8, color: MUTED, width: boxW });
  r.text(`Practitioner: ${latest.practitionerName}`, MARGIN.left + CONTENT_W - boxW, top + boxH + 6, {
    size: 8,
    color: MUTED,
    width: boxW,
  });
  r.y = top + boxH + 24;
  for (const c of earlier) {
    await paragraph(
      r,
      `Earlier: form version ${c.templateVersion}, signed on ${r.f.dateTime(c.signedAt)} by ${c.clientName} and ${c.practitionerName}.`,
      {
        color: MUTED,
      },
    );
  }
}
