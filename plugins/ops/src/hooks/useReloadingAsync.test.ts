import { renderHook, waitFor } from '@testing-library/react';
import { useReloadingAsync } from './useReloadingAsync';

describe('useReloadingAsync', () => {
  /** A record store whose reads answer from `answers`, in order. */
  function reads(...answers: Array<string | Error>) {
    const load = jest.fn(async (id: string) => {
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return `${id}: ${answer}`;
    });
    return load;
  }

  function renderRead(load: (id: string) => Promise<string>) {
    return renderHook(
      (props: { id: string; reloadKey: number }) =>
        useReloadingAsync(() => load(props.id), [props.id], props.reloadKey),
      { initialProps: { id: 'inc-1', reloadKey: 0 } },
    );
  }

  it('keeps the value read before when a reload fails, beside the error, until a reload answers', async () => {
    const load = reads('open', new Error('Network down'), 'resolved');
    const { result, rerender } = renderRead(load);
    await waitFor(() => expect(result.current.value).toBe('inc-1: open'));

    rerender({ id: 'inc-1', reloadKey: 1 });
    await waitFor(() =>
      expect(result.current.error?.message).toBe('Network down'),
    );
    expect(result.current.value).toBe('inc-1: open');
    expect(result.current.loading).toBe(false);

    rerender({ id: 'inc-1', reloadKey: 2 });
    await waitFor(() => expect(result.current.value).toBe('inc-1: resolved'));
    expect(result.current.error).toBeUndefined();
  });

  it('keeps nothing of another record', async () => {
    const load = reads('open', new Error('Not found'));
    const { result, rerender } = renderRead(load);
    await waitFor(() => expect(result.current.value).toBe('inc-1: open'));

    rerender({ id: 'inc-2', reloadKey: 0 });
    // While inc-2 is read, inc-1's answer is not shown as inc-2's.
    expect(result.current.value).toBeUndefined();
    await waitFor(() =>
      expect(result.current.error?.message).toBe('Not found'),
    );
    expect(result.current.value).toBeUndefined();
  });

  it('shows the error of a first read that fails', async () => {
    const { result } = renderRead(reads(new Error('Forbidden')));
    await waitFor(() =>
      expect(result.current.error?.message).toBe('Forbidden'),
    );
    expect(result.current.value).toBeUndefined();
  });

  it('shows an answer the mount already has without reading it again, and reads again on a reload', async () => {
    const load = reads('resolved');
    const { result, rerender } = renderHook(
      (props: { reloadKey: number }) =>
        useReloadingAsync(() => load('inc-1'), ['inc-1'], props.reloadKey, {
          value: 'inc-1: open',
        }),
      { initialProps: { reloadKey: 0 } },
    );
    expect(result.current).toEqual({
      loading: false,
      error: undefined,
      value: 'inc-1: open',
    });
    expect(load).not.toHaveBeenCalled();

    rerender({ reloadKey: 1 });
    await waitFor(() => expect(result.current.value).toBe('inc-1: resolved'));
    expect(load).toHaveBeenCalledTimes(1);
  });
});
