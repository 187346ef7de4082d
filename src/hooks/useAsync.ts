import { DependencyList, useCallback, useEffect, useState } from 'react';

export interface AsyncState<T> {
  value?: T;
  error?: Error;
  loading: boolean;
  /** When the last answer (value or error) arrived, in ms since the epoch. */
  updatedAt?: number;
  reload: () => void;
}

export interface AsyncOptions<T> {
  skip?: boolean;
  /** Waits this long after `deps` change before asking (typing in a field asks once). */
  delayMs?: number;
  /**
   * Asks again this long after each answer, while mounted: data that arrives later (a first
   * scrape, a metric deployed a minute ago) shows without a reload. A function chooses by the
   * last value, e.g. sooner while there is nothing to show. Paused while the page is hidden.
   */
  refreshMs?: number | ((value: T | undefined) => number);
}

/**
 * Runs `fn` when `deps` change (and on reload or refresh); keeps the last value while reloading.
 * `deps` must be plain values (strings, numbers, booleans, undefined).
 */
export function useAsync<T>(fn: () => Promise<T>, deps: DependencyList, opts: AsyncOptions<T> = {}): AsyncState<T> {
  const [tick, setTick] = useState(0);
  const [result, setResult] = useState<{ key: string; value?: T; error?: Error; at: number }>();
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const key = JSON.stringify([...deps.map((d) => (d === undefined ? null : d)), tick]);
  useEffect(() => {
    if (opts.skip) {
      return;
    }
    let cancelled = false;
    const run = () =>
      fn().then(
        (value) => !cancelled && setResult({ key, value, at: Date.now() }),
        (error: Error) => !cancelled && setResult((r) => ({ key, value: r?.value, error, at: Date.now() }))
      );
    const timer = opts.delayMs ? setTimeout(run, opts.delayMs) : undefined;
    if (!timer) {
      run();
    }
    return () => {
      cancelled = true;
      if (timer) {
        clearTimeout(timer);
      }
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, opts.skip]);

  const current = result?.key === key;
  const refreshMs = typeof opts.refreshMs === 'function' ? opts.refreshMs(result?.value) : opts.refreshMs;
  useEffect(() => {
    if (opts.skip || !current || !refreshMs) {
      return;
    }
    let timer: ReturnType<typeof setTimeout>;
    const due = () => {
      if (typeof document !== 'undefined' && document.hidden) {
        timer = setTimeout(due, refreshMs);
      } else {
        reload();
      }
    };
    timer = setTimeout(due, refreshMs);
    return () => clearTimeout(timer);
  }, [current, refreshMs, opts.skip, reload, result?.at]);

  return {
    value: result?.value,
    error: current ? result?.error : undefined,
    loading: !opts.skip && !current,
    updatedAt: result?.at,
    reload,
  };
}
