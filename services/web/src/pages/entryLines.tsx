import { rupiah } from "../format.js";
import { useWords } from "../i18n.js";
import type { EntryLine } from "../types.js";

/** An entry's lines as a list that wraps on a phone: account, side and amount, member when set. */
export const EntryLines = ({ lines }: { lines: readonly EntryLine[] }) => {
  const { t } = useWords();
  return (
    <ul class="entry-lines">
      {lines.map((line, index) => (
        // Lines of a recorded entry never move, so their position identifies them.
        <li key={index}>
          <span class="account">{line.account}</span>{" "}
          <span class="side">{line.debit !== undefined ? t("debit") : t("credit")}</span>{" "}
          <span class="amount">{rupiah(line.debit ?? line.credit)}</span>
          {line.memberId !== null && <span class="muted"> · {line.memberId}</span>}
        </li>
      ))}
    </ul>
  );
};
