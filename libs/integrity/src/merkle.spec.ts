import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as leafHash from '@ledger/event-store';
import {
  EMPTY_ROOT,
  FlatFrontier,
  Frontier,
  LEAF_PREFIX,
  NODE_PREFIX,
  consistencyRanges,
  foldRange,
  hashChildren,
  hashLeaf,
  inclusionRanges,
  nodeKey,
  rangeNodes,
  verifyConsistency,
  verifyInclusion,
  type NodeId,
  type Range,
} from './merkle';

// Test vectors of RFC 6962/9162 trees: the leaf inputs and roots of transparency-dev/merkle's
// testonly package, and its inclusion and consistency probes (testdata/, Apache License 2.0).
const hex = (s: string) => Buffer.from(s, 'hex');
const b64 = (s: string) => Buffer.from(s ?? '', 'base64');
const LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(hex);
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

interface InclusionProbe {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}
interface ConsistencyProbe {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
  file: string;
}
const probes = JSON.parse(readFileSync(join(__dirname, 'testdata', 'rfc9162-probes.json'), 'utf8')) as {
  inclusion: (InclusionProbe & { file: string })[];
  consistency: ConsistencyProbe[];
};

/** A tree held in memory: every complete node, as the tree store keeps them. */
function memoryTree(leaves: Buffer[]) {
  const nodes = new Map<string, Buffer>();
  const frontier = new Frontier(0, nodes);
  for (const leaf of leaves) frontier.append(hashLeaf(leaf), (id, hash) => nodes.set(nodeKey(id), hash));
  const rangeHash = ([a, b]: Range) =>
    foldRange(rangeNodes(a, b).map((id: NodeId) => nodes.get(nodeKey(id))!));
  return { nodes, frontier, rangeHash };
}

/** MTH straight from RFC 9162 §2.1.1, recursively: the reference the stored tree must agree with. */
function referenceRoot(hashes: Buffer[]): Buffer {
  if (hashes.length === 0) return EMPTY_ROOT;
  if (hashes.length === 1) return hashes[0];
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return hashChildren(referenceRoot(hashes.slice(0, k)), referenceRoot(hashes.slice(k)));
}

