// The leaf hash of an event in the Merkle tree over the log (RFC 9162 §2.1, SHA-256), and the
// RFC 8785 canonical JSON it is taken over. It lives beside the port, not in the tree's library,
// because every adapter computes it inside its append transaction and stores it beside the event.
import { hash } from 'node:crypto';
import type { RecordedEvent } from './port';

/** RFC 9162 §2.1.1: a leaf is hashed as SHA-256(0x00 || input), an interior node as SHA-256(0x01 || left || right). */
export const LEAF_PREFIX = Buffer.from([0x00]);
export const NODE_PREFIX = Buffer.from([0x01]);

/**
 * RFC 8785 (JCS) serialisation: object members sorted by the UTF-16 code units of their names,
 * no whitespace, numbers in ECMAScript's shortest round-trip form, strings escaped as
 * ECMAScript's JSON.stringify escapes them (which RFC 8785 §3.2.2.2 adopts). Members whose value
 * has no JSON form (undefined, functions) are left out and `toJSON` is honoured, exactly as
 * JSON.stringify does, so the canonical text of a value equals that of the value read back from
 * JSON.stringify's output: the hash of an event taken before it is stored is the hash of the
 * event read back. NaN and the infinities have no JSON form and are refused (RFC 8785 §3.2.2.3).
 */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    // Fast path: the value rebuilt with members inserted in sorted order, then V8's native
    // JSON.stringify (measured about 1.5 times faster than writing the text in JavaScript).
    text = JSON.stringify(sortedCopy(value));
  } catch (error) {
    if (!(error instanceof IndexLikeName)) throw error;
    text = serialise(value);
  }
  if (text === undefined) throw new TypeError('canonical JSON: the value has no JSON form');
  return text;
}

/**
 * Objects enumerate names like "7" or "1603" (array indices) first, in numeric order, whatever
 * the insertion order: JSON.stringify cannot write them in RFC 8785 order, so such a value is
 * written by `serialise` instead.
 */
class IndexLikeName extends Error {}
const INDEX_LIKE = /^(0|[1-9][0-9]{0,9})$/;

function sortedCopy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError(`canonical JSON: ${value} is not a JSON number`);
    return value; // strings, booleans, and what JSON.stringify leaves out or refuses as it should
  }
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return sortedCopy(withJson.toJSON());
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = sortedCopy(value[i]);
    return copy;
  }
  const record = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const name of Object.keys(record).sort()) {
    if (INDEX_LIKE.test(name)) throw new IndexLikeName();
    copy[name] = sortedCopy(record[name]);
  }
  return copy;
}

function serialise(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON: ${value} is not a JSON number`);
      return JSON.stringify(value); // -0 serialises as 0, as RFC 8785 requires
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      const withJson = value as { toJSON?: () => unknown };
      if (typeof withJson.toJSON === 'function') return serialise(withJson.toJSON());
      if (Array.isArray(value)) {
        let text = '[';
        for (let i = 0; i < value.length; i++) text += (i ? ',' : '') + (serialise(value[i]) ?? 'null');
        return `${text}]`;
      }
      const record = value as Record<string, unknown>;
      // Array.prototype.sort without a comparator orders strings by UTF-16 code units (RFC 8785 §3.2.3).
      const names = Object.keys(record).sort();
      let text = '{';
      for (const name of names) {
        const member = serialise(record[name]);
        if (member === undefined) continue;
        text += `${text.length > 1 ? ',' : ''}${JSON.stringify(name)}:${member}`;
      }
      return `${text}}`;
    }
    case 'bigint':
      throw new TypeError('canonical JSON: a BigInt is not a JSON number');
    default:
      return undefined; // undefined, functions, symbols: no JSON form
  }
}

/** What a leaf commits to: where the event sits in its stream and in the log, and what it says. */
export interface LeafFields {
  streamId: string;
  revision: number;
  type: string;
  position: number;
}

/**
 * The canonical JSON of {data, metadata, position, revision, stream, type} (members already in
 * RFC 8785 order), from the canonical JSON texts of data and metadata. Kept a concatenation so an
 * adapter that stores canonical text, and a verifier that reads it, never parse or re-serialise.
 */
export function leafText(fields: LeafFields, dataJson: string, metadataJson: string): string {
  return (
    `{"data":${dataJson},"metadata":${metadataJson},"position":${fields.position},` +
    `"revision":${fields.revision},"stream":${JSON.stringify(fields.streamId)},"type":${JSON.stringify(fields.type)}}`
  );
}

/**
 * SHA-256(0x00 || UTF-8(text)): the RFC 9162 leaf hash of a leaf text. U+0000 encodes as the
 * single byte 0x00, so the prefix travels in the string; one-shot `hash` costs a fraction of
 * a `createHash` object per event.
 */
export function hashLeafText(text: string): Buffer {
  return hash('sha256', `\u0000${text}`, 'buffer');
}

/** The leaf hash of an event from its decoded data and metadata (any store, any JSON spelling). */
export function leafHashOf(event: RecordedEvent): Buffer {
  return hashLeafText(leafText(event, canonicalJson(event.data), canonicalJson(event.metadata)));
}

/** An event's leaf hash as it travels in JSON and in the KurrentDB metadata: lowercase hex. */
export const LEAF_HASH_HEX = /^[0-9a-f]{64}$/;

/** A leaf of the tree as a store hands it over: the event's log position and its leaf hash. */
export interface StoredLeaf {
  position: number;
  hash: Buffer;
}

/** A store that keeps leaf hashes beside its events (SQLite, PostgreSQL). */
export interface LeafReader {
  readLeaves(after: number, maxCount: number): Promise<StoredLeaf[]>;
}

export function isLeafReader(store: unknown): store is LeafReader {
  return typeof (store as Partial<LeafReader>)?.readLeaves === 'function';
}
