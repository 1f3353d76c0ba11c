import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isErrorCode, statusOf } from './errors';
import { SERVER_EVENTS } from './realtime';

describe('error catalogue', () => {
  it('names every code domain/reason and maps it to an HTTP error status', () => {
    for (const [code, status] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[a-z][a-z_]*\/[a-z_]+$/);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
    }
  });

  it('uses the statuses API.md fixes', () => {
    expect(statusOf('auth/invalid_credentials')).toBe(401);
    expect(statusOf('auth/totp_required')).toBe(401);
    expect(statusOf('auth/throttled')).toBe(429);
    expect(statusOf('validation/failed')).toBe(400);
    expect(statusOf('wechat/window_closed')).toBe(409);
    expect(statusOf('wechat/quota_exhausted')).toBe(409);
    expect(statusOf('wechat/bad_signature')).toBe(401);
  });

  it('recognises only catalogued codes', () => {
    expect(isErrorCode('auth/throttled')).toBe(true);
    expect(isErrorCode('auth/nope')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode(42)).toBe(false);
  });

  it('lists each server event once', () => {
    expect(new Set(SERVER_EVENTS).size).toBe(SERVER_EVENTS.length);
    expect(SERVER_EVENTS).toEqual(
      expect.arrayContaining(['message.created', 'message.updated', 'conversation.created', 'conversation.updated']),
    );
  });
});
