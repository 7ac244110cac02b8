/**
 * The clinical vocabulary (see shared/domain.md). Keys are stable identifiers stored in the
 * database; labels are what a practitioner reads. Ranges are configurable defaults for warnings.
 */

export const AREAS = {
  lips_perioral: 'Lips / perioral',
  forehead: 'Forehead',
  periorbital: 'Periorbital',
  nose: 'Nose',
  cheeks: 'Cheeks',
  chin: 'Chin',
  jawline: 'Jawline',
  full_face: 'Full face',
  neck: 'Neck',
  decolletage: 'Décolletage',
  scalp: 'Scalp',
  hands: 'Hands',
  abdomen: 'Abdomen',
  thighs: 'Thighs',
  other: 'Other',
} as const;
export type Area = keyof typeof AREAS;
export const AREA_KEYS = Object.keys(AREAS) as [Area, ...Area[]];

/**
 * Zones carry a needle depth each; a full-face course is recorded zone by zone. Zones are split by
 * side where clinicians treat and document the sides apart (eyes, cheeks, jawline) and the lips by
 * lip; the body areas stay whole. Schema version 11 split the older unsided zones (LEGACY_ZONE_SPLIT).
 */
export const ZONES = {
  forehead: 'Forehead',
  periorbital_left: 'Left periorbital',
  periorbital_right: 'Right periorbital',
  nose: 'Nose',
  cheek_left: 'Left cheek',
  cheek_right: 'Right cheek',
  upper_lip: 'Upper lip',
  lower_lip: 'Lower lip',
  perioral: 'Perioral',
  chin: 'Chin',
  jawline_left: 'Left jawline',
  jawline_right: 'Right jawline',
  neck: 'Neck',
  decolletage: 'Décolletage',
  scalp: 'Scalp',
  hands: 'Hands',
  abdomen: 'Abdomen',
  thighs: 'Thighs',
  other: 'Other',
} as const;
export type Zone = keyof typeof ZONES;
export const ZONE_KEYS = Object.keys(ZONES) as [Zone, ...Zone[]];

/**
 * The unsided zones stored before schema version 11, and the zones that cover the same skin now.
 * "Cheeks 0.75 mm" recorded that both cheeks were treated at 0.75 mm; "Lips / perioral" covered both
 * lips and the skin around them. Each becomes its parts at the same depth, which says exactly what
 * the old record said (same skin, same depth) in today's vocabulary, and nothing more.
 */
export const LEGACY_ZONE_SPLIT = {
  lips_perioral: ['upper_lip', 'lower_lip', 'perioral'],
  periorbital: ['periorbital_left', 'periorbital_right'],
  cheeks: ['cheek_left', 'cheek_right'],
  jawline: ['jawline_left', 'jawline_right'],
} as const satisfies Record<string, readonly Zone[]>;
export type LegacyZone = keyof typeof LEGACY_ZONE_SPLIT;

/** Most passes one zone takes in a session (a typo catch: 2–8 is usual). */
export const MAX_ZONE_PASSES = 20;
/**
 * Most passes the session's own Passes field takes (a typo catch). It is not checked against the
 * zones' passes: a session may record only the one figure, or zones and a figure of its own.
 */
export const MAX_SESSION_PASSES = 50;

/**
 * A stored zone's name, also for a record written before schema version 11 (audit rows, addenda),
 * whose unsided zones are area names.
 */
export function zoneLabel(zone: string): string {
  return (ZONES as Record<string, string>)[zone] ?? (AREAS as Record<string, string>)[zone] ?? zone;
}

