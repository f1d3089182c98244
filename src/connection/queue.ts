/**
 * A FIFO on a power-of-two ring. `Array.prototype.shift` is O(n) once V8 leaves its fast path, and a
 * reply queue shifts once per reply, so the queue keeps its own head and tail instead.
 */
export class Queue<T> {
  private items: (T | undefined)[];
  private head = 0;
  private tail = 0;
  private mask: number;

  constructor(capacity = 16) {
    let size = 16;
    while (size < capacity) size *= 2;
    this.items = new Array<T | undefined>(size);
    this.mask = size - 1;
  }

  get length(): number {
    return (this.tail - this.head) & this.mask;
  }

  push(item: T): void {
    this.items[this.tail] = item;
    this.tail = (this.tail + 1) & this.mask;
    if (this.tail === this.head) this.grow();
  }

  /** Puts an item back at the front (for re-queueing in order). */
  unshift(item: T): void {
    this.head = (this.head - 1) & this.mask;
    this.items[this.head] = item;
    if (this.tail === this.head) this.grow();
  }

  shift(): T | undefined {
    if (this.head === this.tail) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    return item;
  }

  peek(): T | undefined {
    return this.head === this.tail ? undefined : this.items[this.head];
  }

  /** Removes and returns every item, oldest first. */
  drain(): T[] {
    const out: T[] = [];
    for (let item = this.shift(); item !== undefined; item = this.shift()) out.push(item);
    return out;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = this.head; i !== this.tail; i = (i + 1) & this.mask) yield this.items[i]!;
  }

  private grow(): void {
    // Called when full (tail caught up with head): unroll into a ring twice the size.
    const old = this.items;
    const size = old.length;
    const next = new Array<T | undefined>(size * 2);
    for (let i = 0; i < size; i++) next[i] = old[(this.head + i) & this.mask];
    this.items = next;
    this.head = 0;
    this.tail = size;
    this.mask = size * 2 - 1;
  }
}
