import {
  AFTERCARE_KEYS,
  DEFAULT_DEPTH_RANGES,
  ZONES_FOR_AREA,
  effectiveDepthRange,
  type Aftercare,
  type Area,
  type Contraindication,
  type Indication,
  type NumbingAgent,
} from '../../contract/domain.js';
import type { ClientInput, CourseInput, PractitionerInput, SessionInput } from '../../contract/schemas.js';
import { DEFAULT_INDICATION_DEPTH_RANGES } from '../../contract/domain.js';
import type { Services } from './index.js';
import { putPin, type PinRow } from '../../db/pins.js';
import { writeSetting } from '../../db/settings.js';
import { deferredTransaction } from '../../db/transaction.js';
import { DEMO_PINS_KEY } from './auth.js';
import { hashPin, hashPinSync } from './pinHash.js';
import type { ConsentWrite } from '../../db/signing.js';
import { writeConsent } from './consents.js';
import { demoSignature } from './demoSignature.js';
import { writeSignature } from './signing.js';

/** Deterministic so a demo clinic and a benchmark database are the same on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Zoë',
  'Amelia',
  'Chloé',
  'Siobhán',
  'Maya',
  'Isla',
  'Léa',
  'Noor',
  'Sofía',
  'Hannah',
  'Priya',
  'Grace',
  'Mei',
  'Olivia',
  'Ana',
  'Björn',
  'James',
  'Emeka',
  'Lucía',
  'Freya',
  'Aoife',
  'Yuki',
  'Fatima',
  'Ines',
  'Marta',
  'Daniel',
  'Eléonore',
  'Kasia',
  'Rosa',
  'Tom',
];
const LAST = [
  'Okafor',
  'Brennan',
  'Dubois',
  'García',
  'Müller',
  'Nowak',
  'Patel',
  'Rossi',
  'Smith',
  'Kowalski',
  'Nguyen',
  'O’Connor',
  'Lindqvist',
  'Haddad',
  'Moreau',
  'Silva',
  'Jensen',
  'Kaur',
  'Walsh',
  'Fernández',
  'Ito',
  'Novák',
  'Adeyemi',
  'Costa',
  'Byrne',
  'Hughes',
  'Schäfer',
  'Morales',
  'Kim',
  'Evans',
];

const PLANS: { area: Area; indication: Indication; interval: number }[] = [
  { area: 'lips_perioral', indication: 'lip_enhancement', interval: 28 },
  { area: 'cheeks', indication: 'acne_scars', interval: 35 },
  { area: 'full_face', indication: 'fine_lines', interval: 28 },
  { area: 'forehead', indication: 'fine_lines', interval: 28 },
  { area: 'abdomen', indication: 'stretch_marks', interval: 42 },
  { area: 'full_face', indication: 'texture_pores', interval: 28 },
  { area: 'neck', indication: 'fine_lines', interval: 28 },
];

const DEVICES = ['SkinPen Precision', 'Dermapen 4', 'Exceed', 'Eclipse MicroPen Elite'];
const CARTRIDGES = ['12-pin', '16-pin', '36-pin', 'nano'];
const NUMBING: NumbingAgent[] = ['emla', 'lmx4', 'blt', 'lido23_tetra7'];
const CONTRA: Contraindication[] = ['anticoagulants', 'keloid', 'allergy', 'recent_filler_toxin'];

interface DemoOptions {
  clients: number;
  coursesPerClient: [number, number];
  sessionsPerCourse: [number, number];
  plannedPerCourse: [number, number];
  seed: number;
  now: Date;
  /** Whether practitioners sign their sessions (most, not all; off for tests that edit sessions). */
  signSessions: boolean;
}