export const ZONES_FOR_AREA: Record<Area, readonly Zone[]> = {
  lips_perioral: LEGACY_ZONE_SPLIT.lips_perioral,
  forehead: ['forehead'],
  periorbital: LEGACY_ZONE_SPLIT.periorbital,
  nose: ['nose'],
  cheeks: LEGACY_ZONE_SPLIT.cheeks,
  chin: ['chin'],
  jawline: LEGACY_ZONE_SPLIT.jawline,
  full_face: [
    'forehead',
    'periorbital_left',
    'periorbital_right',
    'nose',
    'cheek_left',
    'cheek_right',
    'upper_lip',
    'lower_lip',
    'perioral',
    'chin',
    'jawline_left',
    'jawline_right',
  ],
  neck: ['neck'],
  decolletage: ['decolletage'],
  scalp: ['scalp'],
  hands: ['hands'],
  abdomen: ['abdomen'],
  thighs: ['thighs'],
  other: ['other'],
};

export const INDICATIONS = {
  acne_scars: 'Acne scars',
  fine_lines: 'Fine lines and wrinkles',
  texture_pores: 'Texture and pores',
  stretch_marks: 'Stretch marks (striae)',
  lip_enhancement: 'Lip enhancement',
  pigmentation: 'Pigmentation',
  other: 'Other',
} as const;
export type Indication = keyof typeof INDICATIONS;
export const INDICATION_KEYS = Object.keys(INDICATIONS) as [Indication, ...Indication[]];

export interface DepthRange {
  min: number;
  max: number;
}

/** Hard limits catch typos only (domain.md: 0.1–3.0 mm). */
export const DEPTH_HARD_MIN_MM = 0.1;
export const DEPTH_HARD_MAX_MM = 3.0;

/**
 * Typical depths per zone. Periorbital, forehead, lips, nose, cheeks and chin are from domain.md;
 * jawline follows cheeks/chin, neck/décolletage/hands follow the thin-skin ranges, and abdomen/thighs
 * follow striae, our choice where the literature summary is silent. All are editable in Settings.
 */
export const DEFAULT_DEPTH_RANGES: Record<Zone, DepthRange> = {
  forehead: { min: 0.25, max: 0.5 },
  periorbital_left: { min: 0.2, max: 0.3 },
  periorbital_right: { min: 0.2, max: 0.3 },
  nose: { min: 0.25, max: 0.75 },
  cheek_left: { min: 0.5, max: 1.0 },
  cheek_right: { min: 0.5, max: 1.0 },
  upper_lip: { min: 0.25, max: 0.5 },
  lower_lip: { min: 0.25, max: 0.5 },
  perioral: { min: 0.25, max: 0.5 },
  chin: { min: 0.5, max: 1.0 },
  jawline_left: { min: 0.5, max: 1.0 },
  jawline_right: { min: 0.5, max: 1.0 },
  neck: { min: 0.25, max: 0.5 },
  decolletage: { min: 0.25, max: 0.5 },
  scalp: { min: 0.5, max: 1.0 },
  hands: { min: 0.25, max: 0.5 },
  abdomen: { min: 1.5, max: 2.0 },
  thighs: { min: 1.5, max: 2.0 },
  other: { min: 0.1, max: 3.0 },
};

/** Indications treated deeper than the zone's cosmetic range (acne scars 1.0–2.5, striae 1.5–2.0). */
export const DEFAULT_INDICATION_DEPTH_RANGES: Partial<Record<Indication, DepthRange>> = {
  acne_scars: { min: 1.0, max: 2.5 },
  stretch_marks: { min: 1.5, max: 2.0 },
};

export const NUMBING_AGENTS = {
  none: 'None',
  emla: 'EMLA (lidocaine 2.5% + prilocaine 2.5%)',
  lmx4: 'LMX-4 (lidocaine 4%)',
  blt: 'BLT (benzocaine 20% / lidocaine 6% / tetracaine 4%)',
  lido23_tetra7: 'Lidocaine 23% / tetracaine 7%',
  other: 'Other',
} as const;
export type NumbingAgent = keyof typeof NUMBING_AGENTS;
export const NUMBING_AGENT_KEYS = Object.keys(NUMBING_AGENTS) as [NumbingAgent, ...NumbingAgent[]];
export const NUMBING_WARN_MINUTES = 60;

