/** The plural suffixes i18next adds to a key (Intl.PluralRules categories). */
export const PLURAL = /_(zero|one|two|few|many|other)$/;

/** A locale file's nested texts as `a.b.c` keys, each with its text. */
export function flattenLocale(obj: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') Object.assign(out, flattenLocale(v as Record<string, unknown>, key));
    else out[key] = String(v);
  }
  return out;
}
