/**
 * Formula injection: a spreadsheet program runs a cell that starts with `=`, `+`, `-`, `@`, a
 * tab or a carriage return. Exports put a `'` in front of such text (and in front of text that
 * already starts with `'` and then one of those, so the import can undo exactly one).
 */
const RISKY = /^'*[=+\-@\t\r]/;

export function neutraliseCell(value: string): string {
  return RISKY.test(value) ? `'${value}` : value;
}

/** Undoes `neutraliseCell` on import, so an export re-imports to the very same text. */
export function restoreCell(value: string): string {
  return value.startsWith("'") && RISKY.test(value) ? value.slice(1) : value;
}
