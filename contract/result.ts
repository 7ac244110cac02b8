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
  'unknown_channel',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ApiError = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** Dotted path of the input field the message belongs next to, e.g. "zones.1.depthMm". */
  field: z.string().optional(),
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

/** Turns a zod failure into the one message the person in front of the screen needs first. */
export function errorFromZod(error: z.ZodError): ApiError {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
  let message = issue?.message ?? 'The input is not valid.';
  if (issue?.code === 'unrecognized_keys') {
    message = `Unexpected field: ${issue.keys.join(', ')}.`;
  } else if (issue?.code === 'invalid_type' && issue.path.length === 0 && issue.expected === 'object') {
    // The whole input is not a set of fields (null, a number, a list): zod's wording is for developers.
    message = 'The request must be a set of named fields (a JSON object).';
  }
  return { code: 'invalid_input', message, ...(field ? { field } : {}) };
}