export const AFTERCARE = {
  no_makeup_24_48h: 'No make-up for 24–48 h',
  no_actives_5_7d: 'No retinoids, acids or vitamin C for 5–7 days',
  spf30_from_24h: 'SPF 30+ from 24 h',
  avoid_heat_sweat_24_48h: 'Avoid heat and sweat for 24–48 h',
  keep_lips_moisturised: 'Keep lips moisturised',
  avoid_sun: 'Avoid sun',
} as const;
export type Aftercare = keyof typeof AFTERCARE;
export const AFTERCARE_KEYS = Object.keys(AFTERCARE) as [Aftercare, ...Aftercare[]];

export const ADVERSE_EVENT_KINDS = {
  prolonged_erythema: 'Erythema > 3 days',
  edema: 'Edema',
  bruising: 'Bruising',
  infection: 'Infection',
  herpes_flare: 'Herpes flare',
  acne_flare: 'Acne flare',
  pih: 'Post-inflammatory hyperpigmentation (PIH)',
  tram_track: 'Tram-track scarring',
  granulomatous: 'Granulomatous reaction',
  contact_dermatitis: 'Contact dermatitis',
  other: 'Other',
} as const;
export type AdverseEventKind = keyof typeof ADVERSE_EVENT_KINDS;
export const ADVERSE_EVENT_KIND_KEYS = Object.keys(ADVERSE_EVENT_KINDS) as [
  AdverseEventKind,
  ...AdverseEventKind[],
];
export const SEVERITIES = ['mild', 'moderate', 'severe'] as const;

export const CONTRAINDICATIONS = {
  active_infection: 'Active infection or herpes',
  keloid: 'Keloid tendency',
  anticoagulants: 'Anticoagulants or bleeding disorder',
  isotretinoin_6m: 'Isotretinoin within 6 months',
  pregnancy: 'Pregnancy',
  allergy: 'Metal or anaesthetic allergy',
  recent_filler_toxin: 'Recent filler or toxin in the area',
} as const;
export type Contraindication = keyof typeof CONTRAINDICATIONS;
export const CONTRAINDICATION_KEYS = Object.keys(CONTRAINDICATIONS) as [
  Contraindication,
  ...Contraindication[],
];

