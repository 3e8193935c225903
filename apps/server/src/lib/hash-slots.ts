/**
 * An open-addressing index from 32-bit hashes to entry numbers (0, 1, 2, …) whose data the caller keeps in its
 * own typed arrays: the per-text tables of the classifier's featuriser and of the search tokenizer, reused from
 * one text to the next without allocating. `start()` empties it in O(1) by moving to a new generation (a slot
 * counts only while stamped with the current one). Callers probe inline, in their hot loops:
 *
 *   for (let slot = t.home(hash); t.taken(slot); slot = t.after(slot)) { compare entry t.slots[slot] … }
 *   t.put(slot, entry, hashes, entryCount)   // the empty slot the probe ended on
 */
export class HashSlots {
  slots = new Int32Array(512);
  stamps = new Int32Array(512);
  generation = 0;
  bits = 9;
  mask = 511;

  /** Empties the index and sizes it to 2^bits slots (grown, never shrunk). */
  start(bits: number): void {
    this.bits = bits;
    this.mask = (1 << bits) - 1;
    if (this.slots.length < 1 << bits) {
      this.slots = new Int32Array(1 << bits);
      this.stamps = new Int32Array(1 << bits);
      this.generation = 0;
    }
    if (++this.generation === 0x3fffffff) {
      this.stamps.fill(0);
      this.generation = 1;
    }
  }

  /** The first slot to probe for a hash (Fibonacci hashing: the high bits of hash × 2^32/φ). */
  home(hash: number): number {
    return Math.imul(hash, 0x9e3779b1) >>> (32 - this.bits);
  }

  taken(slot: number): boolean {
    return this.stamps[slot] === this.generation;
  }

  after(slot: number): number {
    return (slot + 1) & this.mask;
  }

  /**
   * Records `entry` in the empty `slot` a probe ended on; with `count` entries now in the index, doubles it
   * when more than half full, re-inserting entries 0…count-1 by their hashes.
   */
  put(slot: number, entry: number, hashes: ArrayLike<number>, count: number): void {
    this.stamps[slot] = this.generation;
    this.slots[slot] = entry;
    if (count * 2 <= this.mask) return;
    this.start(this.bits + 1);
    for (let e = 0; e < count; e++) {
      let at = this.home(hashes[e]!);
      while (this.taken(at)) at = this.after(at);
      this.stamps[at] = this.generation;
      this.slots[at] = e;
    }
  }
}

/** A typed array twice as long with the same leading values. */
export function doubled<T extends Int32Array | Uint8Array>(array: T): T {
  const next = new (array.constructor as new (length: number) => T)(array.length * 2);
  next.set(array);
  return next;
}
