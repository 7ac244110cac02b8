/**
 * The one Content-Security-Policy of the renderer, sent by both hosts as a header and written into
 * index.html at build time. No inline or eval'd script or style, nothing remote; images may be
 * data/blob URLs (camera capture) or photos from the photo protocol. Kept as a single string literal:
 * scripts/electronegativity.mjs finds it in the built main bundle and evaluates it.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: needlelog-photo:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** The same policy for a <meta> tag, which cannot carry frame-ancestors (the headers do). */
export const META_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(/\s*frame-ancestors [^;]*;/, '');
