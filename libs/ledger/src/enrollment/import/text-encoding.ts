/**
 * The text encoding of an uploaded CSV. Excel on Indonesian Windows saves "CSV (Comma
 * delimited)" in the ANSI code page, Windows-1252, not in UTF-8: 'André' arrives as 41 6E 64 72
 * E9. Read as UTF-8 that E9 becomes U+FFFD and 'Andr� Sm�t' would be sealed into an immutable
 * event. So the whole file is scanned first: valid UTF-8 is read as UTF-8; a file with no valid
 * multi-byte UTF-8 sequence at all is Windows-1252 (declared or not); anything else (mixed, or a
 * byte Windows-1252 leaves undefined) is refused with the position of the first bad byte.
 */

import { isAscii } from 'node:buffer';

export type TextEncodingName = 'utf-8' | 'windows-1252';

export interface BadByte {
  /** Line of the file (1-based), which is the Excel row unless a quoted cell spans lines. */
  row: number;
  /** Character position within the line (1-based). */
  column: number;
}

/** Bytes Windows-1252 does not define (WHATWG maps them to C1 controls). */
const UNDEFINED_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/** Streaming UTF-8 validator: feed every chunk, then ask for the verdict. */
export class TextEncodingScan {
  private needed = 0;
  private lower = 0x80;
  private upper = 0xbf;
  private row = 1;
  private column = 0;
  private multibyte = false;
  private firstInvalid: BadByte | undefined;
  private firstUndefined1252: BadByte | undefined;

  write(chunk: Uint8Array): void {
    // Most lists are plain ASCII: then only the line and column move, found natively.
    if (this.needed === 0 && isAscii(chunk)) {
      const last = chunk.lastIndexOf(0x0a);
      if (last === -1) this.column += chunk.length;
      else {
        for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) this.row += 1;
        this.column = chunk.length - last - 1;
      }
      return;
    }
    for (const byte of chunk) {
      if (UNDEFINED_1252.has(byte) && !this.firstUndefined1252) {
        this.firstUndefined1252 = { row: this.row, column: this.column + 1 };
      }
      if (this.needed > 0) {
        if (byte >= this.lower && byte <= this.upper) {
          this.lower = 0x80;
          this.upper = 0xbf;
          if (--this.needed === 0) this.multibyte = true;
          continue;
        }
        // A sequence broken off: its lead byte was the bad one; this byte starts afresh.
        this.invalid(-1);
        this.needed = 0;
      }
      this.column += 1;
      if (byte === 0x0a) {
        this.row += 1;
        this.column = 0;
      } else if (byte < 0x80) continue;
      else if (byte >= 0xc2 && byte <= 0xdf) this.needed = 1;
      else if (byte >= 0xe0 && byte <= 0xef) {
        this.needed = 2;
        if (byte === 0xe0) this.lower = 0xa0;
        if (byte === 0xed) this.upper = 0x9f;
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        this.needed = 3;
        if (byte === 0xf0) this.lower = 0x90;
        if (byte === 0xf4) this.upper = 0x8f;
      } else this.invalid(0);
    }
  }

  /** `offset` -1: the bad byte is the lead byte of the sequence counted just before. */
  private invalid(offset: 0 | -1): void {
    if (!this.firstInvalid)
      this.firstInvalid = { row: this.row, column: this.column + offset + (offset ? 1 : 0) };
  }

  /**
   * How to read the file: `declared` is the charset of the upload's Content-Type, if any.
   * A file declared UTF-8 that is not, or that looks like UTF-8 damaged, is refused.
   */
  verdict(
    declared?: string,
  ): { encoding: TextEncodingName } | { badByte: BadByte; expected: TextEncodingName } {
    if (this.needed > 0) this.invalid(0);
    if (!this.firstInvalid) return { encoding: 'utf-8' };
    const charset = declared?.trim().toLowerCase();
    const legacyDeclared = charset !== undefined && LEGACY_CHARSETS.includes(charset);
    if ((legacyDeclared || (charset === undefined && !this.multibyte)) && !this.firstUndefined1252) {
      return { encoding: 'windows-1252' };
    }
    if (legacyDeclared) return { badByte: this.firstUndefined1252!, expected: 'windows-1252' };
    return { badByte: this.firstInvalid, expected: 'utf-8' };
  }
}

/** Names browsers and tools send for the ANSI code page; WHATWG reads them all as Windows-1252. */
const LEGACY_CHARSETS = ['windows-1252', 'cp1252', 'iso-8859-1', 'latin1', 'us-ascii', 'ascii'];

/** The `charset` parameter of a Content-Type header. */
export function declaredCharset(contentType: string | null | undefined): string | undefined {
  return /;\s*charset="?([^";\s]+)"?/i.exec(contentType ?? '')?.[1];
}
