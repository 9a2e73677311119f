/**
 * A member's slip SHU (the note each member receives of their share of a year's SHU): jasa modal and
 * jasa usaha with the bases they were computed on, the total, and the total in words (terbilang), as a
 * receipt states an amount so it cannot be altered by a stroke of the pen.
 */
import { fromSen, terbilang, wireToSen } from "@bukubesar/money";
import type { ShuReport } from "@bukubesar/projections";
import { amountText } from "./amountText.js";
import { dateInWords } from "./indonesianDate.js";
import { type ReportDocument, reportDocument, row } from "./reportDocument.js";

export interface ShuSlip {
  readonly year: number;
  readonly memberId: string;
  readonly name: string;
  readonly status: ShuReport["status"];
  readonly decidedOn: string | null;
  readonly capitalBase: string;
  readonly usageBase: string;
  readonly jasaModal: string;
  readonly jasaUsaha: string;
  readonly total: string;
  /** The total in Indonesian words: "tiga juta dua ratus dua puluh tujuh ribu delapan ratus dua puluh tiga rupiah". */
  readonly totalInWords: string;
}

/** The slip of one member, or null when the member has no row in the year's SHU report. */
export const shuSlip = (report: ShuReport, memberId: string): ShuSlip | null => {
  const member = report.members.find((candidate) => candidate.memberId === memberId);
  if (member === undefined) return null;
  return {
    year: report.year,
    memberId: member.memberId,
    name: member.name,
    status: report.status,
    decidedOn: report.decision?.decidedOn ?? null,
    capitalBase: member.capitalBase,
    usageBase: member.usageBase,
    jasaModal: member.jasaModal,
    jasaUsaha: member.jasaUsaha,
    total: member.total,
    totalInWords: terbilang(fromSen(wireToSen(member.total))),
  };
};

const capitalised = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/**
 * Before the RAT decides, a slip states the proposed share (*rancangan*), never a share received: the
 * meeting may still change the division, so the title and the total say so.
 */
export const shuSlipDocument = (slip: ShuSlip): ReportDocument =>
  reportDocument({
    kind: "shu-slip",
    title: slip.decidedOn === null ? "Rancangan Slip Sisa Hasil Usaha" : "Slip Sisa Hasil Usaha",
    period: `Tahun buku ${slip.year}`,
    subtitles: [
      `Anggota ${slip.memberId} — ${slip.name}`,
      slip.decidedOn === null
        ? "Menunggu keputusan Rapat Anggota Tahunan"
        : `Menurut keputusan Rapat Anggota Tahunan ${dateInWords(slip.decidedOn)}`,
    ],
    inRupiah: true,
    columns: [
      { key: "label", header: "Uraian", kind: "text" },
      { key: "amount", header: "Jumlah", kind: "amount" },
    ],
    rows: [
      row("line", 0, {
        label: `Jasa modal, atas simpanan ${amountText(slip.capitalBase, false)}`,
        amount: slip.jasaModal,
      }),
      row("line", 0, {
        label: `Jasa usaha, atas transaksi ${amountText(slip.usageBase, false)}`,
        amount: slip.jasaUsaha,
      }),
      row("total", 0, {
        label: slip.decidedOn === null ? "JUMLAH SHU MENURUT RANCANGAN" : "JUMLAH SHU DITERIMA",
        amount: slip.total,
      }),
    ],
    paragraphs: [`Terbilang: ${capitalised(slip.totalInWords)}.`],
    signatures: "pengurus",
  });
