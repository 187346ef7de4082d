import { writeAccess } from './writeAccess';

describe('writeAccess', () => {
  it('lets Editors, Admins and Grafana server admins write', () => {
    expect(writeAccess({ orgRole: 'Editor' })).toEqual({ canWrite: true });
    expect(writeAccess({ orgRole: 'Admin' })).toEqual({ canWrite: true });
    expect(writeAccess({ orgRole: 'Viewer', isGrafanaAdmin: true })).toEqual({ canWrite: true });
  });

  it('tells a viewer why not, and treats an unknown role as a viewer', () => {
    expect(writeAccess({ orgRole: 'Viewer' })).toEqual({
      canWrite: false,
      why: 'Your Grafana role is Viewer: creating, editing, deleting, freezing and overriding need Editor or Admin.',
    });
    expect(writeAccess(undefined).canWrite).toBe(false);
    expect(writeAccess({ orgRole: 'None' }).canWrite).toBe(false);
  });
});
