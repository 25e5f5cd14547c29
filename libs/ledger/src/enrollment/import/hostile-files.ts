/**
 * Hostile nomination lists, for the tests and `npm run bench -- --only hostile`: files small on
 * the wire that cost a naive reader a great deal. Each is built in memory in well under a second.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';

const HEADER = 'NIK;Nama;Jenis Kelamin;Tanggal Lahir;Pekerjaan;Kode Desa;No HP\r\n';

/** A header and then only empty lines: 1,000,000 lines are 1.9 MB. */
export function blankLinesCsv(lines: number): Buffer {
  const header = Buffer.from(HEADER);
  const body = Buffer.alloc(lines * 2);
  for (let i = 0; i < body.length; i += 2) {
    body[i] = 0x0d;
    body[i + 1] = 0x0a;
  }
  return Buffer.concat([header, body]);
}

interface ZipPart {
  name: string;
  /** Raw deflate data. */
  deflated: Buffer;
  /** What the headers say; a hostile file lies here. */
  declaredSize: number;
  crc: number;
}

function part(name: string, content: string | Buffer): ZipPart {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
  return { name, deflated: deflateRawSync(bytes), declaredSize: bytes.length, crc: crc32(bytes) };
}

/**
 * A zip as streaming writers produce it (sizes in a data descriptor after each entry, flag bit
 * 3), which is how a reader that trusts headers gets fooled: they can say anything.
 */
function zip(parts: ZipPart[]): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0008, 6); // sizes and CRC follow the data
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt16LE(name.length, 26);
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(p.crc >>> 0, 4);
    descriptor.writeUInt32LE(p.deflated.length, 8);
    descriptor.writeUInt32LE(p.declaredSize >>> 0, 12);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0008, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt16LE(0x21, 14);
    entry.writeUInt32LE(p.crc >>> 0, 16);
    entry.writeUInt32LE(p.deflated.length, 20);
    entry.writeUInt32LE(p.declaredSize >>> 0, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    chunks.push(local, name, p.deflated, descriptor);
    offset += local.length + name.length + p.deflated.length + descriptor.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, directory, end]);
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
  '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' +
  '</Types>';
const ROOT_RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
  '</Relationships>';
const WORKBOOK =
  '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>' +
  '<sheet name="Usulan" sheetId="1" r:id="rId1"/></sheets></workbook>';
const WORKBOOK_RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' +
  '</Relationships>';
const LABELS = ['NIK', 'Nama', 'Jenis Kelamin', 'Tanggal Lahir', 'Pekerjaan', 'Kode Desa', 'No HP'];
const SHARED_STRINGS =
  '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
  `count="${LABELS.length}" uniqueCount="${LABELS.length}">${LABELS.map((l) => `<si><t>${l}</t></si>`).join('')}</sst>`;
const SHEET_HEAD =
  '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
  `<row r="1">${LABELS.map((_, i) => `<c r="${String.fromCharCode(65 + i)}1" t="s"><v>${i}</v></c>`).join('')}</row>`;
const SHEET_TAIL = '</sheetData></worksheet>';

function workbookWith(sheet: ZipPart): Buffer {
  return zip([
    part('[Content_Types].xml', CONTENT_TYPES),
    part('_rels/.rels', ROOT_RELS),
    part('xl/workbook.xml', WORKBOOK),
    part('xl/_rels/workbook.xml.rels', WORKBOOK_RELS),
    part('xl/sharedStrings.xml', SHARED_STRINGS),
    sheet,
  ]);
}

/** A workbook whose header row is followed by `rows` empty rows (a template formatted too far). */
export function emptyRowsXlsx(rows: number): Buffer {
  const xml: string[] = [SHEET_HEAD];
  for (let r = 2; r <= rows + 1; r += 1) xml.push(`<row r="${r}" spans="1:7"/>`);
  xml.push(SHEET_TAIL);
  return workbookWith(part('xl/worksheets/sheet1.xml', xml.join('')));
}

/**
 * A workbook whose sheet inflates to about `inflatedBytes` while it declares 1 MiB: one
 * deflated MiB of padding repeated (a deflate stream may be cut at a sync flush and its
 * pieces joined), so building a 4 GB bomb costs a 4 MB copy, not 4 GB of compression.
 */
export function inflatingXlsx(inflatedBytes: number): Buffer {
  const mib = 1024 * 1024;
  const flush = { finishFlush: constants.Z_SYNC_FLUSH };
  const head = deflateRawSync(Buffer.from(SHEET_HEAD), flush);
  const padding = deflateRawSync(Buffer.alloc(mib, ' '), flush);
  const tail = deflateRawSync(Buffer.from(SHEET_TAIL));
  const copies = Math.max(1, Math.round(inflatedBytes / mib));
  const deflated = Buffer.concat([head, ...Array.from({ length: copies }, () => padding), tail]);
  return workbookWith({ name: 'xl/worksheets/sheet1.xml', deflated, declaredSize: mib, crc: 0 });
}