export const COURSE_STATUSES = ['active', 'paused', 'completed', 'cancelled'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

export const PHOTO_CONSENTS = ['none', 'record', 'teaching', 'marketing'] as const;
export type PhotoConsent = (typeof PHOTO_CONSENTS)[number];

/**
 * What a client may have agreed photos are used for, from the narrowest. Each photo keeps the scope
 * it was taken under; a photo without one was filed before NeedleLog asked for consent.
 */
export const PHOTO_CONSENT_SCOPES = {
  record: 'Record only',
  teaching: 'Teaching',
  marketing: 'Marketing',
} as const;
export type PhotoConsentScope = keyof typeof PHOTO_CONSENT_SCOPES;
export const PHOTO_CONSENT_SCOPE_KEYS = Object.keys(PHOTO_CONSENT_SCOPES) as [
  PhotoConsentScope,
  ...PhotoConsentScope[],
];
/** How a photo's consent is named on screen and in the report, e.g. "Photo consent: Teaching". */
export function photoConsentLabel(scope: PhotoConsentScope | null): string {
  return scope ? `Photo consent: ${PHOTO_CONSENT_SCOPES[scope]}` : 'No photo consent recorded';
}
/** What each scope allows, in the words shown where consent is asked. */
export const PHOTO_CONSENT_SCOPE_HINTS: Record<PhotoConsentScope, string> = {
  record: 'Kept in the clinical record only; seen by the clinic.',
  teaching: 'Also shown, without the name, to colleagues for training.',
  marketing: 'Also published by the clinic (website, social media, leaflets).',
};

/** The interval below which a new session earns a warning (domain.md: sessions are 2–6 weeks apart). */
export const MIN_INTERVAL_DAYS = 14;

/** Depth range that applies to a zone in a course with the given indication. */
export function effectiveDepthRange(
  zone: Zone,
  indication: Indication,
  zoneRanges: Record<Zone, DepthRange>,
  indicationRanges: Partial<Record<Indication, DepthRange>>,
): DepthRange {
  // The skin around the eyes stays shallow whatever is being treated elsewhere on the face.
  const byIndication = zone.startsWith('periorbital') ? undefined : indicationRanges[indication];
  return byIndication ?? zoneRanges[zone];
}

export const PHOTO_KINDS = { before: 'Before', after: 'After', follow_up: 'Follow-up' } as const;
export type PhotoKind = keyof typeof PHOTO_KINDS;
export const PHOTO_KIND_KEYS = Object.keys(PHOTO_KINDS) as [PhotoKind, ...PhotoKind[]];

export const PHOTO_VIEWS = {
  frontal: 'Frontal',
  left_oblique: 'Left oblique (45°)',
  right_oblique: 'Right oblique (45°)',
  left_lateral: 'Left lateral (90°)',
  right_lateral: 'Right lateral (90°)',
  close_up: 'Close-up',
} as const;
export type PhotoView = keyof typeof PHOTO_VIEWS;
export const PHOTO_VIEW_KEYS = Object.keys(PHOTO_VIEWS) as [PhotoView, ...PhotoView[]];

/** Photo file limits, checked before anything is decoded. */
export const MAX_PHOTO_BYTES = 60 * 1024 * 1024;
export const MAX_PHOTO_MEGAPIXELS = 100;

/** A session later than the plan by more than this many days stands out (course page, charts, PDF). */
export const LATE_AFTER_DAYS = 7;

/** True when the actual interval exceeds the planned one by more than LATE_AFTER_DAYS. */
export function isLate(actualDays: number | null, plannedDays: number): boolean {
  return actualDays !== null && actualDays > plannedDays + LATE_AFTER_DAYS;
}

/** Export formats; a new one adds its key and label here and its writer in electron/services/exports/formats.ts. */
export const EXPORT_FORMATS = ['csv', 'pdf', 'zip'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_FORMAT_LABELS: Record<ExportFormat, string> = {
  csv: 'Spreadsheet (CSV, one row per session)',
  pdf: 'PDF course report (to hand over or file)',
  zip: 'Archive bundle (.zip: records, photos, CSV, checksums)',
};

/** Formats for one course or one client only (the PDF report); the whole clinic exports as CSV or zip. */
export const COURSE_OR_CLIENT_FORMATS: readonly ExportFormat[] = ['pdf'];

/** Largest bundle the Import screen accepts as an upload (the CLI reads files of any size). */
export const MAX_BUNDLE_UPLOAD_BYTES = 512 * 1024 * 1024;

/** The idle lock: minutes without input before the screen locks (a clinic setting). */
export const IDLE_LOCK_MINUTES = { min: 1, max: 60, default: 5 } as const;
/** Wrong PINs allowed before each further try must wait (30 s, 1 min, 5 min, 15 min, then 1 h). */
export const PIN_FREE_TRIES = 5;
export const PIN_WAITS_SECONDS = [30, 60, 300, 900, 3600] as const;
/** Shown wherever a new PIN is asked for (the contract's rule says the same). */
export const PIN_HINT = 'At least 6 digits, or a passphrase of at least 8 characters.';

/** The three lot numbers a session records; a recall searches all of them. */
export const LOT_KINDS = {
  cartridge: 'Cartridge',
  numbing: 'Numbing agent',
  glide: 'Glide / serum',
} as const;
export type LotKind = keyof typeof LOT_KINDS;
export const LOT_KIND_KEYS = Object.keys(LOT_KINDS) as [LotKind, ...LotKind[]];
/** Lot numbers are short codes; the session fields take at most this many characters. */
export const MAX_LOT_LENGTH = 100;

/** The shortest clinic (or bundle) passphrase accepted. */
export const MIN_PASSPHRASE_LENGTH = 10;
