/** Growable arrays of the recomputed leaves: 32 bytes and a position each, no object per event. */
export class LeafColumn {
  hashes = Buffer.alloc(32 * 1024);
  positions = new Float64Array(1024);
  length = 0;
  push(position: number, hash: Buffer): void {
    this.reserve(1);
    this.positions[this.length] = position;
    hash.copy(this.hashes, this.length * 32);
    this.length += 1;
  }
  /** Appends many leaves at once: `hashes` holds 32 bytes for each of `positions`. */
  pushAll(positions: Float64Array, hashes: Buffer): void {
    this.reserve(positions.length);
    this.positions.set(positions, this.length);
    hashes.copy(this.hashes, this.length * 32, 0, positions.length * 32);
    this.length += positions.length;
  }
  private reserve(more: number): void {
    if (this.length + more <= this.positions.length) return;
    let capacity = this.positions.length * 2;
    while (capacity < this.length + more) capacity *= 2;
    const positions = new Float64Array(capacity);
    positions.set(this.positions.subarray(0, this.length));
    this.positions = positions;
    const hashes = Buffer.alloc(capacity * 32);
    this.hashes.copy(hashes, 0, 0, this.length * 32);
    this.hashes = hashes;
  }
  hash(i: number): Buffer {
    return this.hashes.subarray(i * 32, i * 32 + 32);
  }
}
