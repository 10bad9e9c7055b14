import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project root, found the same way from the TypeScript sources (tsx) and from the
 * compiled `dist/` tree, so views, locales and data files resolve in both.
 */
function findRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const parts = here.split(path.sep);
  const serverIndex = parts.lastIndexOf('server');
  const cut = parts[serverIndex - 1] === 'dist' ? serverIndex - 1 : serverIndex;
  return parts.slice(0, cut).join(path.sep) || path.sep;
}

export const ROOT = findRoot();
export const fromRoot = (...segments: string[]): string => path.join(ROOT, ...segments);
