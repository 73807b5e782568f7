/**
 * The helper text of a bounded text field: the hint, then how much of the
 * limit is used once the text is long enough for it to matter, so nobody
 * types 5,000 characters into a 200-character title to learn it on submit.
 */
export function lengthHint(value: string, max: number, hint?: string): string {
  const count = `${value.length.toLocaleString('en-US')} / ${max.toLocaleString(
    'en-US',
  )} characters`;
  if (value.length < max * 0.8) {
    return hint ?? count;
  }
  return hint ? `${hint} · ${count}` : count;
}
