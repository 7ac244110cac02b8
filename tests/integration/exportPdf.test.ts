import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';
import { afterEach, describe, expect, it } from 'vitest';
import { runExportCommand } from '../../electron/cli/exportCommands.js';
import { prepareExport, runExport } from '../../electron/services/exports/index.js';
import { writeCourseReportPdf } from '../../electron/services/exports/exportPdf.js';
import { resolveSelection } from '../../electron/services/exports/selection.js';
import { openBundle } from '../../electron/services/exports/bundleEnvelope.js';
import {
  TEST_PASSPHRASE,
  TEST_SCRYPT,
  openTestClinic,
  tempDir,
  testKeyFor,
  type TestClinic,
} from '../support/clinic.js';
import { plainJpeg } from '../support/images.js';
import { debianTools } from '../support/tools.js';
import { signConsent } from '../support/signatures.js';

/**
 * The PDF course report, read back the way a person would get it: text through poppler's
 * pdftotext, pages rendered by pdftoppm into tests/artifacts/pdf/ (look at them).
 */

const hasPoppler = debianTools(['pdftotext', 'pdftoppm', 'pdfinfo'], 'poppler-utils');
const withPoppler = hasPoppler ? it : it.skip;

const ARTIFACTS = path.resolve('tests/artifacts/pdf');

let clinic: TestClinic | null = null;
afterEach(() => {
  clinic?.close();
  clinic = null;
});

const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
const pdfPages = (file: string) =>
  Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);

/** Renders every page at 60 dpi into tests/artifacts/pdf/<stem>-N.png; returns the files. */
function renderPages(file: string, stem: string): string[] {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  for (const old of fs.readdirSync(ARTIFACTS))
    if (old.startsWith(`${stem}-`) || old === `${stem}.pdf`) fs.rmSync(path.join(ARTIFACTS, old));
  fs.copyFileSync(file, path.join(ARTIFACTS, `${stem}.pdf`));
  execFileSync('pdftoppm', ['-png', '-r', '60', file, path.join(ARTIFACTS, stem)]);
  return fs
    .readdirSync(ARTIFACTS)
    .filter((n) => n.startsWith(`${stem}-`) && n.endsWith('.png'))
    .sort()
    .map((n) => path.join(ARTIFACTS, n));
}

const SESSIONS = [
  {
    at: '2026-03-02T10:00:00Z',
    day: '2 Mar 2026',
    cheeks: 1.25,
    periorbital: 0.25,
    pain: 5,
    gais: [3, 3],
    sat: 6,
    gb: 3,
  },
  {
    at: '2026-03-30T10:00:00Z',
    day: '30 Mar 2026',
    cheeks: 1.5,
    periorbital: 0.25,
    pain: 4,
    gais: [2, 3],
    sat: 7,
    gb: 3,
  },
  // 42 days after the last: late (plan 28 days).
  {
    at: '2026-05-11T10:00:00Z',
    day: '11 May 2026',
    cheeks: 1.75,
    periorbital: 0.3,
    pain: 4,
    gais: [2, 2],
    sat: 8,
    gb: 2,
  },
  {
    at: '2026-06-08T10:00:00Z',
    day: '8 Jun 2026',
    cheeks: 2.25,
    periorbital: 0.35,
    pain: 3,
    gais: [1, 2],
    sat: 9,
    gb: 2,
  },
] as const;

