/**
 * NEEDLELOG_TRACE_START=1: one line on stderr for each step of a start, the first time it is
 * reached (`[needlelog start] STEP EPOCH_MS`), so `npm run bench:ui` can print where a cold start's
 * time goes. Off, it costs one comparison.
 */
const tracing = process.env.NEEDLELOG_TRACE_START === '1';
const seen = new Set<string>();

export function startStep(step: string): void {
  if (!tracing || seen.has(step)) return;
  seen.add(step);
  process.stderr.write(
    `[needlelog start] ${step} ${(performance.timeOrigin + performance.now()).toFixed(1)}\n`,
  );
}
