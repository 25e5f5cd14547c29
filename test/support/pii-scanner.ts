/**
 * Finds personal data in raw bytes: NIKs, names, birth dates (YYYY-MM-DD, DD/MM/YYYY and
 * DDMMYY) and phone numbers of a known list of people, in any file or log, whatever its
 * format (SQLite pages, WAL frames, JSON lines). Used by the PII end-to-end test.
 *
 * Digits are matched inside runs of digits (a NIK inside a longer number still counts),
 * except a phone number whose digits lie partly inside a UUID: in SQLite pages ids sit side by
 * side, and the digits ending one and starting the next can spell any number by chance;
 * names only as whole words (not inside base64url, hex or longer words), single-word names
 * with their case, longer names in any case.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export interface Person {
  nik: string;
  name: string;
  /** YYYY-MM-DD */
  birthDate: string;
  phone: string | null;
}

export interface Hit {
  file: string;
  offset: number;
  kind: 'nik' | 'name' | 'birthDate' | 'birthDate DD/MM/YYYY' | 'birthDate DDMMYY' | 'phone';
  value: string;
  context: string;
}

export interface NeedleOptions {
  /** People whose birth date is also searched as a bare DDMMYY token (six digits collide easily at scale). */
  ddmmyyFor?: (person: Person) => boolean;
}

/** Characters that continue a word, a base64url string, a hex id or a UUID. */
const WORD = /[A-Za-z0-9_-]/;
const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class Needles {
  readonly niks = new Map<string, Person>();
  readonly phones = new Map<string, Person>();
  readonly isoDates = new Map<string, Person>();
  readonly dmyDates = new Map<string, Person>();
  readonly ddmmyy = new Map<string, Person>();
  readonly names = new Map<string, Person>();
  readonly namesLower = new Map<string, Person>();
  readonly nameWords: RegExp;
  readonly maxPhone: number;

  constructor(people: readonly Person[], options: NeedleOptions = {}) {
    const words = new Set<string>();
    let maxPhone = 0;
    for (const person of people) {
      this.niks.set(person.nik, person);
      if (person.phone) {
        this.phones.set(person.phone, person);
        // +62 812… written without the trunk 0
        if (person.phone.startsWith('0')) this.phones.set(`62${person.phone.slice(1)}`, person);
        maxPhone = Math.max(maxPhone, person.phone.length + 1);
      }
      const [y, m, d] = person.birthDate.split('-');
      this.isoDates.set(person.birthDate, person);
      this.dmyDates.set(`${d}/${m}/${y}`, person);
      this.dmyDates.set(`${Number(d)}/${Number(m)}/${y}`, person);
      if (options.ddmmyyFor?.(person)) this.ddmmyy.set(`${d}${m}${y.slice(2)}`, person);
      this.names.set(person.name, person);
      this.namesLower.set(person.name.toLowerCase(), person);
      for (const word of person.name.split(/\s+/)) if (word) words.add(word);
    }
    this.maxPhone = maxPhone;
    const alternation = [...words].sort((a, b) => b.length - a.length).map(escape).join('|');
    this.nameWords = new RegExp(`(?:${alternation})(?:[ ]+(?:${alternation}))*`, 'gi');
  }
}

export interface ScanOptions {
  /** Single-word names shorter than this are not searched (random binary can spell "Eko"). */
  minSingleNameLength?: number;
  /** Six-digit tokens that are something else (district codes: 160301 is not 16/03/2001). */
  notADate?: (token: string) => boolean;
}

const CHUNK = 16 * 1024 * 1024;
const LOOKBEHIND = 64;
const OVERLAP = 512;