/** A four-session acne scar course with known values, an adverse event and before/after photos. */
async function reportClinic() {
  clinic = openTestClinic();
  const { services, clock } = clinic;
  clock.set('2026-06-20T09:00:00Z');
  const aisha = services.practitioners.create({ name: 'Dr Aisha Rahman' });
  services.actAs(aisha.id); // signed in: the first practitioner, so the manager
  const niamh = services.practitioners.create({ name: 'Niamh Ó Súilleabháin' });
  // The clinic writes dates the British way, whatever this machine's locale.
  services.settings.update({
    clinicName: 'Clínica Dermá · Harbour Street',
    currentPractitionerId: aisha.id,
    locale: 'en-GB',
  });
  const client = services.clients.create({
    firstName: 'Siobhán Zoë',
    lastName: 'Ołdak-Brennan',
    dateOfBirth: '1991-07-14',
    fitzpatrick: 4,
    contraindications: ['keloid', 'isotretinoin_6m'],
    contraindicationNotes: 'Isotretinoin stopped Oct 2025.',
  });
  const course = services.courses.create({
    clientId: client.id,
    area: 'full_face',
    indication: 'acne_scars',
    plannedSessions: 5,
    plannedIntervalDays: 28,
    startedOn: '2026-03-02',
    notes: 'Rolling and boxcar scars on both cheeks.',
  });
  signConsent(services, course.id);
  const sessions = SESSIONS.map(
    (s, i) =>
      services.sessions.create({
        courseId: course.id,
        practitionerId: i === 2 ? niamh.id : aisha.id,
        performedAt: s.at,
        zones: [
          { zone: 'cheek_left', depthMm: s.cheeks },
          { zone: 'periorbital_left', depthMm: s.periorbital },
        ],
        device: 'SkinPen Precision',
        cartridgeLot: `LOT-${i + 1}`,
        numbingLot: i === 0 ? 'EM-2026-88' : '',
        glideLot: 'HA-7731',
        passes: 3,
        numbingAgent: 'emla',
        numbingMinutes: 45,
        numbingOcclusion: i === 0,
        procedureMinutes: 40 + i,
        pain: s.pain,
        erythema: 2,
        edema: 1,
        bleeding: i % 2,
        gaisPractitioner: s.gais[0],
        gaisClient: s.gais[1],
        satisfaction: s.sat,
        goodmanBaron: s.gb,
        consentProcedure: true,
        photoConsent: i === 3 ? 'marketing' : 'record',
        adverseEvents:
          i === 2
            ? [
                {
                  kind: 'pih',
                  severity: 'moderate',
                  onsetOn: '2026-05-14',
                  resolvedOn: '2026-06-01',
                  notes: 'Faded with SPF 50 and azelaic acid.',
                },
              ]
            : [],
      }).value,
  );
  const photo = async (
    sessionId: string,
    kind: 'before' | 'after',
    view: 'frontal' | 'left_oblique' | 'close_up',
    seed: number,
  ) => services.photos.import({ sessionId, kind, view, data: await plainJpeg(900, 1200, seed) });
  await photo(sessions[0]!.id, 'before', 'frontal', 1);
  await photo(sessions[3]!.id, 'after', 'frontal', 2);
  await photo(sessions[0]!.id, 'before', 'left_oblique', 3);
  await photo(sessions[3]!.id, 'after', 'left_oblique', 4);
  await photo(sessions[1]!.id, 'before', 'close_up', 5);
  return { services, client, course, sessions };
}