describe('RFC 9162 Merkle tree', () => {
  it('hashes with the prefixes the stores hash leaves with', () => {
    expect(LEAF_PREFIX.equals(leafHash.LEAF_PREFIX)).toBe(true);
    expect(NODE_PREFIX.equals(leafHash.NODE_PREFIX)).toBe(true);
  });

  it('computes the roots of the reference trees of sizes 0 to 8, incrementally', () => {
    const { nodes, frontier, rangeHash } = memoryTree(LEAVES);
    expect(frontier.root().toString('hex')).toBe(ROOTS[8]);
    for (let n = 0; n <= 8; n++) {
      expect(rangeHash([0, n]).toString('hex')).toBe(ROOTS[n]);
      // Resuming a tree from its stored frontier gives the same root.
      expect(new Frontier(n, nodes).root().toString('hex')).toBe(ROOTS[n]);
    }
  });

  it("computes the verifier's flat frontier roots as the recursive definition does, at every size up to 300", () => {
    const hashes = Array.from({ length: 300 }, (_, i) => hashLeaf(Buffer.from(`leaf ${i}`)));
    const flat = new FlatFrontier();
    expect(flat.root().equals(EMPTY_ROOT)).toBe(true);
    const column = Buffer.concat(hashes);
    for (let n = 1; n <= 300; n++) {
      flat.add(column, (n - 1) * 32);
      expect(flat.root().equals(referenceRoot(hashes.slice(0, n)))).toBe(true);
    }
    expect(new FlatFrontier().root().toString('hex')).toBe(ROOTS[0]);
  });

  it('agrees with the recursive definition for every size up to 70 and every range it names', () => {
    const leaves = Array.from({ length: 70 }, (_, i) => Buffer.from(`leaf ${i}`));
    const { rangeHash } = memoryTree(leaves);
    const hashes = leaves.map(hashLeaf);
    for (let n = 1; n <= 70; n++) {
      expect(rangeHash([0, n]).equals(referenceRoot(hashes.slice(0, n)))).toBe(true);
      for (let m = 0; m < n; m++) {
        const proof = inclusionRanges(m, n).map(rangeHash);
        expect(verifyInclusion(m, n, hashes[m], proof, rangeHash([0, n]))).toBeUndefined();
        if (m > 0) {
          const consistency = consistencyRanges(m, n).map(rangeHash);
          expect(verifyConsistency(m, n, rangeHash([0, m]), rangeHash([0, n]), consistency)).toBeUndefined();
          // Any other first root is refused.
          expect(
            verifyConsistency(m, n, hashLeaf(Buffer.from('x')), rangeHash([0, n]), consistency),
          ).toBeDefined();
        }
      }
    }
  });

  it('produces the reference inclusion proofs and verifies or refuses every inclusion probe as expected', () => {
    const { rangeHash } = memoryTree(LEAVES);
    const happy = probes.inclusion.filter((p) => p.desc === 'happy path');
    expect(happy.length).toBeGreaterThan(3);
    for (const p of happy) {
      const made = inclusionRanges(p.leafIdx, p.treeSize).map((r) => rangeHash(r).toString('base64'));
      expect(made).toEqual(p.proof ?? []);
    }
    expect(probes.inclusion.filter((p) => p.wantErr).length).toBeGreaterThan(50);
    for (const p of probes.inclusion) {
      const refusal = verifyInclusion(
        p.leafIdx,
        p.treeSize,
        b64(p.leafHash),
        (p.proof ?? []).map(b64),
        b64(p.root),
      );
      expect({ file: p.file, refused: refusal !== undefined }).toEqual({ file: p.file, refused: p.wantErr });
    }
  });

  it('produces the reference consistency proofs and verifies or refuses every consistency probe', () => {
    const { rangeHash } = memoryTree(LEAVES);
    for (const p of probes.consistency.filter(
      (c) => c.desc === 'happy path' && c.size1 > 0 && c.size1 < c.size2,
    )) {
      const made = consistencyRanges(p.size1, p.size2).map((r) => rangeHash(r).toString('base64'));
      expect(made).toEqual(p.proof ?? []);
    }
    for (const p of probes.consistency) {
      const refusal = verifyConsistency(
        p.size1,
        p.size2,
        b64(p.root1),
        b64(p.root2),
        (p.proof ?? []).map(b64),
      );
      // Stricter than the probes: RFC 9162 defines a proof only for 0 < m < n, so m = 0 and m = n
      // are refused even where the probe accepts a trivially empty proof.
      const want = p.wantErr || p.size1 === 0 || p.size1 >= p.size2;
      expect({ file: p.file, refused: refusal !== undefined }).toEqual({ file: p.file, refused: want });
    }
  });

  it('refuses hostile proofs: wrong length, extra or missing nodes, m = 0, m = n, m > n, oversized', () => {
    const { rangeHash } = memoryTree(LEAVES);
    const root8 = rangeHash([0, 8]);
    const leaf3 = hashLeaf(LEAVES[3]);
    const proof = inclusionRanges(3, 8).map(rangeHash);
    expect(verifyInclusion(3, 8, leaf3, proof, root8)).toBeUndefined();
    expect(verifyInclusion(3, 8, leaf3, proof.slice(0, 2), root8)).toMatch(/shorter/);
    expect(verifyInclusion(3, 8, leaf3, [...proof, proof[0]], root8)).toMatch(/longer/);
    expect(verifyInclusion(3, 8, leaf3, [proof[0].subarray(0, 31), ...proof.slice(1)], root8)).toMatch(
      /32-byte/,
    );
    expect(verifyInclusion(8, 8, leaf3, proof, root8)).toMatch(/below the tree size/);
    expect(verifyInclusion(3, 0, leaf3, proof, root8)).toMatch(/at least 1/);
    expect(
      verifyInclusion(
        3,
        8,
        leaf3,
        Array.from({ length: 1000 }, () => proof[0]),
        root8,
      ),
    ).toMatch(/32-byte/);

    const root5 = rangeHash([0, 5]);
    const consistency = consistencyRanges(5, 8).map(rangeHash);
    expect(verifyConsistency(5, 8, root5, root8, consistency)).toBeUndefined();
    expect(verifyConsistency(0, 8, EMPTY_ROOT, root8, consistency)).toMatch(/at least 1/);
    expect(verifyConsistency(8, 8, root8, root8, [])).toMatch(/below the second/);
    expect(verifyConsistency(9, 8, root8, root5, consistency)).toMatch(/below the second/);
    expect(verifyConsistency(5, 8, root5, root8, [])).toMatch(/empty/);
    expect(verifyConsistency(5, 8, root5, root8, [...consistency, consistency[0]])).toMatch(/longer/);
    expect(verifyConsistency(5, 8, root5, root8, consistency.slice(1))).toBeDefined();
    expect(() => consistencyRanges(0, 8)).toThrow(RangeError);
    expect(() => consistencyRanges(8, 8)).toThrow(RangeError);
    expect(() => inclusionRanges(8, 8)).toThrow(RangeError);
  });
});
