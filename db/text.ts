/** Lower-case, accent-free form used for ordering names ("Zoë" sorts with "Zoe"). */
export function foldForSort(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

/**
 * Turns what a person typed into an FTS5 prefix query: every word must start some name.
 * Words are quoted so that FTS syntax characters in the input are plain text.
 */
export function ftsPrefixQuery(input: string): string | null {
  const words = foldForSort(input)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 8);
  if (words.length === 0) return null;
  return words.map((w) => `"${w}"*`).join(' ');
}
