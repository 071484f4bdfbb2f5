/**
 * Aligned plain-text tables for people reading the CLI's output.
 *
 * @module
 */

/** One table cell: its text and, optionally, how to colour it once padded. */
export interface Cell {
  readonly text: string;
  readonly paint?: (text: string) => string;
}

/** A cell from text or a {@link Cell}. */
export type CellInput = string | number | Cell;

function cellOf(input: CellInput): Cell {
  return typeof input === "object" ? input : { text: String(input) };
}

/**
 * Lays out rows under headers, each column as wide as its widest cell.
 * Colours are applied after padding so escape codes never skew the widths.
 */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly CellInput[])[],
  paintHeader: (text: string) => string = (text) => text,
): string {
  const cells = rows.map((row) => row.map(cellOf));
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...cells.map((row) => row[column]?.text.length ?? 0))
  );
  const line = (row: readonly Cell[]) =>
    row.map((cell, column) => {
      const padded = column === row.length - 1 ? cell.text : cell.text.padEnd(widths[column]);
      return cell.paint ? cell.paint(padded) : padded;
    }).join("  ").trimEnd();
  const head = line(headers.map((header) => ({ text: header, paint: paintHeader })));
  return [head, ...cells.map(line)].join("\n");
}
