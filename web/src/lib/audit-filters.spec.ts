import { describe, expect, it } from 'vitest';
import { auditQueryString } from '../api/audit';
import { AUDIT_PAGE_SIZE, emptyAuditFilters, toAuditQuery } from './audit-filters';

describe('audit filters', () => {
  it('leave out what is not set', () => {
    expect(toAuditQuery(emptyAuditFilters())).toEqual({ limit: AUDIT_PAGE_SIZE });
    expect(auditQueryString(toAuditQuery(emptyAuditFilters()))).toBe(`?limit=${AUDIT_PAGE_SIZE}`);
    expect(auditQueryString({})).toBe('');
  });

  it('trim, turn times into ISO strings and carry the cursor', () => {
    const query = toAuditQuery(
      {
        actor: ' 0b9c8a3e-1111-4222-8333-944455556666 ',
        action: 'auth.login_failed',
        targetType: ' user ',
        targetId: '  ',
        from: new Date('2026-03-01T00:00:00.000Z'),
        to: new Date('2026-03-02T12:30:00.000Z'),
      },
      'c42',
    );
    expect(query).toEqual({
      limit: AUDIT_PAGE_SIZE,
      actor: '0b9c8a3e-1111-4222-8333-944455556666',
      action: 'auth.login_failed',
      targetType: 'user',
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-02T12:30:00.000Z',
      cursor: 'c42',
    });
    const params = new URLSearchParams(auditQueryString(query).slice(1));
    expect(Object.fromEntries(params)).toEqual({
      actor: '0b9c8a3e-1111-4222-8333-944455556666',
      action: 'auth.login_failed',
      targetType: 'user',
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-02T12:30:00.000Z',
      cursor: 'c42',
      limit: String(AUDIT_PAGE_SIZE),
    });
  });

  it('ignore an invalid date', () => {
    expect(toAuditQuery({ ...emptyAuditFilters(), from: new Date('nope') })).toEqual({ limit: AUDIT_PAGE_SIZE });
  });
});
