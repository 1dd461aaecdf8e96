/**
 * The limiter's wait line: first in, first out, except that a retried request goes back to
 * the front (it keeps its place instead of queueing again behind newer requests).
 */
export class WaitQueue<T> {
  #items: T[] = [];
  #head = 0;
  #weight = 0;
  readonly #weigh: (item: T) => number;

  /** `weigh` gives an item's share of {@link weight} (a request's token cost). */
  constructor(weigh: (item: T) => number = () => 0) {
    this.#weigh = weigh;
  }

  /** The sum of the queued items' weights, kept as items come and go (no walk of the line). */
  get weight(): number {
    return this.#weight;
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  peek(): T | undefined {
    return this.#items[this.#head];
  }

  push(item: T): void {
    this.#weight += this.#weigh(item);
    this.#items.push(item);
  }

  unshift(item: T): void {
    this.#weight += this.#weigh(item);
    if (this.#head > 0) this.#items[--this.#head] = item;
    else this.#items.unshift(item);
  }

  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.#items[this.#head]!;
    this.#items[this.#head++] = undefined as T;
    this.#weight -= this.#weigh(item);
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
      this.#weight = 0; // no drift from fractional weights once the line is empty
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** Removes `item`; false when it was not queued. */
  remove(item: T): boolean {
    const index = this.#items.indexOf(item, this.#head);
    if (index === -1) return false;
    this.#items.splice(index, 1);
    this.#weight -= this.#weigh(item);
    return true;
  }

  /** Removes and returns every item. */
  drain(): T[] {
    const items = this.#items.slice(this.#head);
    this.#items = [];
    this.#head = 0;
    this.#weight = 0;
    return items;
  }
}
