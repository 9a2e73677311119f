import { buildReadModel, type LedgerReadModel } from "@bukubesar/projections";
import { kkmpYear } from "../../projections/test/kkmpYear.js";
import type { DocumentSetting } from "../src/index.js";
import { documentSettingOf } from "../src/index.js";

/** The hand-checked KKMP year (2026, closed, RAT decided in 2027) with its board registered. */
export const kkmpModel = (): LedgerReadModel => {
  const { builder } = kkmpYear();
  builder
    .member("P-0001", "Ahmad Ketua", "2026-01-02", "pengurus")
    .member("P-0002", "Rina Bendahara", "2026-01-02", "pengurus")
    .member("W-0001", "Lurah Mangunharjo", "2026-01-02", "pengawas");
  return buildReadModel(builder.coopId, builder.events);
};

export const HEAD_HASH = "f38e2a812f58406bf6ab467ac54d6ac3c42eae6d604aaf1a9c068d422b8c8037";

export const settingFor = (model: LedgerReadModel): DocumentSetting =>
  documentSettingOf(model, {
    printedOn: "2027-04-01",
    headHash: HEAD_HASH,
    legalEntityNumber: "AHU-0001234.AH.01.29.TAHUN 2025",
  });
