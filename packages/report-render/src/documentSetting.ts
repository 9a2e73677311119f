import type { LedgerReadModel } from "@bukubesar/projections";
import type { DocumentSetting, Signatories } from "./reportDocument.js";

/**
 * Who signs: the ledger records a member's role (member, pengurus, pengawas) but not the office held, so
 * the first pengurus registered signs as Ketua and the second as Bendahara, and the first pengawas as
 * Pengawas (docs/treasurer-guide.md asks treasurers to register the board in that order). A missing one
 * leaves a dotted line.
 */
export const signatoriesOf = (model: LedgerReadModel): Signatories => {
  const members = [...model.members.values()];
  const pengurus = members.filter((member) => member.role === "pengurus");
  const pengawas = members.filter((member) => member.role === "pengawas");
  return {
    ketua: pengurus[0]?.name ?? null,
    bendahara: pengurus[1]?.name ?? null,
    pengawas: pengawas[0]?.name ?? null,
  };
};

/** The heading and footer facts of a cooperative's documents, from its read model and the edge's clock. */
export const documentSettingOf = (
  model: LedgerReadModel,
  facts: {
    readonly printedOn: string;
    readonly headHash: string | null;
    readonly legalEntityNumber?: string | null;
  },
): DocumentSetting => ({
  cooperativeName: model.name ?? model.coopId,
  regionCode: model.regionCode,
  legalEntityNumber: facts.legalEntityNumber ?? null,
  printedOn: facts.printedOn,
  headHash: facts.headHash,
  signatories: signatoriesOf(model),
});
