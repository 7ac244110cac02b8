import { z } from 'zod';

/**
 * Imported for its effect, by the renderer before it parses anything with zod: zod compiles fast
 * parsers with `new Function` where it may, and probes for that once. The renderer's CSP forbids
 * eval, so the probe would be refused and reported as a CSP violation; jitless mode parses without
 * compiling and never probes. The main side keeps zod's compiled parsers.
 */
z.config({ jitless: true });
