import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface ReadPdf {
  pages: number;
  /** All text of all pages, whitespace collapsed. */
  text: string;
  info: { Title?: string; Language?: string };
}

/** Reads a PDF's page count, text (whitespace collapsed) and metadata with pdf.js. */
export async function readPdf(pdf: Buffer): Promise<ReadPdf> {
  const doc = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  try {
    const parts: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent();
      for (const item of content.items) if ('str' in item) parts.push(item.str);
    }
    const { info } = await doc.getMetadata();
    return { pages: doc.numPages, text: parts.join(' ').replace(/\s+/gu, ' '), info: info as ReadPdf['info'] };
  } finally {
    await doc.destroy();
  }
}

