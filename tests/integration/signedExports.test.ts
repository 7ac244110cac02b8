import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { writeCourseReportPdf } from '../../electron/services/exports/exportPdf.js';
import { tempDir } from '../support/clinic.js';
import { importBundle } from '../../electron/services/exports/importBundle.js';
import { prepareExport, runExport } from '../../electron/services/exports/index.js';
import type { Services } from '../../electron/services/index.js';
import { editedBundle, exportZip } from '../support/bundles.js';
import { openTestClinic, seedCourse, type TestClinic } from '../support/clinic.js';
import { givePin, TEST_PIN } from '../support/signIn.js';
import { signConsent } from '../support/signatures.js';
import type { DrawnSignature } from '../../contract/signing.js';

const clinics: TestClinic[] = [];
afterEach(() => clinics.splice(0).forEach((c) => c.close()));

const SIGNED_TABLES = ['session_signatures', 'session_addenda', 'consent_overrides', 'course_consents'];

/** A course with a signed, co-signed and corrected session, a session logged without consent, and a signed consent. */
async function signedClinic() {
  const clinic = openTestClinic();
  clinics.push(clinic);
  const { services } = clinic;
  const { course, practitioner } = seedCourse(clinic, { consent: false });
  const base = {
    courseId: course.id,
    practitionerId: practitioner.id,
    zones: [{ zone: 'upper_lip' as const, depthMm: 0.4 }],
  };
  const first = services.sessions.create({
    ...base,
    performedAt: '2026-03-02T10:00:00Z',
    pain: 3,
    consentOverrideReason: 'Signed the paper form; the tablet was charging.',
  }).value;
  await services.signing.sign({ sessionId: first.id, pin: TEST_PIN });
  // The co-signing director performs no session of this course: the bundle must still carry her.
  const director = services.practitioners.create({ name: 'Dr Director', role: 'manager' });
  givePin(services, director.id);
  services.actAs(director.id);
  await services.signing.cosign({ sessionId: first.id, pin: TEST_PIN });
  services.actAs(practitioner.id);
  services.settings.update({ locale: 'en-GB' });
  clinic.clock.advanceMinutes(24 * 60);
  services.sessions.amend({ sessionId: first.id, reason: 'Pain score misheard.', patch: { pain: 5 } });
  signConsent(services, course.id);
  return { clinic, course, first, director };
}

/** A course's archive bundle (encrypted under the test passphrase), opened into the zip inside it. */
const exportCourse = (services: Services, courseId: string) => exportZip(services, { courseId });

function emptyClinic(): TestClinic {
  const clinic = openTestClinic();
  clinics.push(clinic);
  return clinic;
}

const rows = (c: TestClinic, table: string) => c.db.prepare(`SELECT * FROM ${table} ORDER BY id`).all();

