/**
 * A number box's text as the contract takes it: empty → null, so the contract names the field as
 * required (in the renderer's check and the host's alike), else the number typed.
 */
export function requiredNumber(text: string): number {
  return (text.trim() === '' ? null : Number(text)) as number;
}