describe('PDF course report', () => {
  withPoppler(
    'shows the client, every session date and depth, the adverse event and page numbers; every page renders',
    async () => {
      const { services, course } = await reportClinic();
      const file = path.join(tempDir(), 'report.pdf');
      const progress: string[] = [];
      const { pages } = await writeCourseReportPdf(services, [course.id], file, (p) =>
        progress.push(`${p.done}/${p.total}`),
      );
      expect(progress.at(-1)).toBe('1/1');
      expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdfPages(file)).toBe(pages);
      expect(pages).toBeGreaterThanOrEqual(3);

      const text = pdfText(file);
      const flat = text.replace(/\s+/g, ' ');
      expect(flat).toContain('Siobhán Zoë Ołdak-Brennan'); // printed exactly as entered
      expect(flat).toContain('Clínica Dermá · Harbour Street');
      expect(flat).toContain('Niamh Ó Súilleabháin');
      // The device and lots table: the first session's three lots on its row.
      expect(flat).toContain('Device and lots');
      expect(text).toMatch(/2 Mar 2026 +SkinPen Precision +LOT-1 +EM-2026-88 +HA-7731/);
      expect(flat).toContain('14 Jul 1991');
      expect(flat).toMatch(/Fitzpatrick type IV/);
      expect(flat).toContain('Keloid tendency');
      expect(flat).toContain('4 done of 5 planned');
      for (const s of SESSIONS) {
        expect(flat).toContain(s.day);
        expect(flat).toContain(`Left cheek ${s.cheeks}`);
        expect(flat).toContain(`Left periorbital ${s.periorbital}`);
      }
      expect(flat).toContain('Post-inflammatory hyperpigmentation (PIH)');
      expect(flat).toContain('Faded with SPF 50 and azelaic acid.');
      expect(flat).toContain('Moderate');
      // Charts (titles and late-session axis label), photo captions.
      for (const title of ['Needle depth', 'Pain', 'GAIS', 'Client satisfaction', 'Goodman & Baron grade'])
        expect(flat).toContain(title);
      expect(flat).toContain('42 d late');
      expect(flat).toContain('Before: session 1, 2 Mar 2026');
      expect(flat).toContain('After: session 4, 8 Jun 2026');
      expect(flat).toContain('No later photo of this view');
      // Each photo with the consent scope it was filed under.
      expect(flat).toContain('Photo consent: Record only');
      expect(flat).toContain('Photo consent: Marketing');
      // Every page has its number and the footer.
      const pageTexts = text.split('\f').filter((t) => t.trim() !== '');
      expect(pageTexts).toHaveLength(pages);
      pageTexts.forEach((t, i) => {
        expect(t).toContain(`Page ${i + 1} of ${pages}`);
        expect(t).toContain('Generated by NeedleLog on');
        expect(t.replace(/\s+/g, ' ')).toContain('Siobhán Zoë Ołdak-Brennan');
      });

      const pngs = renderPages(file, 'course');
      expect(pngs).toHaveLength(pages);
      for (const png of pngs) expect(fs.statSync(png).size).toBeGreaterThan(2000);
    },
  );

  withPoppler(
    'a client selection reports every course, each from a new page; the whole clinic is refused',
    async () => {
      const { services, client, course } = await reportClinic();
      const lips = services.courses.create({
        clientId: client.id,
        area: 'lips_perioral',
        indication: 'lip_enhancement',
        plannedSessions: 3,
        plannedIntervalDays: 28,
        startedOn: '2026-06-10',
      });
      signConsent(services, lips.id);
      services.sessions.create({
        courseId: lips.id,
        practitionerId: services.settings.get().currentPractitionerId!,
        performedAt: '2026-06-10T11:00:00Z',
        zones: [{ zone: 'upper_lip', depthMm: 0.45 }],
        pain: 6,
        lipFullnessUpper: 2,
        lipFullnessLower: 3,
      });
      const file = path.join(tempDir(), 'client.pdf');
      const selection = resolveSelection(services.ctx, { clientId: client.id });
      const { pages } = await writeCourseReportPdf(services, selection, file);
      const pageTexts = pdfText(file)
        .split('\f')
        .filter((t) => t.trim() !== '');
      expect(pageTexts).toHaveLength(pages);
      const starts = pageTexts
        .map((t, i) => [t, i] as const)
        .filter(([t]) => t.includes('Microneedling course report'))
        .map(([, i]) => i);
      expect(starts).toHaveLength(2);
      expect(starts[0]).toBe(0);
      expect(pageTexts[starts[1]!]!.replace(/\s+/g, ' ')).toContain('Lips / perioral');
      expect(pageTexts.slice(starts[1]!).join(' ')).toContain('Lip fullness');
      expect(pageTexts.join(' ')).toContain('Upper lip 0.45');
      renderPages(file, 'client');
      void course;

      await expect(
        writeCourseReportPdf(services, resolveSelection(services.ctx, {}), path.join(tempDir(), 'all.pdf')),
      ).rejects.toThrow(/one course or one client/);
    },
  );
  withPoppler(
    "marks depths outside the usual range by grade, and writes the clinic's date and number format",
    async () => {
      const { services, client } = await reportClinic();
      services.settings.update({ locale: 'de-DE' });
      const lips = services.courses.create({
        clientId: client.id,
        area: 'lips_perioral',
        indication: 'lip_enhancement',
        plannedSessions: 3,
        plannedIntervalDays: 28,
        startedOn: '2026-05-12',
      });
      signConsent(services, lips.id);
      const practitionerId = services.settings.get().currentPractitionerId!;
      for (const [performedAt, depthMm] of [
        ['2026-05-12T11:00:00Z', 0.4],
        ['2026-06-09T11:00:00Z', 0.75],
        ['2026-07-07T11:00:00Z', 2.5],
      ] as const) {
        services.sessions.create({
          courseId: lips.id,
          practitionerId,
          performedAt,
          zones: [{ zone: 'upper_lip', depthMm }],
        });
      }
      const file = path.join(tempDir(), 'lips.pdf');
      await writeCourseReportPdf(services, [lips.id], file);
      const flat = pdfText(file).replace(/\s+/g, ' ');
      expect(flat).toContain('Upper lip 0,4 ');
      expect(flat).not.toContain('Upper lip 0,4 (');
      // The depth column: the value, then its mark (text extraction may put other cells between).
      expect(flat).toMatch(/Upper lip 0,75 \(well .*above usual\)/);
      expect(flat).toMatch(/Upper lip 2,5 \(far .*above usual\)/);
      expect(flat).toMatch(/mm 2,5 2 1,5 1 0,5 0/); // the depth chart's axis
      expect(flat).toContain('Depths outside the usual range for the area are marked in red');
      expect(flat).toContain('Depth outside the usual range for the area (two rings');
      expect(flat).toContain('12. Mai 2026');
      expect(flat).not.toContain('May 12');
      expect(renderPages(file, 'out-of-range')).not.toHaveLength(0);
    },
  );
});

