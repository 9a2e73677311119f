import { formatRupiah, fromSen } from "@bukubesar/money";

/**
 * Rupiah in an alert's one-line summary, with @bukubesar/money's PUEBI formatter: running text, so sen only
 * when present and a leading minus ("Rp150.000.000", "Rp1.500,50", "-Rp20.000").
 */
export const rupiahInText = (sen: bigint): string => {
  return formatRupiah(fromSen(sen), { withSen: false, negative: "minus" });
};
