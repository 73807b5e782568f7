import { TestApiProvider } from '@backstage/test-utils';
import { act, renderHook, waitFor } from '@testing-library/react';
import { ReactNode } from 'react';
import { OpsApi, opsApiRef } from '../api';
import { useSharedOpsRequest } from './useSharedOpsRequest';

describe('useSharedOpsRequest', () => {
  it('keeps the report read before when a refresh fails, beside the error, until a refresh answers', async () => {
    const answers: Array<string | Error> = [
      'report at 12:00',
      new Error('Bad gateway'),
      'report at 12:01',
    ];
    const load = jest.fn(async () => {
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer;
    });
    // The store of shared requests belongs to the OpsApi instance.
    const opsApi = {} as OpsApi;
    const wrapper = ({ children }: { children: ReactNode }) => (
      <TestApiProvider apis={[[opsApiRef, opsApi]]}>{children}</TestApiProvider>
    );
    const { result } = renderHook(
      () =>
        useSharedOpsRequest('slo-report:payments-api', load, { maxAgeMs: 0 }),
      { wrapper },
    );
    await waitFor(() => expect(result.current.value).toBe('report at 12:00'));

    act(() => result.current.retry());
    await waitFor(() =>
      expect(result.current.error?.message).toBe('Bad gateway'),
    );
    expect(result.current.value).toBe('report at 12:00');

    act(() => result.current.retry());
    await waitFor(() => expect(result.current.value).toBe('report at 12:01'));
    expect(result.current.error).toBeUndefined();
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('renders a fresh answer once, in the first render', async () => {
    const opsApi = {} as OpsApi;
    const wrapper = ({ children }: { children: ReactNode }) => (
      <TestApiProvider apis={[[opsApiRef, opsApi]]}>{children}</TestApiProvider>
    );
    const load = jest.fn(async () => 'on call: Alice');
    const useOnCall = () =>
      useSharedOpsRequest('oncall:payments-api', load, { maxAgeMs: 60_000 });
    const first = renderHook(useOnCall, { wrapper });
    await waitFor(() =>
      expect(first.result.current.value).toBe('on call: Alice'),
    );

    // A second card (or the tab opened again) joins the fresh answer.
    const renders: Array<string | undefined> = [];
    renderHook(
      () => {
        const state = useOnCall();
        renders.push(state.value);
        return state;
      },
      { wrapper },
    );
    await act(async () => {
      await new Promise(resolve => setTimeout(resolve, 10));
    });
    expect(renders).toEqual(['on call: Alice']);
    expect(load).toHaveBeenCalledTimes(1);
  });
});