/** Name → bytes of every entry of an (encrypted) archive bundle. */
async function zipContents(file: string): Promise<Map<string, Buffer>> {
  const zipBytes = await openBundle(fs.readFileSync(file), TEST_PASSPHRASE);
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zipBytes, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const out = new Map<string, Buffer>();
      zip.on('entry', (e: yauzl.Entry) =>
        zip.openReadStream(e, (err2, stream) => {
          if (err2) return reject(err2);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(e.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        }),
      );
      zip.on('end', () => resolve(out));
      zip.readEntry();
    });
  });
}

describe('PDF in the export registry', () => {
  it('is a format of exports.start and the CLI; the whole clinic is refused with exit code 2', async () => {
    const { services, course } = await reportClinic();
    const ctx = services.ctx;
    const actor = services.practitioners.list()[0]!.id;
    services.actAs(actor);
    const prepared = prepareExport(ctx, { format: 'pdf', selection: { courseId: course.id } });
    expect(prepared.file).toMatch(/needlelog-course-.*brennan-siobhan-zoe-full_face-2026-03-02-.*\.pdf$/);
    const r = await runExport(ctx, prepared);
    expect(r.sessions).toBe(4);
    expect(fs.readFileSync(r.file).subarray(0, 5).toString()).toBe('%PDF-');
    expect(() => prepareExport(ctx, { format: 'pdf', selection: {} })).toThrow(/one course or one client/);

    // The CLI, in process, on a closed copy of the clinic's data directory.
    const dir = clinic!.dir;
    clinic!.close();
    clinic = null;
    const out: string[] = [];
    const err: string[] = [];
    const file = path.join(tempDir(), 'cli.pdf');
    const code = await runExportCommand(
      dir,
      { format: 'pdf', course: course.id, out: file },
      {
        unlock: () =>
          Promise.resolve({ key: testKeyFor(dir), secret: TEST_PASSPHRASE, via: 'passphrase' as const }),
        signIn: () => Promise.resolve(actor),
      },
      (l) => out.push(l),
      (l) => err.push(l),
    );
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out.join('\n')).toContain(`Written: ${file}`);
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    const all = await runExportCommand(
      dir,
      { format: 'pdf', all: true, out: path.join(tempDir(), 'all.pdf') },
      {
        unlock: () =>
          Promise.resolve({ key: testKeyFor(dir), secret: TEST_PASSPHRASE, via: 'passphrase' as const }),
        signIn: () => Promise.resolve(actor),
      },
      () => {},
      (l) => err.push(l),
    );
    expect(all).toBe(2);
    expect(err.join('\n')).toMatch(/format: The PDF report is for one course or one client/);
  });

  it('puts report.pdf in course and client bundles (listed in the manifest), not in clinic-wide ones', async () => {
    const { services, course, client } = await reportClinic();
    const ctx = services.ctx;
    for (const selection of [{ courseId: course.id }, { clientId: client.id }]) {
      const r = await runExport(
        ctx,
        prepareExport(ctx, { format: 'zip', selection, passphrase: TEST_PASSPHRASE }, undefined, {
          scrypt: TEST_SCRYPT,
        }),
      );
      const entries = await zipContents(r.file);
      const pdf = entries.get('report.pdf');
      expect(pdf?.subarray(0, 5).toString()).toBe('%PDF-');
      const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as {
        files: { path: string; sha256: string }[];
      };
      const listed = manifest.files.find((f) => f.path === 'report.pdf');
      expect(listed?.sha256).toBe(crypto.createHash('sha256').update(pdf!).digest('hex'));
    }
    const clinicWide = await runExport(
      ctx,
      prepareExport(ctx, { format: 'zip', selection: {}, passphrase: TEST_PASSPHRASE }, undefined, {
        scrypt: TEST_SCRYPT,
      }),
    );
    expect([...(await zipContents(clinicWide.file)).keys()]).not.toContain('report.pdf');
  });
});
