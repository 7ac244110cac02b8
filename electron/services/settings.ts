import type { z } from 'zod';
import {
  DEFAULT_DEPTH_RANGES,
  DEFAULT_INDICATION_DEPTH_RANGES,
  IDLE_LOCK_MINUTES,
  type DepthRange,
  type Indication,
} from '../../contract/domain.js';
import { runtimeLocale } from '../../contract/format.js';
import { DEFAULT_PHOTO_SETS, orderedViews } from '../../contract/photoSets.js';
import { Settings, SettingsUpdate, type Settings as SettingsT } from '../../contract/schemas.js';
import { DEFAULT_CONSENT_TEMPLATE } from '../../contract/signing.js';
import { readSettingsText, writeSetting } from '../../db/settings.js';
import type { Db } from '../../db/connection.js';
import { audit, inTransaction, nowIso, type ServiceContext } from './context.js';
import { AppError, parseInput } from './errors.js';
import { practitionerStore } from './practitioners.js';
import { requireLive } from './records.js';

const DEFAULTS: SettingsT = {
  clinicName: '',
  currentPractitionerId: null,
  defaultNumbingAgent: 'none',
  idleLockMinutes: IDLE_LOCK_MINUTES.default,
  depthRanges: DEFAULT_DEPTH_RANGES,
  indicationDepthRanges: DEFAULT_INDICATION_DEPTH_RANGES,
  locale: '',
  systemLocale: '',
  photoSets: Object.fromEntries(
    Object.entries(DEFAULT_PHOTO_SETS).map(([area, views]) => [area, [...views]]),
  ) as SettingsT['photoSets'],
  consentTemplate: { ...DEFAULT_CONSENT_TEMPLATE, updatedAt: null },
  requireSignedConsent: true,
  signReminderDays: 3,
};

/** Keys whose value is a record merged over its default, so entries added by a later version appear. */
const MERGED_KEYS = new Set(['depthRanges', 'photoSets']);

/**
 * The last settings parsed per database, by the text of the rows they came from: every session
 * save reads them (warnings, the consent rule), and parsing them through the schema cost more
 * than the rest of the save's checks. A change of any row (here or by a sync) changes the text.
 */
const parsedSettings = new WeakMap<Db, { text: string; value: SettingsT }>();

/** Stored settings over the defaults; a stored value that no longer parses falls back to its default. */
export function loadSettings(ctx: ServiceContext): SettingsT {
  const rows = readSettingsText(ctx.db);
  const text = rows.map((r) => `${r.key}\u001f${r.value}`).join('\u001e');
  const cached = parsedSettings.get(ctx.db);
  // A copy each time: callers may build on the object they get.
  if (cached?.text === text) return structuredClone(cached.value);
  const value = parseSettings(new Map(rows.map((r) => [r.key, JSON.parse(r.value) as unknown])));
  parsedSettings.set(ctx.db, { text, value });
  return structuredClone(value);
}

function parseSettings(stored: Map<string, unknown>): SettingsT {
  const merged: Record<string, unknown> = { ...DEFAULTS, systemLocale: runtimeLocale() };
  for (const [key, value] of stored) {
    if (MERGED_KEYS.has(key)) {
      // Zones (areas) added by a later version get their default; saved ones keep theirs.
      merged[key] = { ...(DEFAULTS[key as keyof SettingsT] as object), ...(value as object) };
    } else if (key in DEFAULTS && key !== 'systemLocale') {
      merged[key] = value;
    }
  }
  const parsed = Settings.safeParse(merged);
  return parsed.success ? parsed.data : { ...DEFAULTS, systemLocale: runtimeLocale() };
}

export function settingsService(ctx: ServiceContext) {
  return {
    get: (): SettingsT => loadSettings(ctx),

    update(input: z.input<typeof SettingsUpdate>): SettingsT {
      const patch = parseInput(SettingsUpdate, input);
      return inTransaction(ctx, () => {
        const before = loadSettings(ctx);
        const at = nowIso(ctx);
        if (patch.currentPractitionerId) {
          try {
            requireLive(ctx, practitionerStore, patch.currentPractitionerId);
          } catch {
            throw new AppError('not_found', 'That practitioner is not on the list.', 'currentPractitionerId');
          }
        }
        for (const [key, value] of Object.entries(patch)) {
          if (value === undefined) continue;
          if (key === 'indicationDepthRanges') {
            // null removes an indication's own range so the zone ranges apply again.
            const next: Partial<Record<Indication, DepthRange>> = { ...before.indicationDepthRanges };
            for (const [ind, r] of Object.entries(value as Record<Indication, DepthRange | null>)) {
              if (r === null) delete next[ind as Indication];
              else next[ind as Indication] = r;
            }
            writeSetting(ctx.db, key, next, at);
          } else if (key === 'depthRanges') {
            writeSetting(ctx.db, key, { ...before.depthRanges, ...(value as object) }, at);
          } else if (key === 'photoSets') {
            // Kept in the standard view order, which is the order capture walks through them.
            const sets = { ...before.photoSets };
            for (const [area, views] of Object.entries(value as SettingsT['photoSets'])) {
              sets[area as keyof SettingsT['photoSets']] = orderedViews(views);
            }
            writeSetting(ctx.db, key, sets, at);
          } else if (key === 'consentTemplate') {
            // Each change of the text is a new version; signed consents keep the text they were signed on.
            const { title, body } = value as { title: string; body: string };
            const current = before.consentTemplate;
            if (title !== current.title || body !== current.body) {
              writeSetting(ctx.db, key, { version: current.version + 1, title, body, updatedAt: at }, at);
            }
          } else {
            writeSetting(ctx.db, key, value, at);
          }
        }
        const after = loadSettings(ctx);
        audit(ctx, 'settings', 'settings', 'update', before, after, at);
        return after;
      });
    },
  };
}
