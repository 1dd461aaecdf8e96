// Two readers of one async iterable: each value is pulled from the source once and queued for
// the branch that has not read it yet. The source stops when both branches have stopped.

/** Splits `source` into two iterables that each see every value (and the same end or error). */
export function teeIterable<T>(source: AsyncIterable<T>): [AsyncIterable<T>, AsyncIterable<T>] {
  const iterator = source[Symbol.asyncIterator]();
  const queues: IteratorResult<T>[][] = [[], []];
  const active = [true, true];
  let failure: { error: unknown } | undefined;
  let pulling: Promise<void> | undefined;

  const pull = (): Promise<void> =>
    (pulling ??= iterator.next().then(
      (result) => {
        pulling = undefined;
        for (let i = 0; i < 2; i++) if (active[i]) queues[i]!.push(result);
      },
      (error: unknown) => {
        pulling = undefined;
        failure = { error };
      },
    ));

  const branch = (i: 0 | 1): AsyncIterable<T> => {
    let started = false;
    return {
      [Symbol.asyncIterator]() {
        if (started) throw new TypeError("A tee() branch can be iterated once.");
        started = true;
        return {
          async next(): Promise<IteratorResult<T>> {
            while (queues[i]!.length === 0) {
              if (failure !== undefined) throw failure.error;
              if (!active[i]) return { done: true, value: undefined };
              await pull();
            }
            return queues[i]!.shift()!;
          },
          async return(): Promise<IteratorResult<T>> {
            active[i] = false;
            queues[i]!.length = 0;
            if (!active[1 - i]) await iterator.return?.();
            return { done: true, value: undefined };
          },
        };
      },
    };
  };
  return [branch(0), branch(1)];
}
