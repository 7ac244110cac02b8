import type { Area, PhotoKind, PhotoView } from '../../contract/domain.js';
import { seededRandom, type DemoPlan } from './demo.js';
import type { Services } from './index.js';

/**
 * Synthetic photos for the demo clinic: a stylised face drawn as SVG (nobody's likeness), whose
 * blotchy redness and skin texture fade across a course. "After" photos carry the even flush that
 * follows a treatment. Rendered to JPEG with sharp and imported through the normal pipeline.
 */

const DEMO_PHOTO_WIDTH = 800;
const DEMO_PHOTO_HEIGHT = 1000;

interface DemoPhotoSpec {
  /** Differs per client: skin tone, hair, blotch positions. */
  seed: number;
  area: Area;
  /** 0-based session index and the course's session count. */
  session: number;
  sessions: number;
  kind: PhotoKind;
  view: PhotoView;
}

const SKIN = ['#f3d5c0', '#eac3a6', '#d9a883', '#c48c64', '#9c6844', '#74482c'];
const HAIR = ['#2b1d14', '#5a3a22', '#8a5a2b', '#1c1c1c', '#b88a4a', '#3d2a1e'];

function f(n: number): string {
  return n.toFixed(1);
}

/** The SVG of one demo photo. Close-ups zoom into the treated area of the same drawing. */
function demoPhotoSvg(spec: DemoPhotoSpec): string {
  const rnd = seededRandom(spec.seed * 7919 + 17);
  const skin = SKIN[spec.seed % SKIN.length] as string;
  const hair = HAIR[(spec.seed * 5) % HAIR.length] as string;
  const progress = spec.sessions > 1 ? spec.session / (spec.sessions - 1) : 0; // 0 → 1 across the course
  const severity = 1 - 0.75 * progress;
  const lips = spec.area === 'lips_perioral';
  const lipScale = lips ? 1 + 0.35 * progress : 1;

  // Blotches and texture dots: the same positions every session, fading as the course goes on.
  const blotches: string[] = [];
  for (let i = 0; i < 14; i++) {
    const side = i % 2 === 0 ? -1 : 1;
    const cx = 400 + side * (95 + rnd() * 85);
    const cy = 540 + (rnd() - 0.4) * 150;
    const r = 30 + rnd() * 45;
    blotches.push(
      `<circle cx="${f(cx)}" cy="${f(cy)}" r="${f(r)}" fill="url(#blotch)" opacity="${f(0.25 + 0.75 * severity * rnd())}"/>`,
    );
  }
  const dots: string[] = [];
  const dotCount = Math.round(160 * severity);
  for (let i = 0; i < 160; i++) {
    const a = rnd() * Math.PI * 2;
    const d = Math.sqrt(rnd());
    const cx = 400 + Math.cos(a) * d * 190;
    const cy = 560 + Math.sin(a) * d * 200;
    const r = 1.5 + rnd() * 3;
    if (i < dotCount && Math.abs(cx - 400) > 45) {
      dots.push(`<circle cx="${f(cx)}" cy="${f(cy)}" r="${f(r)}" fill="#8a3b2e" opacity="0.35"/>`);
    }
  }
  const flush =
    spec.kind === 'after' ? `<ellipse cx="400" cy="520" rx="215" ry="285" fill="url(#flush)"/>` : '';
  const lipPath = (y: number, h: number, up: boolean) =>
    up
      ? `M310 ${y} Q355 ${y - h} 400 ${y - h * 0.55} Q445 ${y - h} 490 ${y} Q400 ${y + 8} 310 ${y} Z`
      : `M310 ${y} Q400 ${y + h * 1.5} 490 ${y} Q400 ${y + 8} 310 ${y} Z`;
  const upperH = 26 * lipScale;
  const lowerH = 30 * lipScale;

  // Close-up: the lips for a lip course, otherwise the left cheek.
  const viewBox =
    spec.view === 'close_up'
      ? lips
        ? '270 590 260 325'
        : '200 430 260 325'
      : `0 0 ${DEMO_PHOTO_WIDTH} ${DEMO_PHOTO_HEIGHT}`;

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${DEMO_PHOTO_WIDTH}" height="${DEMO_PHOTO_HEIGHT}" viewBox="${viewBox}" preserveAspectRatio="xMidYMid slice">
<defs>
  <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#dfe7ec"/><stop offset="1" stop-color="#b8c6cf"/></linearGradient>
  <radialGradient id="shade" cx="0.5" cy="0.42" r="0.65"><stop offset="0.6" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="0.18"/></radialGradient>
  <clipPath id="face"><ellipse cx="400" cy="500" rx="215" ry="285"/></clipPath>
  <radialGradient id="blotch"><stop offset="0" stop-color="#c2413a" stop-opacity="0.55"/><stop offset="1" stop-color="#c2413a" stop-opacity="0"/></radialGradient>
  <radialGradient id="flush" cx="0.5" cy="0.55" r="0.6"><stop offset="0.3" stop-color="#e0564d" stop-opacity="0.3"/><stop offset="1" stop-color="#e0564d" stop-opacity="0.12"/></radialGradient>
</defs>
<rect width="${DEMO_PHOTO_WIDTH}" height="${DEMO_PHOTO_HEIGHT}" fill="url(#bg)"/>
<path d="M170 1000 Q190 830 330 800 L470 800 Q610 830 630 1000 Z" fill="#50677a"/>
<rect x="335" y="700" width="130" height="140" fill="${skin}"/>
<path d="M175 470 Q160 170 400 140 Q640 170 625 470 Q600 300 400 270 Q200 300 175 470 Z" fill="${hair}"/>
<ellipse cx="400" cy="500" rx="215" ry="285" fill="${skin}"/>
<ellipse cx="400" cy="500" rx="215" ry="285" fill="url(#shade)"/>
<ellipse cx="186" cy="510" rx="22" ry="46" fill="${skin}"/>
<ellipse cx="614" cy="510" rx="22" ry="46" fill="${skin}"/>
<g clip-path="url(#face)">${blotches.join('')}
${dots.join('')}
${flush}</g>
<path d="M250 388 Q305 360 355 385" stroke="${hair}" stroke-width="11" fill="none" stroke-linecap="round"/>
<path d="M445 385 Q495 360 550 388" stroke="${hair}" stroke-width="11" fill="none" stroke-linecap="round"/>
<ellipse cx="305" cy="440" rx="42" ry="18" fill="#fbfbfb"/>
<ellipse cx="495" cy="440" rx="42" ry="18" fill="#fbfbfb"/>
<circle cx="305" cy="440" r="14" fill="#3b2a20"/>
<circle cx="495" cy="440" r="14" fill="#3b2a20"/>
<path d="M400 450 Q385 545 372 578 Q400 592 428 578" stroke="#8c5a44" stroke-width="5" fill="none" stroke-linecap="round" opacity="0.7"/>
<path d="${lipPath(668, upperH, true)}" fill="#b5535a"/>
<path d="${lipPath(668, lowerH, false)}" fill="#c4636a"/>
<path d="M312 668 Q400 676 488 668" stroke="#7d3036" stroke-width="3" fill="none"/>
</svg>`;
}

/** One demo photo as a JPEG, as a camera would hand it over. */
async function demoPhotoJpeg(spec: DemoPhotoSpec): Promise<Buffer> {
  // sharp (libvips) is loaded the first time a photo needs it, not at every start of the app.
  const { default: sharp } = await import('sharp');
  return sharp(Buffer.from(demoPhotoSvg(spec)))
    .jpeg({ quality: 88 })
    .toBuffer();
}

interface PhotoTask {
  sessionId: string;
  session: number;
  kind: PhotoKind;
  view: PhotoView;
}

/**
 * The async phase of one demo step: the photos of the courses that step wrote (Before and After
 * frontal for every session, a Before close-up for the first and the last), imported through the
 * real pipeline. Two at a time: sharp works on its own threads, so the event loop stays free.
 * Returns how many photos were added.
 */
export async function loadDemoPhotos(services: Services, plan: DemoPlan, step: number): Promise<number> {
  let added = 0;
  for (const course of plan.photoCourses.filter((c) => c.step === step)) {
    const last = course.sessionIds.length - 1;
    const tasks: PhotoTask[] = course.sessionIds.flatMap((sessionId, session) => {
      const list: PhotoTask[] = [
        { sessionId, session, kind: 'before', view: 'frontal' },
        { sessionId, session, kind: 'after', view: 'frontal' },
      ];
      if (session === 0 || session === last)
        list.push({ sessionId, session, kind: 'before', view: 'close_up' });
      return list;
    });
    const one = async (t: PhotoTask) => {
      const data = await demoPhotoJpeg({
        seed: step + 1,
        area: course.area,
        session: t.session,
        sessions: course.sessionIds.length,
        kind: t.kind,
        view: t.view,
      });
      await services.photos.import({
        sessionId: t.sessionId,
        kind: t.kind,
        view: t.view,
        fileName: `demo-${t.kind}-${t.view}.jpg`,
        data,
      });
      added += 1;
    };
    for (let i = 0; i < tasks.length; i += 2) {
      await Promise.all(tasks.slice(i, i + 2).map(one));
    }
  }
  return added;
}