describe('archive bundles carry signatures, addenda and signed consent', () => {
  it('round-trips them row for row, and a second import changes nothing', async () => {
    const { clinic, course, first } = await signedClinic();
    const zip = await exportCourse(clinic.services, course.id);
    const dst = emptyClinic();
    const report = await importBundle(dst.services.ctx, zip);
    expect(report.signedRecords).toBe(5); // 2 signatures, 1 addendum, 1 override, 1 consent
    for (const table of SIGNED_TABLES) expect(rows(dst, table), table).toEqual(rows(clinic, table));
    dst.services.actAs(null);
    const state = dst.services.signing.get({ id: first.id });
    expect(state.signatures.map((s) => s.practitionerName)).toEqual(['Dr Aisha Rahman', 'Dr Director']);
    expect(state.addenda[0]).toMatchObject({
      reason: 'Pain score misheard.',
      changes: { before: { pain: 3 }, after: { pain: 5 } },
    });
    const signature = dst.services.consents.ofCourse({ courseId: course.id })[0]!.clientSignature;
    expect((signature as DrawnSignature).strokes).toHaveLength(3);

    const again = await importBundle(dst.services.ctx, zip);
    expect(again.signedRecords).toBe(0);
    for (const table of SIGNED_TABLES) expect(rows(dst, table), table).toEqual(rows(clinic, table));
  });

  it('still imports a bundle from before signed records (no such tables in records.json)', async () => {
    const { clinic, course } = await signedClinic();
    const older = await editedBundle(await exportCourse(clinic.services, course.id), (records) => {
      for (const table of SIGNED_TABLES) delete records.tables[table];
    });
    const dst = emptyClinic();
    const report = await importBundle(dst.services.ctx, older);
    expect(report.created.sessions).toBe(1);
    expect(report.signedRecords).toBe(0);
    for (const table of SIGNED_TABLES) expect(rows(dst, table)).toEqual([]);
  });

  it('refuses a bundle whose signed record was altered after signing, and imports nothing', async () => {
    const { clinic, course } = await signedClinic();
    const tampered = await editedBundle(await exportCourse(clinic.services, course.id), (records) => {
      const signature = records.tables.session_signatures![0]!;
      signature.record_json = String(signature.record_json).replace('"pain":3', '"pain":1');
    });
    const dst = emptyClinic();
    await expect(importBundle(dst.services.ctx, tampered)).rejects.toThrow(
      /session signature .*field record_json: the signed record does not match its hash/,
    );
    expect(rows(dst, 'sessions')).toEqual([]);
  });
});

