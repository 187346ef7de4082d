// React hooks over the Burnrate server API (through the plugin proxy).

import { useEffect } from 'react';
import { api, ListFilter } from '../api/client';
import { useAsync } from './useAsync';

export function useSloList(filter: ListFilter = {}, refreshMs = 30000) {
  const state = useAsync(() => api.listSlos(filter), [filter.service, filter.team, filter.q]);
  useRefresh(state.reload, refreshMs);
  return state;
}

/** While the server fills the SLO's history, asks again every few seconds to show its progress. */
export const BACKFILL_REFRESH_MS = 3000;

export function useSlo(service?: string, name?: string) {
  return useAsync(() => api.getSlo(service!, name!), [service, name], {
    skip: !service || !name,
    refreshMs: (v) => (v?.backfill?.state === 'queued' || v?.backfill?.state === 'running' ? BACKFILL_REFRESH_MS : 0),
  });
}

export function useSloStatus(service: string, name: string, refreshMs = 30000) {
  const state = useAsync(() => api.status(service, name), [service, name]);
  useRefresh(state.reload, refreshMs);
  return state;
}

export function useSloHistory(service: string, name: string, range?: string) {
  return useAsync(() => api.history(service, name, range), [service, name, range]);
}

export function useAudit(service: string, name: string) {
  return useAsync(() => api.audit(service, name), [service, name]);
}

export function useFreezes(service: string) {
  return useAsync(() => api.freezes(service), [service]);
}

function useRefresh(reload: () => void, ms: number) {
  useEffect(() => {
    if (!ms) {
      return;
    }
    const t = setInterval(reload, ms);
    return () => clearInterval(t);
  }, [reload, ms]);
}
