import { config } from '@grafana/runtime';
import { WriteAccess, writeAccess } from '../utils/writeAccess';

/** The signed-in Grafana user's write access (see ../utils/writeAccess.ts). */
export function useWriteAccess(): WriteAccess {
  return writeAccess((config as { bootData?: { user?: { orgRole?: string; isGrafanaAdmin?: boolean } } }).bootData?.user);
}