describe('a bundle never changes a signed session silently', () => {
  /** A session logged at one machine (the source), imported into another (here) and signed here. */
  async function signedHere() {
    const src = emptyClinic();
    const { course, practitioner } = seedCourse(src);
    const session = src.services.sessions.create({
      courseId: course.id,
      practitionerId: practitioner.id,
      performedAt: '2026-03-02T10:00:00Z',
      zones: [{ zone: 'upper_lip', depthMm: 0.4 }],
      pain: 3,
    }).value;
    const here = emptyClinic();
    await importBundle(here.services.ctx, await exportCourse(src.services, course.id));
    here.services.actAs(practitioner.id);
    givePin(here.services, practitioner.id);
    return { src, here, course, session, practitioner };
  }
  const signatureRows = (c: TestClinic) => rows(c, 'session_signatures');

  it('takes a change made where the bundle came from with an addendum by the importer; the signature keeps the record as signed', async () => {
    const { src, here, course, session } = await signedHere();
    await here.services.signing.sign({ sessionId: session.id, pin: TEST_PIN });
    const signed = signatureRows(here);
    // Meanwhile, at the source, where nobody signed it, the session is edited.
    src.clock.advanceMinutes(60);
    src.services.sessions.update({ id: session.id, patch: { pain: 6, notes: 'Edited in room 2' } });
    const bundle = await exportCourse(src.services, course.id);
    const auditBefore = rows(here, 'audit_log').length;

    const report = await importBundle(here.services.ctx, bundle);
    expect(report.updated.sessions).toBe(1);
    expect(report.signedChanged).toBe(1);
    expect(here.services.sessions.get({ id: session.id })).toMatchObject({
      pain: 6,
      notes: 'Edited in room 2',
    });
    const [addendum, ...more] = here.services.signing.get({ id: session.id }).addenda;
    expect(more).toEqual([]);
    expect(addendum).toMatchObject({
      authorName: 'Dr Aisha Rahman',
      changes: { before: { pain: 3, notes: '' }, after: { pain: 6, notes: 'Edited in room 2' } },
    });
    expect(addendum!.reason).toMatch(
      /^Imported from an archive bundle made 20\d\d-.*without an addendum there\.$/,
    );
    expect(signatureRows(here)).toEqual(signed);
    // Audited: the session's update (before → after) and the addendum.
    const audits = (rows(here, 'audit_log') as { entity: string; action: string }[]).slice(auditBefore);
    expect(audits.map((a) => `${a.entity} ${a.action}`).sort()).toEqual([
      'session update',
      'session_addendum create',
    ]);
    // The same bundle again changes nothing and files nothing.
    const again = await importBundle(here.services.ctx, bundle);
    expect(again).toMatchObject({ signedChanged: 0, signedRecords: 0 });
    expect(here.services.signing.get({ id: session.id }).addenda).toHaveLength(1);
  });

  it('files no addendum of its own when the bundle carries the addendum for the change', async () => {
    const { src, here, course, session } = await signedHere();
    await src.services.signing.sign({ sessionId: session.id, pin: TEST_PIN });
    await importBundle(here.services.ctx, await exportCourse(src.services, course.id));
    src.clock.advanceMinutes(60);
    src.services.sessions.amend({
      sessionId: session.id,
      reason: 'Pain score misheard.',
      patch: { pain: 5 },
    });
    const report = await importBundle(here.services.ctx, await exportCourse(src.services, course.id));
    expect(report).toMatchObject({ signedChanged: 0, signedRecords: 1 });
    expect(report.updated.sessions).toBe(1);
    const addenda = here.services.signing.get({ id: session.id }).addenda;
    expect(addenda.map((a) => a.reason)).toEqual(['Pain score misheard.']);
    expect(here.services.sessions.get({ id: session.id }).pain).toBe(5);
  });

  it('keeps what was edited here when the bundle brings the signature of an older version, with an addendum', async () => {
    const { src, here, course, session } = await signedHere();
    here.clock.advanceMinutes(60);
    here.services.sessions.update({ id: session.id, patch: { pain: 4 } });
    await src.services.signing.sign({ sessionId: session.id, pin: TEST_PIN });
    const report = await importBundle(here.services.ctx, await exportCourse(src.services, course.id));
    expect(report).toMatchObject({ signedChanged: 1, signedRecords: 1 });
    expect(here.services.sessions.get({ id: session.id }).pain).toBe(4);
    expect(here.services.signing.get({ id: session.id }).addenda[0]!.changes).toEqual({
      before: { pain: 3 },
      after: { pain: 4 },
    });
  });

  it('refuses a bundle whose signed session differs from its signed record with no addendum, and imports nothing', async () => {
    const { clinic, course, first } = await signedClinic();
    const altered = await editedBundle(await exportCourse(clinic.services, course.id), (records) => {
      const row = records.tables.sessions!.find((r) => r.id === first.id)!;
      row.pain = 9;
    });
    const dst = emptyClinic();
    await expect(importBundle(dst.services.ctx, altered)).rejects.toThrow(
      /^Session 1 of 2026-03-02 \([0-9a-f-]{36}\) in the bundle differs from its signed record \(pain\) and no addendum says why: the bundle was altered after it was made\. Nothing was imported\.$/,
    );
    expect(rows(dst, 'sessions')).toEqual([]);
    expect(rows(dst, 'session_signatures')).toEqual([]);
  });
});

const hasPoppler = ['pdftotext', 'pdftoppm'].every(
  (bin) => spawnSync(bin, ['-v'], { encoding: 'utf8' }).error === undefined,
);
const withPoppler = hasPoppler ? it : it.skip;

