import { act, renderHook, waitFor } from '@testing-library/react';
import { useAsync } from './useAsync';

describe('useAsync refresh', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  // Answers in order; the last one repeats.
  function answers<T>(...values: T[]) {
    let i = 0;
    return jest.fn(async () => values[Math.min(i++, values.length - 1)]);
  }

  it('asks again while mounted, sooner while there is nothing to show, and stops when unmounted', async () => {
    const fn = answers<string[]>([], [], ['gen_ai_client_operation_duration_seconds_count']);
    const { result, unmount } = renderHook(() =>
      useAsync(fn, ['prom'], { refreshMs: (v) => (v?.length ? 60_000 : 10_000) })
    );
    await waitFor(() => expect(result.current.value).toEqual([]));
    expect(fn).toHaveBeenCalledTimes(1);
    const firstAt = result.current.updatedAt!;

    // Nothing to show: asked again after 10 s, then again after another 10 s, which finds the metric.
    await act(async () => jest.advanceTimersByTime(9_999));
    expect(fn).toHaveBeenCalledTimes(1);
    await act(async () => jest.advanceTimersByTime(1));
    await waitFor(() => expect(fn).toHaveBeenCalledTimes(2));
    await act(async () => jest.advanceTimersByTime(10_000));
    await waitFor(() => expect(result.current.value).toEqual(['gen_ai_client_operation_duration_seconds_count']));
    expect(result.current.updatedAt).toBeGreaterThan(firstAt);
    expect(fn).toHaveBeenCalledTimes(3);

    // With data: the next question comes after 60 s, not 10.
    await act(async () => jest.advanceTimersByTime(30_000));
    expect(fn).toHaveBeenCalledTimes(3);
    await act(async () => jest.advanceTimersByTime(30_000));
    await waitFor(() => expect(fn).toHaveBeenCalledTimes(4));

    unmount();
    await act(async () => jest.advanceTimersByTime(600_000));
    expect(fn).toHaveBeenCalledTimes(4);
  });

  it('keeps the last value while it asks again, and asks at once on reload', async () => {
    let resolve: (v: number) => void = () => undefined;
    const fn = jest.fn(() => new Promise<number>((r) => (resolve = r)));
    const { result } = renderHook(() => useAsync(fn, [], { refreshMs: 30_000 }));
    await act(async () => resolve(1));
    expect(result.current).toMatchObject({ value: 1, loading: false });

    act(() => result.current.reload());
    expect(fn).toHaveBeenCalledTimes(2);
    expect(result.current).toMatchObject({ value: 1, loading: true });
    await act(async () => resolve(2));
    expect(result.current).toMatchObject({ value: 2, loading: false });
  });

  it('does not ask while the page is hidden', async () => {
    const fn = answers(1);
    const hidden = jest.spyOn(document, 'hidden', 'get').mockReturnValue(true);
    const { result } = renderHook(() => useAsync(fn, [], { refreshMs: 10_000 }));
    await waitFor(() => expect(result.current.value).toBe(1));
    expect(document.hidden).toBe(true);
    await act(async () => jest.advanceTimersByTime(50_000));
    expect(fn).toHaveBeenCalledTimes(1);
    hidden.mockReturnValue(false);
    // Within one period of the page showing again (its check runs every 10 s).
    await act(async () => jest.advanceTimersByTime(10_500));
    await waitFor(() => expect(fn).toHaveBeenCalledTimes(2));
    hidden.mockRestore();
  });
});
