import { z } from 'zod';

export const ERROR_CODES = [
  'invalid_input',
  'not_found',
  'conflict',
  'unauthorized',
  /** Nobody is signed in, or the session is locked: the sign-in or lock screen comes back. */
  'sign_in_required',
  'forbidden',
  /** The clinic is encrypted and not unlocked yet. */
  'locked',
  'too_large',
  'bad_json',
  /** The browser host: the body is not of the type the address takes (a file as octet-stream, else JSON). */
  'unsupported_media_type',
  /** The browser host: the address does not take this method (the Allow header says which do). */
  'method_not_allowed',
  /** A signed download address past its expiry: export again. */
  'expired',
  'unknown_channel',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One thing wrong with one input field: what a form shows next to that field. */
export const FieldIssue = z.object({
  message: z.string(),
  /** Dotted path of the input field, e.g. "zones.1.depthMm"; absent for the input as a whole. */
  field: z.string().optional(),
});
export type FieldIssue = z.infer<typeof FieldIssue>;

export const ApiError = z.object({
  code: z.enum(ERROR_CODES),
  /** The one sentence to read first (the first issue's, when there are several). */
  message: z.string(),
  /** Dotted path of the input field the message belongs next to, e.g. "zones.1.depthMm". */
  field: z.string().optional(),
  /** Every field's issue of a refused input, so a form marks them all at once (first = message/field). */
  issues: z.array(FieldIssue).optional(),
});
export type ApiError = z.infer<typeof ApiError>;

/** Something worth a second look that did not stop the save (e.g. a depth outside the usual range). */
export const Warning = z.object({
  code: z.string(),
  message: z.string(),
  field: z.string().optional(),
  /** For a value outside its usual range: how far (contract/warnings.ts). */
  grade: z.enum(['just', 'well', 'far']).optional(),
  detail: z.string().optional(),
});
export type Warning = z.infer<typeof Warning>;

export type Reply<T> = { ok: true; value: T; warnings?: Warning[] } | { ok: false; error: ApiError };

/** Progress of a long job (demo load, import, export, backup), pushed to the renderer. */
export const ProgressEvent = z.object({
  jobId: z.string(),
  label: z.string(),
  done: z.number(),
  total: z.number(),
  finished: z.boolean(),
  error: z.string().optional(),
});
export type ProgressEvent = z.infer<typeof ProgressEvent>;

/** One zod issue in the words the person in front of the screen needs. */
function issueOf(issue: z.core.$ZodIssue): FieldIssue {
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    message = `Unexpected field: ${issue.keys.join(', ')}.`;
  } else if (issue.code === 'invalid_type' && issue.path.length === 0 && issue.expected === 'object') {
    // The whole input is not a set of fields (null, a number, a list): zod's wording is for developers.
    message = 'The request must be a set of named fields (a JSON object).';
  }
  return field ? { message, field } : { message };
}

/**
 * Turns a zod failure into the message the person in front of the screen needs first (`message`,
 * `field`) and every field's issue (`issues`, one per field, in the input's order), so a form can
 * mark all of them after one save.
 */
export function errorFromZod(error: z.ZodError): ApiError {
  const all = error.issues.map(issueOf);
  const first = all[0];
  const seen = new Set<string>();
  const issues = all.filter((i) => {
    const key = i.field ?? '';
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return {
    code: 'invalid_input',
    message: first?.message ?? 'The input is not valid.',
    ...(first?.field ? { field: first.field } : {}),
    ...(issues.length > 1 ? { issues } : {}),
  };
}
