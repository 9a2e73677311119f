import { existsSync } from "node:fs";
import type PDFDocument from "pdfkit";

/**
 * Fonts of printed reports. Noto Sans (Debian's fonts-noto-core, installed by scripts/lib/ensure.sh)
 * covers Latin with every diacritic and the signs we print (–, ≤, é, …); names and memos may also be
 * written in Javanese script (ꦱꦶꦠꦶ) or Arabic script (محمد), which Noto Sans Javanese and Noto Sans
 * Arabic of the same package cover. pdfkit embeds the subset of each font it uses, and draws each run of
 * text in the font of its script. Without Noto the PDF falls back to the built-in Helvetica, which
 * only covers Windows-1252: other characters print as "?", and `pdfFontWarning` says so.
 */
const NOTO_DIRECTORIES = ["/usr/share/fonts/truetype/noto", "/usr/share/fonts/noto"];

/** The scripts drawn with a font of their own; everything else goes in the Latin font. */
export type FontScript = "latin" | "javanese" | "arabic";

interface FontPair {
  readonly regular: string;
  readonly bold: string;
}

export interface PdfFonts extends FontPair {
  /** Whether the fonts cover all of Unicode's common scripts (an embedded TrueType font). */
  readonly unicode: boolean;
  /** The script fonts found, by script; a script without one is drawn in the Latin font. */
  readonly scripts: Readonly<Partial<Record<Exclude<FontScript, "latin">, FontPair>>>;
}

const HELVETICA: PdfFonts = { regular: "Helvetica", bold: "Helvetica-Bold", unicode: false, scripts: {} };

/** File names in fonts-noto-core of each script's regular and bold font. */
const SCRIPT_FONT_FILES: Readonly<Record<Exclude<FontScript, "latin">, readonly [string, string]>> = {
  javanese: ["NotoSansJavanese-Regular.ttf", "NotoSansJavanese-Bold.ttf"],
  arabic: ["NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"],
};

const pairIn = (directory: string, regular: string, bold: string): FontPair | null =>
  existsSync(`${directory}/${regular}`) && existsSync(`${directory}/${bold}`)
    ? { regular: `${directory}/${regular}`, bold: `${directory}/${bold}` }
    : null;

let found: PdfFonts | null = null;

export const pdfFonts = (): PdfFonts => {
  if (found !== null) return found;
  found = HELVETICA;
  for (const directory of NOTO_DIRECTORIES) {
    const latin = pairIn(directory, "NotoSans-Regular.ttf", "NotoSans-Bold.ttf");
    if (latin === null) continue;
    const scripts: Partial<Record<Exclude<FontScript, "latin">, FontPair>> = {};
    for (const [script, [regular, bold]] of Object.entries(SCRIPT_FONT_FILES)) {
      const pair = pairIn(directory, regular, bold);
      if (pair !== null) scripts[script as Exclude<FontScript, "latin">] = pair;
    }
    found = { ...latin, unicode: true, scripts };
    break;
  }
  return found;
};

/** What a PDF will lack with the fonts found, in a sentence for the person printing; null when nothing. */
export const pdfFontWarning = (fonts: PdfFonts = pdfFonts()): string | null => {
  if (!fonts.unicode)
    return "Noto fonts not found (install Debian's fonts-noto-core): PDFs use Helvetica, and characters outside Western European Latin print as ?";
  const missing = Object.keys(SCRIPT_FONT_FILES).filter(
    (script) => fonts.scripts[script as Exclude<FontScript, "latin">] === undefined,
  );
  return missing.length === 0
    ? null
    : `Noto fonts for ${missing.join(" and ")} script not found (install Debian's fonts-noto-core): such text prints as empty boxes`;
};

/** Text the built-in fonts can print: characters outside Windows-1252 become readable ASCII or "?". */
export const printableWith = (fonts: PdfFonts, text: string): string =>
  fonts.unicode
    ? text
    : text
        .replaceAll("≤", "<=")
        .replaceAll("≥", ">=")
        .replace(/[^\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026]/g, "?");

const JAVANESE = /\p{Script=Javanese}/u;
const ARABIC = /\p{Script=Arabic}/u;
/** Spaces, digits and punctuation belong to the run they are in. */
const NEUTRAL = /[\s\p{P}\p{S}\p{N}]/u;

const scriptOf = (character: string): FontScript | null => {
  if (JAVANESE.test(character)) return "javanese";
  if (ARABIC.test(character)) return "arabic";
  return NEUTRAL.test(character) ? null : "latin";
};

export interface TextRun {
  readonly script: FontScript;
  readonly text: string;
}

/** The text cut into runs of one script each; neutral characters stay with the run before them. */
export const textRuns = (text: string): TextRun[] => {
  const runs: { script: FontScript; text: string }[] = [];
  for (const character of text) {
    const script = scriptOf(character);
    const last = runs[runs.length - 1];
    if (last !== undefined && (script === null || script === last.script)) last.text += character;
    else if (last !== undefined && last.script === "latin" && last.text.trim() === "" && script !== null) {
      last.script = script;
      last.text += character;
    } else runs.push({ script: script ?? "latin", text: character });
  }
  return runs;
};

/** The weights documentPdf registers its Latin fonts under. */
export type FontWeight = "body" | "bold";

const fontName = (script: FontScript, weight: FontWeight): string =>
  script === "latin" ? weight : `${script}-${weight}`;

type Pdf = InstanceType<typeof PDFDocument>;

/** Registers the Latin fonts as "body" and "bold" and each script font found as "<script>-<weight>". */
export const registerFonts = (pdf: Pdf, fonts: PdfFonts): void => {
  pdf.registerFont("body", fonts.regular);
  pdf.registerFont("bold", fonts.bold);
  for (const [script, pair] of Object.entries(fonts.scripts)) {
    pdf.registerFont(fontName(script as FontScript, "body"), pair.regular);
    pdf.registerFont(fontName(script as FontScript, "bold"), pair.bold);
  }
};

/**
 * Draws text as pdfkit's `text` would, each script run in its own font. An Arabic run keeps its spaces
 * unbreakable, so pdfkit hands it to the font's shaper whole and the shaper lays it out right to left
 * (word by word, pdfkit would put the words in left-to-right order).
 */
export const drawText = (
  pdf: Pdf,
  fonts: PdfFonts,
  weight: FontWeight,
  text: string,
  x: number,
  y: number,
  options: PDFKit.Mixins.TextOptions,
): void => {
  const runs = textRuns(printableWith(fonts, text));
  runs.forEach((run, index) => {
    const script =
      fonts.scripts[run.script as Exclude<FontScript, "latin">] === undefined ? "latin" : run.script;
    const runText = run.script === "arabic" ? run.text.replaceAll(" ", "\u00a0") : run.text;
    pdf.font(fontName(script, weight));
    const runOptions = { ...options, continued: index < runs.length - 1 };
    if (index === 0) pdf.text(runText, x, y, runOptions);
    else pdf.text(runText, runOptions);
  });
  pdf.font(weight);
};
