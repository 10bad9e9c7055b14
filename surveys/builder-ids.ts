/**
 * Ids for new questions and options, made from their labels. Ids are what answers are stored
 * under, so an id is chosen once, when the question or option is created, and never changed.
 */

/** A lower-case ASCII slug of a label: accents dropped ("Niños" → "ninos"), other characters become dashes. */
export function asciiSlug(label: string, maxLength = 40): string {
  return label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[øØ]/g, 'o')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/g, '');
}

/**
 * A new id from a label, unique among `taken` (compared case-insensitively). Labels without
 * any ASCII letters or digits (e.g. Chinese or Arabic) get `<fallback>-<n>`; a clash gets
 * `-2`, `-3`, ...
 */
export function idFromLabel(label: string, taken: Iterable<string>, fallback: string, reserved: readonly string[] = []): string {
  const used = new Set([...taken, ...reserved].map((id) => id.toLowerCase()));
  const base = asciiSlug(label);
  if (base && !used.has(base)) return base;
  const stem = base || fallback;
  for (let n = base ? 2 : 1; ; n++) {
    const candidate = `${stem.slice(0, 55)}-${n}`;
    if (!used.has(candidate)) return candidate;
  }
}

/** Survey slugs: lower-case letters, digits and single dashes (as in the definition schema). */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Slugs the staff pages use as paths (`/staff/surveys/new`), so no survey may take them. */
export const RESERVED_SLUGS: readonly string[] = ['new', 'upload'];
