import { createCanvas } from '@napi-rs/canvas';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * Draws every page of a PDF with pdf.js on @napi-rs/canvas (to look at a print, or to save it):
 * PNG, or JPEG with `jpegQuality` (a page of anti-aliased text is far smaller as a JPEG).
 */
export async function pdfPagesToPng(pdf: Buffer, scale = 1, jpegQuality?: number): Promise<Buffer[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  try {
    const pngs: Buffer[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const viewport = page.getViewport({ scale });
      const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
      const context = canvas.getContext('2d');
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, canvas.width, canvas.height);
      await page.render({ canvas: canvas as unknown as HTMLCanvasElement, canvasContext: context as unknown as CanvasRenderingContext2D, viewport }).promise;
      pngs.push(jpegQuality === undefined ? await canvas.encode('png') : await canvas.encode('jpeg', jpegQuality));
    }
    return pngs;
  } finally {
    await doc.destroy();
  }
}
