/** How a column's cells line up. */
export type Alignment = "left" | "right";

export interface Column {
  readonly header: string;
  readonly align: Alignment;
}

/**
 * A plain-text table with a header, a rule under it and columns padded to their widest cell. Amounts are
 * right-aligned so their decimal points line up.
 */
export const renderTable = (columns: readonly Column[], rows: readonly (readonly string[])[]): string => {
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...rows.map((row) => (row[index] ?? "").length)),
  );
  const formatRow = (cells: readonly string[]): string =>
    columns
      .map((column, index) => {
        const cell = cells[index] ?? "";
        const width = widths[index] ?? 0;
        return column.align === "right" ? cell.padStart(width) : cell.padEnd(width);
      })
      .join("  ")
      .trimEnd();
  const rule = widths.map((width) => "-".repeat(width)).join("  ");
  return [formatRow(columns.map((column) => column.header)), rule, ...rows.map(formatRow)].join("\n");
};