describe('the CSV and the PDF show signatures, addenda and consent', () => {
  it('CSV: signed by, co-signed by, each addendum, the consent and the override reason', async () => {
    const { clinic, course, director } = await signedClinic();
    void director;
    const prepared = prepareExport(clinic.services.ctx, {
      format: 'csv',
      selection: { courseId: course.id },
    });
    await runExport(clinic.services.ctx, prepared);
    const [row] = parse(fs.readFileSync(prepared.file, 'utf8'), { columns: true, bom: true }) as Record<
      string,
      string
    >[];
    expect(row).toMatchObject({
      pain_0_10: '5',
      signed_by: 'Dr Aisha Rahman',
      signed_at: '2026-03-02T10:00:00.000Z',
      cosigned_by: 'Dr Director',
      addenda: '2026-03-03T10:00:00.000Z by Dr Aisha Rahman: Pain score misheard. [pain]',
      consent_signed_at: '2026-03-03T10:00:00.000Z',
      consent_override_reason: 'Signed the paper form; the tablet was charging.',
    });
  });

  withPoppler(
    'PDF: the signature lines, the addendum with the value as signed, and the signed consent',
    async () => {
      const { clinic, course } = await signedClinic();
      const file = path.join(tempDir(), 'report.pdf');
      await writeCourseReportPdf(clinic.services, [course.id], file);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(
        /\s+/g,
        ' ',
      );
      expect(text).toContain('Signatures and addenda');
      expect(text).toMatch(
        /Session 1 \(2 Mar 2026\): signed by Dr Aisha Rahman on 2 Mar 2026 10:00; co-signed by Dr Director/,
      );
      expect(text).toContain(
        'Logged without signed consent on file (Dr Aisha Rahman): Signed the paper form',
      );
      expect(text).toMatch(
        /Addendum 1, 3 Mar 2026 10:00, by Dr Aisha Rahman\. Reason: Pain score misheard\./,
      );
      expect(text).toContain('Pain: 3 → 5');
      expect(text).toMatch(
        /Consent to microneedling .*\(form version 1\), signed on 3 Mar 2026 10:00\. Photo consent: Record only\./,
      );
      expect(text).toContain('Client: Zoë Okafor');
      expect(text).toContain('Practitioner: Dr Aisha Rahman');
      // Rendered for a person to look at.
      const out = path.resolve('tests/artifacts/pdf');
      fs.mkdirSync(out, { recursive: true });
      for (const old of fs.readdirSync(out)) if (old.startsWith('signed-')) fs.rmSync(path.join(out, old));
      execFileSync('pdftoppm', ['-png', '-r', '70', file, path.join(out, 'signed')]);
      expect(fs.readdirSync(out).filter((n) => n.startsWith('signed-')).length).toBeGreaterThan(0);
    },
  );

  withPoppler(
    'PDF: a consent signed by typing shows the typed names as typed, with the attestation',
    async () => {
      const clinic = emptyClinic();
      const { course } = seedCourse(clinic, { consent: false });
      clinic.services.settings.update({ locale: 'en-GB' });
      clinic.services.consents.sign({
        courseId: course.id,
        templateVersion: 1,
        photoScope: 'teaching',
        clientName: 'Zoë Okafor',
        clientSignature: { kind: 'typed', name: 'Zoë Okafor', attested: true },
        practitionerSignature: { kind: 'typed', name: 'Aisha Rahman', attested: true },
      });
      const file = path.join(tempDir(), 'report.pdf');
      await writeCourseReportPdf(clinic.services, [course.id], file);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(
        /\s+/g,
        ' ',
      );
      expect(text).toContain('Photo consent: Teaching');
      // The two boxes side by side: both typed names, then each one's attestation.
      expect(text).toContain(
        'Zoë Okafor Aisha Rahman Typed signature. Attested: “I confirm that typing my name',
      );
      expect(text.split('by hand.”').length).toBe(3);
      expect(text).toContain('Client: Zoë Okafor');
      expect(text).toContain('Practitioner: Dr Aisha Rahman');
      const out = path.resolve('tests/artifacts/pdf');
      fs.mkdirSync(out, { recursive: true });
      for (const old of fs.readdirSync(out))
        if (old.startsWith('typed-consent-')) fs.rmSync(path.join(out, old));
      execFileSync('pdftoppm', ['-png', '-r', '80', file, path.join(out, 'typed-consent')]);
      expect(fs.readdirSync(out).filter((n) => n.startsWith('typed-consent-')).length).toBeGreaterThan(0);
    },
  );
});
