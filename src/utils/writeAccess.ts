// Who may change SLOs, freezes and overrides from the app: Grafana's Editor and Admin roles, as the
// plugin's proxy routes require (plugin.json: POST, PUT and DELETE need Editor). A viewer is not
// offered a form the proxy would refuse after it was filled in; the reason is shown instead.

export interface WriteAccess {
  canWrite: boolean;
  /** Why not, in words for a tooltip or a note. */
  why?: string;
}

export function writeAccess(user: { orgRole?: string; isGrafanaAdmin?: boolean } | undefined): WriteAccess {
  const role = user?.orgRole;
  if (user?.isGrafanaAdmin || role === 'Editor' || role === 'Admin') {
    return { canWrite: true };
  }
  return {
    canWrite: false,
    why: `Your Grafana role is ${role || 'unknown'}: creating, editing, deleting, freezing and overriding need Editor or Admin.`,
  };
}
