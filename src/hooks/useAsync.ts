import { DependencyList, useCallback, useEffect, useState } from 'react';

export interface AsyncState<T> {
  value?: T;
  error?: Error;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs `fn` when `deps` change (and on reload); keeps the last value while reloading.
 * `deps` must be plain values (strings, numbers, booleans, undefined).
 */
export function useAsync<T>(
  fn: () => Promise<T>,
  deps: DependencyList,
  opts: { skip?: boolean; delayMs?: number } = {}
): AsyncState<T> {
  const [tick, setTick] = useState(0);
  const [result, setResult] = useState<{ key: string; value?: T; error?: Error }>();
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const key = JSON.stringify([...deps.map((d) => (d === undefined ? null : d)), tick]);
  useEffect(() => {
    if (opts.skip) {
      return;
    }
    let cancelled = false;
    const run = () =>
      fn().then(
        (value) => !cancelled && setResult({ key, value }),
        (error: Error) => !cancelled && setResult((r) => ({ key, value: r?.value, error }))
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
  return { value: result?.value, error: current ? result?.error : undefined, loading: !opts.skip && !current, reload };
}
