import type { RawCell } from './nomination-cells';

/** One row of cells as the sheet holds it, before the header gives the cells a meaning. */
export interface SheetRow {
  rowNumber: number;
  cells: RawCell[];
}

/** A buffer in pieces, so that a reader hands rows over a piece at a time. */
export function* slices(buffer: Buffer, size = 64 * 1024): Generator<Buffer> {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}
