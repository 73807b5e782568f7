import { isOpsPermission, opsPermissions } from './permissions';

describe('OpsDeck permissions', () => {
  it('are resource permissions on catalog entities, named under ops.', () => {
    for (const permission of opsPermissions) {
      expect(permission.name).toMatch(/^ops\./);
      expect(permission).toMatchObject({
        type: 'resource',
        resourceType: 'catalog-entity',
      });
      expect(isOpsPermission(permission)).toBe(true);
    }
  });

  it('do not claim permissions of other plugins', () => {
    expect(isOpsPermission({ name: 'catalog.entity.read' })).toBe(false);
    expect(isOpsPermission({ name: 'ops.unknown' })).toBe(false);
  });
});