interface DemoSession extends Omit<SessionInput, 'courseId' | 'practitionerId'> {
  practitioner: number;
}
interface DemoCourse extends Omit<CourseInput, 'clientId'> {
  sessions: DemoSession[];
  completed: boolean;
}
interface DemoClient {
  client: ClientInput;
  courses: DemoCourse[];
}
export interface DemoPlan {
  clinicName: string;
  practitioners: PractitionerInput[];
  clients: DemoClient[];
  /** Made-up PINs of the demo practitioners (printed by `needlelog demo`, shown on its sign-in screen). */
  pins: string[];
  /** Their hashes, made by hashDemoPins before the first step (else synchronously in it). */
  pinHashes: PinRow[];
  /** Filled as the plan is loaded. */
  practitionerIds: string[];
  /** The courses that get synthetic photos (see demoPhotos.ts), filled as the plan is loaded. */
  photoCourses: DemoPhotoCourse[];
  signSessions: boolean;
}

/** The first clients' first course gets photos: enough for timelines and comparisons. */
const DEMO_PHOTO_CLIENTS = 4;

interface DemoPhotoCourse {
  /** The plan step (client index) that wrote the course. */
  step: number;
  area: Area;
  /** The course's sessions in order. */
  sessionIds: string[];
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The consent form a demo course was signed on, before its first session: by the client and the
 * practitioner of that session, with the first session's photo scope and made-up signatures.
 */
export function demoConsent(
  plan: DemoPlan,
  practitionerIds: readonly string[],
  entry: DemoClient,
  startedOn: string,
  sessions: DemoSession[],
): Omit<ConsentWrite, 'id' | 'courseId' | 'templateVersion' | 'title' | 'body'> {
  const first = sessions[0];
  const practitioner = first?.practitioner ?? 0;
  const clientName = `${entry.client.firstName} ${entry.client.lastName ?? ''}`.trim();
  const at = first ? Date.parse(first.performedAt) - 20 * 60_000 : Date.parse(`${startedOn}T09:00:00Z`);
  return {
    practitionerId: practitionerIds[practitioner] as string,
    photoScope: first?.photoConsent ?? 'record',
    clientName,
    clientSignature: demoSignature(clientName),
    practitionerSignature: demoSignature(plan.practitioners[practitioner]?.name ?? ''),
    signedAt: iso(at),
  };
}

/** A realistic clinic drawn from domain.md's ranges; `loadDemoStep` writes it through the services. */
export function demoClinic(opts: Partial<DemoOptions> = {}): DemoPlan {
  const o: DemoOptions = {
    clients: 30,
    coursesPerClient: [1, 2],
    sessionsPerCourse: [3, 6],
    plannedPerCourse: [3, 6],
    seed: 20261124,
    now: new Date(),
    signSessions: true,
    ...opts,
  };
  const rnd = seededRandom(o.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const round = (n: number, step: number) => Math.round(n / step) * step;

  const clients: DemoClient[] = [];
  for (let i = 0; i < o.clients; i++) {
    const first = FIRST[i % FIRST.length] as string;
    const last = LAST[(i * 7 + Math.floor(i / LAST.length)) % LAST.length] as string;
    const contraindications = rnd() < 0.15 ? [pick(CONTRA)] : [];
    const courses: DemoCourse[] = [];
    const nCourses = int(...o.coursesPerClient);
    for (let k = 0; k < nCourses; k++) {
      const plan = pick(PLANS);
      const planned = int(...o.plannedPerCourse);
      const nSessions = Math.min(int(...o.sessionsPerCourse), planned);
      // Every drawn session lies in the past; courses with fewer sessions than planned are still under way.
      const back = (nSessions - 1) * (plan.interval + 10) + int(5, 60) + k * 200;
      const start = Date.UTC(o.now.getUTCFullYear(), o.now.getUTCMonth(), o.now.getUTCDate()) - back * DAY;
      const device = pick(DEVICES);
      const cartridge = pick(CARTRIDGES);
      const agent = pick(NUMBING);
      const sessions: DemoSession[] = [];
      let at = start;
      for (let n = 0; n < nSessions; n++) {
        if (at > o.now.getTime()) break;
        const zones = ZONES_FOR_AREA[plan.area].map((zone) => {
          const r = effectiveDepthRange(
            zone,
            plan.indication,
            DEFAULT_DEPTH_RANGES,
            DEFAULT_INDICATION_DEPTH_RANGES,
          );
          // Depth usually climbs across a course; now and then it strays out of the usual range.
          const base = r.min + ((r.max - r.min) * (n + 1)) / (nSessions + 1);
          const stray = rnd() < 0.05 ? 0.25 : 0;
          return { zone, depthMm: Math.min(3, Math.max(0.1, round(base + stray, 0.05))) };
        });
        const aftercare = AFTERCARE_KEYS.filter(
          (a: Aftercare) => a !== 'keep_lips_moisturised' || plan.area === 'lips_perioral',
        ).filter(() => rnd() < 0.85);
        const isLips = plan.area === 'lips_perioral';
        sessions.push({
          practitioner: int(0, 2),
          performedAt: new Date(at + int(9, 17) * 3_600_000).toISOString(),
          device,
          cartridgeType: cartridge,
          cartridgeLot: `L${int(2400, 2699)}-${int(10, 99)}`,
          zones,
          passes: int(2, 4),
          speed: int(3, 8),
          glide: pick(['Hyaluronic acid serum', 'Peptide glide', 'Saline']),
          // A tube or bottle lasts a few weeks and serves every client in that time, so a lot is
          // shared across clients (what a recall looks for). Derived from the date, not drawn, so
          // the rest of the seeded clinic stays as it was.
          glideLot: `G${Math.floor(at / (28 * DAY)) % 1000}`,
          numbingAgent: agent,
          numbingLot: `${agent.slice(0, 3).toUpperCase()}-${Math.floor(at / (21 * DAY)) % 1000}`,
          numbingMinutes: int(20, rnd() < 0.05 ? 75 : 45),
          numbingOcclusion: rnd() < 0.3,
          numbingArea: plan.area === 'full_face' ? 'Full face' : '',
          procedureMinutes: int(isLips ? 25 : 30, isLips ? 35 : 60),
          pain: int(1, 6),
          erythema: int(1, 3),
          edema: int(0, 2),
          bleeding: int(0, 2),
          aftercare,
          gaisPractitioner: Math.max(1, 4 - Math.floor(n / 2) - int(0, 1)),
          gaisClient: Math.max(1, 4 - Math.floor(n / 2) - int(0, 1)),
          satisfaction: Math.min(10, 5 + n + int(-1, 1)),
          lipFullnessUpper: isLips ? Math.min(5, 1 + Math.floor(n / 2) + int(0, 1)) : null,
          lipFullnessLower: isLips ? Math.min(5, 2 + Math.floor(n / 2)) : null,
          goodmanBaron: plan.indication === 'acne_scars' ? Math.max(1, 4 - Math.floor(n / 2)) : null,
          consentProcedure: true,
          photoConsent: pick(['record', 'record', 'teaching', 'marketing'] as const),
          notes: n === 0 ? 'Baseline session; client briefed on expected downtime.' : '',
        });
        at += (plan.interval + int(-3, 10)) * DAY;
      }
      courses.push({
        area: plan.area,
        indication: plan.indication,
        plannedSessions: planned,
        plannedIntervalDays: plan.interval,
        startedOn: new Date(start).toISOString().slice(0, 10),
        notes: '',
        sessions,
        completed: sessions.length >= planned,
      });
    }
    clients.push({
      client: {
        firstName: first,
        lastName: last,
        dateOfBirth: `${int(1965, 2003)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`,
        phone: `07${int(100, 999)} ${int(100000, 999999)}`,
        email: '',
        fitzpatrick: int(1, 6),
        contraindications,
        contraindicationNotes: contraindications.length > 0 ? 'Discussed at consultation.' : '',
        notes: '',
      },
      courses,
    });
  }
  return {
    clinicName: 'Demo Skin Clinic',
    practitioners: [
      { name: 'Dr Aisha Rahman', credentials: 'MBBS, aesthetic physician', role: 'manager' },
      { name: 'Nurse Chloe Martin', credentials: 'RN, NMC registered' },
      { name: 'Sam Ortega', credentials: 'Level 7 aesthetic practitioner' },
    ],
    pins: DEMO_PINS,
    pinHashes: [],
    clients,
    practitionerIds: [],
    photoCourses: [],
    signSessions: o.signSessions,
  };
}

/** The demo practitioners' PINs, in the order of the plan's practitioners (the first is a manager). */
export const DEMO_PINS = ['246810', '135790', '112358'];

export async function hashDemoPins(plan: DemoPlan): Promise<void> {
  plan.pinHashes = await Promise.all(plan.pins.map((pin) => hashPin(pin)));
}

/**
 * Writes one client of the plan (with courses, sessions and adverse events) in one transaction;
 * step -1 writes the practitioners and clinic settings. Small steps keep the host responsive.
 */
export function loadDemoStep(services: Services, plan: DemoPlan, step: number): void {
  const { db } = services.ctx;
  deferredTransaction(db, () => {
    if (step < 0) {
      // The host hashes ahead (hashDemoPins) to keep its event loop free; a script may not have.
      if (plan.pinHashes.length !== plan.pins.length)
        plan.pinHashes = plan.pins.map((pin) => hashPinSync(pin));
      plan.practitionerIds = plan.practitioners.map((p) => services.practitioners.create(p).id);
      const at = services.ctx.now().toISOString();
      plan.practitionerIds.forEach((id, i) => putPin(db, id, plan.pinHashes[i] as PinRow, at));
      writeSetting(
        db,
        DEMO_PINS_KEY,
        plan.practitioners.map((p, i) => ({ name: p.name, pin: plan.pins[i] })),
        at,
      );
      services.settings.update({
        clinicName: plan.clinicName,
        currentPractitionerId: plan.practitionerIds[0] ?? null,
      });
      return;
    }
    const entry = plan.clients[step];
    if (!entry) return;
    const client = services.clients.create(entry.client);
    entry.courses.forEach(({ sessions, completed, ...course }, k) => {
      const c = services.courses.create({ ...course, clientId: client.id });
      const consent = demoConsent(plan, plan.practitionerIds, entry, course.startedOn, sessions);
      writeConsent(services.ctx, { ...consent, courseId: c.id });
      const sessionIds: string[] = [];
      sessions.forEach(({ practitioner, ...s }, n) => {
        const practitionerId = plan.practitionerIds[practitioner] as string;
        const saved = services.sessions.create({ ...s, courseId: c.id, practitionerId }).value;
        sessionIds.push(saved.id);
        // Most sessions are signed within the hour; a few wait (the "Sessions to sign" list), and
        // some of the nurses' and practitioners' are co-signed by the medical director the next day.
        const signed = plan.signSessions && (step * 7 + n) % 9 !== 4;
        const performed = Date.parse(saved.performedAt);
        if (signed) writeSignature(services.ctx, saved.id, practitionerId, 'author', iso(performed + HOUR));
        const manager = plan.practitionerIds[0] as string;
        if (
          signed &&
          practitioner !== 0 &&
          (step + n) % 4 === 1 &&
          performed + DAY < services.ctx.now().getTime()
        ) {
          writeSignature(services.ctx, saved.id, manager, 'cosigner', iso(performed + DAY));
        }
        // A few adverse events at roughly published rates (PIH and acne flare are the common ones).
        if ((step * 31 + n * 7) % 17 === 0) {
          services.adverseEvents.create({
            sessionId: saved.id,
            kind: n % 2 === 0 ? 'acne_flare' : 'pih',
            severity: 'mild',
            onsetOn: saved.performedAt.slice(0, 10),
            resolvedOn: null,
            notes: 'Reviewed at follow-up.',
          });
        }
      });
      if (completed) services.courses.setStatus({ id: c.id, status: 'completed' });
      if (k === 0 && step < DEMO_PHOTO_CLIENTS && sessionIds.length > 0) {
        plan.photoCourses.push({ step, area: course.area, sessionIds });
      }
    });
  });
}
