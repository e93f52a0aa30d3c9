import { useCallback, useEffect, useState } from 'preact/hooks';

/** What a page knows about data it loads: the data once there, the error if loading failed. */
export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  reload: () => Promise<void>;
}

/** Loads data when the component mounts (and when `deps` change); `reload` fetches again after a change. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  // The caller names what the loader depends on, as with useEffect.
  const reload = useCallback(async () => {
    try {
      setData(await load());
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, deps);
  useEffect(() => void reload(), [reload]);
  return { data, error, reload };
}

/** A user action in flight: `run` clears the last error, marks busy, and keeps the error if it fails. */
export interface Action {
  busy: boolean;
  error: unknown;
  run: (work: () => Promise<unknown>) => Promise<boolean>;
  setError: (error: unknown) => void;
}

/** State for one button or form that calls the API; `run` answers whether the work succeeded. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, setError };
}
