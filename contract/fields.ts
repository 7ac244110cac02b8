import { z } from 'zod';

/**
 * The field builders every contract schema is made of: text, numbers, choices, dates, ids, edits.
 */
/*
 * Every message here is read by a practitioner next to the field it concerns, so each builder
 * takes the field's label and says what is expected, not what the parser saw.
 */

export const recordId = z.uuid({ error: 'That record reference is not valid.' });

/** The message for a value of the wrong type, or "is required" when the field is missing. */
export function typeError(label: string, expected: string) {
  return (issue: { input?: unknown }) =>
    issue.input === undefined || issue.input === null ? `${label} is required.` : `${label} ${expected}`;
}

/** Any control character (C0, DEL, C1): invisible, and NUL cuts text short in SQLite. */
const CONTROL = /\p{Cc}/u;
/** The same, except the line breaks and tabs a multi-line note may hold. */
const CONTROL_IN_NOTES = /(?![\n\r\t])\p{Cc}/u;

/**
 * One line of free text (a name, a lot number) or, with `multiline`, a note that may hold line
 * breaks and tabs. Neither may hold other control characters.
 */
export function text(label: string, max: number, { multiline = false }: { multiline?: boolean } = {}) {
  return z
    .string({ error: typeError(label, 'must be text.') })
    .trim()
    .max(max, { error: `${label} is too long (at most ${max} characters).` })
    .refine((s) => !(multiline ? CONTROL_IN_NOTES : CONTROL).test(s), {
      error: multiline
        ? `${label} contains an invisible control character; remove it.`
        : `${label} must be one line of text, without tabs or invisible control characters.`,
    });
}

/** Free text that may run over several lines (notes). */
export function notes(label: string, max: number) {
  return text(label, max, { multiline: true });
}

export function requiredText(label: string, max: number) {
  return text(label, max).min(1, { error: `${label} is required.` });
}

export function wholeNumber(label: string, min: number, max: number) {
  const msg = `${label} must be a whole number from ${min} to ${max}.`;
  return z
    .number({ error: typeError(label, `must be a whole number from ${min} to ${max}.`) })
    .int({ error: msg })
    .min(min, { error: msg })
    .max(max, { error: msg });
}

export function optionalWholeNumber(label: string, min: number, max: number) {
  return wholeNumber(label, min, max).nullable().default(null);
}

export function choice<T extends readonly [string, ...string[]]>(label: string, values: T) {
  return z.enum(values, { error: `Choose a valid ${label.toLowerCase()}.` });
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
function isRealDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
export function dateOnly(label: string) {
  return z
    .string({ error: typeError(label, 'must be a date.') })
    .regex(DATE_RE, { error: `${label} must be a date like 2026-03-31.` })
    .refine(isRealDate, { error: `${label} is not a real calendar date.` });
}

/** Accepts any ISO-8601 instant (with Z or an offset) and stores it as UTC. */
export function instant(label: string) {
  return z
    .string({ error: typeError(label, 'must be a date and time.') })
    .pipe(
      z.iso.datetime({ offset: true, error: `${label} must be a date and time like 2026-03-31T14:30:00Z.` }),
    )
    .transform((s) => new Date(s).toISOString())
    .refine((s) => s >= '1900-01-01' && s < '2200-01-01', {
      error: `${label} is outside any plausible date.`,
    });
}

/**
 * The schema for an edit: every field optional and, unlike `.partial()`, no defaults filled in,
 * so a field the edit does not mention keeps its saved value.
 */
export function patchOf<S extends z.ZodObject>(
  schema: S,
): z.ZodType<Partial<z.output<S>>, Partial<z.input<S>>> {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => {
      const inner = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType);
      return [key, inner.optional()];
    }),
  );
  return z.strictObject(shape) as unknown as z.ZodType<Partial<z.output<S>>, Partial<z.input<S>>>;
}
