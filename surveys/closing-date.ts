/**
 * A closing date typed as `YYYY-MM-DD`: the survey closes at the end of that day (server time).
 * Empty means no closing date.
 */
export function parseClosingDate(raw: unknown): Date | null | 'invalid' {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!text) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return 'invalid';
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(y, mo - 1, d, 23, 59, 59, 999);
  return date.getFullYear() === y && date.getMonth() === mo - 1 && date.getDate() === d ? date : 'invalid';
}
