import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { GlobalFonts } from '@napi-rs/canvas';
import type { LanguageCode } from '../../../surveys/languages.js';

/**
 * Fonts for the printed summary. pdfkit's built-in fonts are WinAnsi only, so we embed Noto
 * shipped by npm packages: Noto Sans for Latin scripts (Vietnamese and Kreyòl diacritics
 * included), Noto Sans Arabic, and Noto Sans CJK SC ("Noto Sans Hans") for Simplified Chinese.
 * Each character is drawn with the font of its script, so mixed text (an Arabic summary
 * naming a Latin organization) still shows every glyph.
 */
export type FontRole = 'latin' | 'arabic' | 'cjk';
export type FontWeight = 'regular' | 'bold';

const require = createRequire(import.meta.url);

/** A package's root folder, found from its main entry (its `exports` hide the font files). */
function packageDir(name: string): string {
  let dir = path.dirname(require.resolve(name));
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

function fontPaths(): Record<FontRole, Record<FontWeight, string>> {
  const latin = path.join(packageDir('@embedpdf/fonts-latin'), 'fonts');
  const cjk = path.join(packageDir('@embedpdf/fonts-sc'), 'fonts');
  const arabic = packageDir('@expo-google-fonts/noto-sans-arabic');
  return {
    latin: { regular: path.join(latin, 'NotoSans-Regular.ttf'), bold: path.join(latin, 'NotoSans-Bold.ttf') },
    cjk: { regular: path.join(cjk, 'NotoSansHans-Regular.otf'), bold: path.join(cjk, 'NotoSansHans-Bold.otf') },
    arabic: {
      regular: path.join(arabic, '400Regular', 'NotoSansArabic_400Regular.ttf'),
      bold: path.join(arabic, '700Bold', 'NotoSansArabic_700Bold.ttf'),
    },
  };
}

let cachedPaths: Record<FontRole, Record<FontWeight, string>> | undefined;
const cachedBuffers = new Map<string, Buffer>();

/** The font file bytes, read once per process (the CJK font is about 8 MB). */
export function fontBuffer(role: FontRole, weight: FontWeight): Buffer {
  cachedPaths ??= fontPaths();
  const file = cachedPaths[role][weight];
  let buffer = cachedBuffers.get(file);
  if (!buffer) {
    buffer = fs.readFileSync(file);
    cachedBuffers.set(file, buffer);
  }
  return buffer;
}

/** pdfkit's registered name for a role and weight. */
export function pdfFontName(role: FontRole, weight: FontWeight): string {
  return `${role}-${weight}`;
}

export const FONT_ROLES: readonly FontRole[] = ['latin', 'arabic', 'cjk'];

/** The font for text in `lang` that is not in another script. */
export function primaryRole(lang: LanguageCode): FontRole {
  if (lang === 'ar') return 'arabic';
  if (lang === 'zh-Hans') return 'cjk';
  return 'latin';
}

const ARABIC = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/u;
const CJK = /[\u2E80-\u2FDF\u3000-\u30FF\u3100-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF]|[\u{20000}-\u{3FFFF}]/u;
const LETTER = /\p{L}|\p{M}/u;

/**
 * The font a character needs, or null for characters every font has (digits, punctuation,
 * spaces), which then follow their neighbours. Latin letters in a Chinese text keep the CJK
 * font (it has them) so a line does not change typeface mid-word.
 */
export function roleForChar(ch: string, primary: FontRole): FontRole | null {
  if (ARABIC.test(ch)) return 'arabic';
  if (CJK.test(ch)) return 'cjk';
  if (LETTER.test(ch)) return primary === 'cjk' ? 'cjk' : 'latin';
  return null;
}

/** Canvas family names, one per role, registered once with @napi-rs/canvas for the chart. */
export const CANVAS_FAMILY: Record<FontRole, string> = {
  latin: 'Summary Noto Sans',
  arabic: 'Summary Noto Sans Arabic',
  cjk: 'Summary Noto Sans SC',
};

let canvasFontsRegistered = false;

/** Registers the regular weights with the canvas; returns a family list for `lang`. */
export function canvasFontFamily(lang: LanguageCode): string {
  if (!canvasFontsRegistered) {
    for (const role of FONT_ROLES) GlobalFonts.register(fontBuffer(role, 'regular'), CANVAS_FAMILY[role]);
    canvasFontsRegistered = true;
  }
  const primary = primaryRole(lang);
  const rest = FONT_ROLES.filter((r) => r !== primary);
  return [primary, ...rest].map((r) => `"${CANVAS_FAMILY[r]}"`).join(', ');
}
