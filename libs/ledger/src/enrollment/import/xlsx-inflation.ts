/** Refusing an XLSX that inflates too far, before its reader sees it. */
import { PassThrough, Readable } from 'node:stream';
import unzipper, { type Entry as ZipEntry } from 'unzipper';
import { cancelled, DEFAULT_FILE_LIMITS, type NominationFileLimits, type ParseOptions } from './file-limits';
import { NominationFileError } from './nomination-row';
import { unreadableXlsx } from './xlsx-rows';

/**
 * Inflates every part of an XLSX once, counting, before the reader sees it: the reader writes
 * worksheets it meets before the shared strings to temporary files and keeps the shared strings
 * in memory, so a 4 MB file that inflates to 4 GB would fill the disk or the heap. The sizes a
 * zip declares can lie, so the bytes themselves are counted, and the file refused as soon as a
 * limit is passed. zlib inflates on the thread pool; the event loop stays free.
 */
export async function checkXlsxInflation(
  input: Readable | Buffer,
  options: Pick<ParseOptions, 'limits' | 'signal'> & { directory?: ZipDirectory } = {},
): Promise<void> {
  const limits = { ...DEFAULT_FILE_LIMITS, ...options.limits };
  const declared = options.directory ?? new Map<string, DeclaredSize>();
  checkDeclaredSizes(declared, limits);
  const source = Buffer.isBuffer(input) ? Readable.from([input]) : input;
  let compressed = 0;
  let inflated = 0;
  const counted = new PassThrough();
  source.on('data', (chunk: Buffer) => (compressed += chunk.length));
  source.on('error', (error) => counted.destroy(error));
  source.pipe(counted);
  const zip = counted.pipe(unzipper.Parse({ forceStream: true }));
  const refuse = (what: string) =>
    new NominationFileError(
      'import.xlsx.inflation',
      `Berkas Excel terlalu besar setelah dibuka (${what}). Simpan ulang tanpa baris atau lembar kosong, ` +
        'atau bagi menjadi beberapa berkas.',
    );
  try {
    for await (const entry of zip as AsyncIterable<ZipEntry>) {
      const isSharedStrings = /(^|\/)sharedStrings\.xml$/i.test(entry.path);
      let part = 0;
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        if (options.signal?.aborted) throw cancelled();
        part += chunk.length;
        inflated += chunk.length;
        if (inflated > limits.maxInflatedBytes) throw refuse(`lebih dari ${mib(limits.maxInflatedBytes)}`);
        if (isSharedStrings && part > limits.maxSharedStringsBytes) {
          throw refuse(`teks bersama lebih dari ${mib(limits.maxSharedStringsBytes)}`);
        }
        if (inflated > RATIO_FROM_BYTES && inflated > compressed * limits.maxInflationRatio) {
          throw refuse(`lebih dari ${limits.maxInflationRatio} kali ukuran berkas`);
        }
        // Excel, LibreOffice and every library write true sizes in the central directory: a
        // part that inflates beyond what it declares was made to fool a reader.
        const size = declared.get(entry.path);
        if (size && part > size.uncompressed) throw refuse('lebih besar dari ukuran yang dinyatakan');
      }
    }
  } catch (error) {
    if (error instanceof NominationFileError) throw error;
    throw unreadableXlsx(error);
  } finally {
    source.unpipe(counted);
    if (!source.destroyed) source.destroy();
    counted.destroy();
    zip.destroy();
  }
}

export interface DeclaredSize {
  compressed: number;
  uncompressed: number;
}

/** What a zip's central directory declares for each entry, by name. */
export type ZipDirectory = Map<string, DeclaredSize>;

function checkDeclaredSizes(directory: ZipDirectory, limits: NominationFileLimits): void {
  let total = 0;
  for (const { compressed, uncompressed } of directory.values()) {
    total += uncompressed;
    const tooFar = uncompressed > RATIO_FROM_BYTES && uncompressed > compressed * limits.maxInflationRatio;
    if (tooFar || total > limits.maxInflatedBytes) {
      throw new NominationFileError(
        'import.xlsx.inflation',
        'Berkas Excel terlalu besar setelah dibuka (menurut daftar isinya). Simpan ulang tanpa baris atau ' +
          'lembar kosong, atau bagi menjadi beberapa berkas.',
      );
    }
  }
}

/**
 * Reads the central directory from the last bytes of a zip (the end record points at it).
 * Undefined when the tail does not hold it whole, or it is not what a zip would hold: the
 * inflation check then counts bytes without declared sizes to compare with.
 */
export function zipDirectory(tail: Buffer, fileSize: number): ZipDirectory | undefined {
  const end = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0 || end + 22 > tail.length) return undefined;
  const entries = tail.readUInt16LE(end + 10);
  const size = tail.readUInt32LE(end + 12);
  const offset = tail.readUInt32LE(end + 16);
  const start = tail.length - (fileSize - offset);
  if (start < 0 || start + size > end) return undefined;
  const directory: ZipDirectory = new Map();
  let at = start;
  for (let i = 0; i < entries; i += 1) {
    if (at + 46 > end || tail.readUInt32LE(at) !== 0x02014b50) return undefined;
    const nameLength = tail.readUInt16LE(at + 28);
    const extra = tail.readUInt16LE(at + 30) + tail.readUInt16LE(at + 32);
    const name = tail.toString('utf8', at + 46, at + 46 + nameLength);
    directory.set(name, { compressed: tail.readUInt32LE(at + 20), uncompressed: tail.readUInt32LE(at + 24) });
    at += 46 + nameLength + extra;
  }
  return directory;
}

/** Small files may inflate far (styles, a sheet of ten rows); the ratio matters for large ones. */
const RATIO_FROM_BYTES = 64 * 1024 * 1024;

function mib(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024)).toLocaleString('id-ID')} MiB`;
}
