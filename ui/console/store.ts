import { useEffect, useState } from 'preact/hooks';

/**
 * A tiny observable state holder: logic modules update it, components read it through
 * useStore(). Notifications are coalesced (one per frame at most), so a file arriving in
 * thousands of chunks re-renders the page a few times per second, not once per chunk.
 */
export class Store<T> {
  private readonly listeners = new Set<(state: T) => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private state: T) {}

  get(): T {
    return this.state;
  }

  /** Replaces the state with `change(state)` and tells listeners soon. */
  update(change: (state: T) => T): void {
    this.state = change(this.state);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      for (const listener of this.listeners) listener(this.state);
    }, 16);
  }

  subscribe(listener: (state: T) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}

/** The store's current state; re-renders the component when it changes. */
export function useStore<T>(store: Store<T>): T {
  const [state, setState] = useState(store.get());
  useEffect(() => {
    setState(store.get());
    return store.subscribe(setState);
  }, [store]);
  return state;
}
