import createDOMPurify, { type WindowLike } from 'dompurify';
import { JSDOM } from 'jsdom';

export type SvgRefusal = 'logoSvgInvalid' | 'logoSvgUnsafe';
export type SvgResult = { ok: true; svg: string } | { ok: false; code: SvgRefusal };

const SVG_NS = 'http://www.w3.org/2000/svg';
/** CSS that can fetch or hide something: imports, url(), escapes that could spell either. */
const RISKY_CSS = /@import|url\s*\(|image-set\s*\(|expression\s*\(|\\/i;
/** A logo needs shapes and text, not scripts, embedded HTML or animation that could rewrite links. */
const FORBID_TAGS = ['script', 'foreignObject', 'foreignobject', 'iframe', 'embed', 'object', 'animate', 'animateMotion', 'animateTransform', 'animateColor', 'set', 'discard', 'handler', 'listener'];

function isLocalHref(value: string): boolean {
  return value.trim().startsWith('#');
}

function parseSvg(text: string): JSDOM | null {
  try {
    const dom = new JSDOM(text, { contentType: 'image/svg+xml' });
    const root = dom.window.document.documentElement;
    if (root?.namespaceURI !== SVG_NS || root.localName !== 'svg') {
      dom.window.close();
      return null;
    }
    return dom;
  } catch {
    return null;
  }
}

/** The checks a sanitized SVG must pass; anything found means the sanitizer missed it. */
export function svgProblems(root: Element): string[] {
  const found: string[] = [];
  for (const el of [root, ...root.querySelectorAll('*')]) {
    const name = el.localName.toLowerCase();
    if (el.namespaceURI !== SVG_NS) found.push(`element in another namespace: ${name}`);
    if (name === 'script' || name === 'foreignobject') found.push(`element: ${name}`);
    if (name === 'style' && RISKY_CSS.test(el.textContent ?? '')) found.push('style element with imports or url()');
    for (const attr of el.attributes) {
      const attrName = attr.localName.toLowerCase();
      if (attrName.startsWith('on')) found.push(`event handler: ${attr.name}`);
      if (attrName === 'href' && !isLocalHref(attr.value)) found.push(`external reference: ${attr.name}`);
      if (attrName === 'style' && RISKY_CSS.test(attr.value)) found.push('style attribute with url()');
      if (attrName === 'attributename' && /href/i.test(attr.value)) found.push('animation of a link');
    }
  }
  return found;
}

/**
 * Sanitizes an uploaded SVG logo with DOMPurify (SVG profile) on jsdom: no scripts, event
 * handlers, `foreignObject`, external references or CSS imports. The file is parsed once as
 * XML (no HTML/XML parser differences), cleaned in place, serialized, then parsed again and
 * checked; a file that does not parse as SVG, declares entities, or still holds anything
 * risky after cleaning is refused.
 */
export function sanitizeSvg(text: string): SvgResult {
  // Entity declarations are never needed in a logo and can expand a small file enormously.
  if (/<!ENTITY/i.test(text)) return { ok: false, code: 'logoSvgInvalid' };
  const dom = parseSvg(text);
  if (!dom) return { ok: false, code: 'logoSvgInvalid' };
  let cleaned: string;
  try {
    const { document } = dom.window;
    for (const style of document.querySelectorAll('style')) if (RISKY_CSS.test(style.textContent ?? '')) style.remove();
    const purify = createDOMPurify(dom.window as unknown as WindowLike);
    purify.addHook('uponSanitizeAttribute', (_node, data) => {
      const name = data.attrName.toLowerCase();
      if ((name === 'href' || name.endsWith(':href')) && !isLocalHref(data.attrValue)) data.keepAttr = false;
      if (name === 'style' && RISKY_CSS.test(data.attrValue)) data.keepAttr = false;
    });
    purify.sanitize(document.documentElement, { IN_PLACE: true, USE_PROFILES: { svg: true, svgFilters: true }, FORBID_TAGS });
    cleaned = new dom.window.XMLSerializer().serializeToString(document.documentElement);
  } catch {
    return { ok: false, code: 'logoSvgUnsafe' };
  } finally {
    dom.window.close();
  }
  const check = parseSvg(cleaned);
  if (!check) return { ok: false, code: 'logoSvgInvalid' };
  try {
    if (svgProblems(check.window.document.documentElement).length) return { ok: false, code: 'logoSvgUnsafe' };
  } finally {
    check.window.close();
  }
  return { ok: true, svg: `<?xml version="1.0" encoding="UTF-8"?>\n${cleaned}` };
}