/** Scans a file in chunks; a hit in the overlap of two chunks is reported once. */
export function scanFile(file: string, needles: Needles, options: ScanOptions = {}): Hit[] {
  const size = statSync(file).size;
  const fd = openSync(file, 'r');
  const hits: Hit[] = [];
  try {
    const buffer = Buffer.alloc(LOOKBEHIND + CHUNK + OVERLAP);
    for (let start = 0; start < size; start += CHUNK) {
      const from = Math.max(0, start - LOOKBEHIND);
      const length = readSync(fd, buffer, 0, Math.min(buffer.length, size - from), from);
      const text = buffer.toString('latin1', 0, length);
      scanWindow(text, from, start - from, Math.min(CHUNK, size - start) + (start - from), file, needles, options, hits);
    }
  } finally {
    closeSync(fd);
  }
  return hits;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Whether [index, index + length) of `text` overlaps a UUID. */
function insideUuid(text: string, index: number, length: number): boolean {
  const start = Math.max(0, index - 36);
  for (const match of text.slice(start, index + length + 36).matchAll(UUID)) {
    const from = start + match.index;
    if (from < index + length && from + match[0].length > index) return true;
  }
  return false;
}

/** Scans text held in memory (a log). */
export function scanText(text: string, label: string, needles: Needles, options: ScanOptions = {}): Hit[] {
  const hits: Hit[] = [];
  scanWindow(text, 0, 0, text.length, label, needles, options, hits);
  return hits;
}

function scanWindow(
  text: string,
  base: number,
  /** Matches are reported when they start in [from, to) of `text`. */
  from: number,
  to: number,
  file: string,
  needles: Needles,
  options: ScanOptions,
  hits: Hit[],
): void {
  const hit = (kind: Hit['kind'], index: number, value: string) =>
    hits.push({
      file,
      offset: base + index,
      kind,
      value,
      context: text.slice(Math.max(0, index - 40), index + value.length + 40).replace(/[^\x20-\x7e]/g, '·'),
    });
  const inRange = (index: number) => index >= from && index < to;

  for (const match of text.matchAll(/\d{6,}/g)) {
    const run = match[0];
    const at = match.index;
    if (!inRange(at)) continue;
    for (let i = 0; i + 16 <= run.length; i++) {
      if (needles.niks.has(run.slice(i, i + 16))) hit('nik', at + i, run.slice(i, i + 16));
    }
    for (let length = 10; length <= needles.maxPhone; length++) {
      for (let i = 0; i + length <= run.length; i++) {
        if (needles.phones.has(run.slice(i, i + length)) && !insideUuid(text, at + i, length))
          hit('phone', at + i, run.slice(i, i + length));
      }
    }
    if (run.length === 6 && needles.ddmmyy.has(run) && !options.notADate?.(run)) {
      const before = text[at - 1] ?? ' ';
      const after = text[at + 6] ?? ' ';
      // A bare token, not a JSON number (a pid, a duration's decimals) or part of an id.
      if (!WORD.test(before) && !WORD.test(after) && !/[:.]/.test(before) && after !== '.') hit('birthDate DDMMYY', at, run);
    }
  }
  for (const match of text.matchAll(/\d{4}-\d{2}-\d{2}/g)) {
    if (inRange(match.index) && needles.isoDates.has(match[0])) hit('birthDate', match.index, match[0]);
  }
  for (const match of text.matchAll(/\d{1,2}\/\d{1,2}\/\d{4}/g)) {
    if (inRange(match.index) && needles.dmyDates.has(match[0])) hit('birthDate DD/MM/YYYY', match.index, match[0]);
  }
  const minSingle = options.minSingleNameLength ?? 0;
  needles.nameWords.lastIndex = 0;
  for (const match of text.matchAll(needles.nameWords)) {
    const at = match.index;
    if (!inRange(at)) continue;
    // Every run of whole words inside the match, each bounded by a non-word character.
    const words = [...match[0].matchAll(/[^ ]+/g)];
    for (let i = 0; i < words.length; i++) {
      for (let j = i; j < words.length; j++) {
        const start = at + words[i].index;
        const end = at + words[j].index + words[j][0].length;
        if (WORD.test(text[start - 1] ?? ' ') || WORD.test(text[end] ?? ' ')) continue;
        const candidate = text.slice(start, end);
        const found = i === j ? needles.names.has(candidate) && candidate.length >= minSingle : needles.namesLower.has(candidate.toLowerCase());
        if (found) hit('name', start, candidate);
      }
    }
  }
}
