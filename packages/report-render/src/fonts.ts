import { existsSync } from "node:fs";

/**
 * Noto Sans (Debian's fonts-noto-core, installed by scripts/lib/ensure.sh) covers every character a name
 * or memo may hold (–, ≤, é, …); pdfkit embeds the subset it uses. Without it the PDF falls back to
 * the built-in Helvetica, which only covers Windows-1252, and characters outside it print as "?".
 */
const NOTO_DIRECTORIES = ["/usr/share/fonts/truetype/noto", "/usr/share/fonts/noto"];

export interface PdfFonts {
  readonly regular: string;
  readonly bold: string;
  /** Whether the fonts cover all of Unicode's common scripts (an embedded TrueType font). */
  readonly unicode: boolean;
}

const HELVETICA: PdfFonts = { regular: "Helvetica", bold: "Helvetica-Bold", unicode: false };

let found: PdfFonts | null = null;

export const pdfFonts = (): PdfFonts => {
  if (found !== null) return found;
  found = HELVETICA;
  for (const directory of NOTO_DIRECTORIES) {
    const regular = `${directory}/NotoSans-Regular.ttf`;
    const bold = `${directory}/NotoSans-Bold.ttf`;
    if (existsSync(regular) && existsSync(bold)) {
      found = { regular, bold, unicode: true };
      break;
    }
  }
  return found;
};

/** Text the built-in fonts can print: characters outside Windows-1252 become readable ASCII or "?". */
export const printableWith = (fonts: PdfFonts, text: string): string =>
  fonts.unicode
    ? text
    : text
        .replaceAll("≤", "<=")
        .replaceAll("≥", ">=")
        .replace(/[^\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026]/g, "?");
