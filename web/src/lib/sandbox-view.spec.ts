import { describe, expect, it } from 'vitest';
import type { SandboxInboxItem } from '@inbox/shared';
import { phoneLine, phoneLines, refusalReason } from './sandbox-view';

const at = '2025-01-01T10:00:00.000Z';

function customer(overrides: Partial<Extract<SandboxInboxItem, { kind: 'customer' }>>): SandboxInboxItem {
  return {
    kind: 'customer',
    at,
    pushId: 'p1',
    msgType: 'text',
    summary: '',
    delivered: true,
    attempts: 1,
    ...overrides,
  };
}

describe('phone lines', () => {
  it('shows what the customer typed as their own bubble', () => {
    expect(phoneLine(customer({ summary: 'Hello [there]' }), 0)).toMatchObject({
      kind: 'sent',
      key: 'p1',
      text: 'Hello [there]',
      detail: '',
    });
  });

  it('shows other messages by type with their detail', () => {
    expect(phoneLine(customer({ msgType: 'location', summary: '[location] Nanjing Road' }), 0)).toMatchObject({
      kind: 'sent',
      msgType: 'location',
      text: null,
      detail: 'Nanjing Road',
    });
    expect(phoneLine(customer({ msgType: 'image', summary: '[image]' }), 0)).toMatchObject({ text: null, detail: '' });
  });

  it('turns events into system lines with their key', () => {
    expect(
      phoneLine(customer({ msgType: 'event', event: 'CLICK', summary: '[event] CLICK MENU_ORDERS' }), 0),
    ).toMatchObject({ kind: 'event', event: 'CLICK', detail: 'MENU_ORDERS' });
    expect(
      phoneLine(customer({ msgType: 'event', event: 'subscribe', summary: '[event] subscribe' }), 0),
    ).toMatchObject({
      kind: 'event',
      detail: '',
    });
  });

  it('keeps a push the callback URL did not accept, with its attempts', () => {
    expect(phoneLine(customer({ delivered: false, attempts: 4 }), 0)).toMatchObject({ delivered: false, attempts: 4 });
  });

  it('explains the refusals WeChat makes for the window and the quota, and passes others through', () => {
    const refused = (errcode: number): SandboxInboxItem => ({
      kind: 'refused',
      at,
      msgtype: 'text',
      text: 'Your order',
      message: {},
      refusal: { errcode, errmsg: 'x', reason: 'server words' },
    });
    expect(phoneLine(refused(45015), 0)).toMatchObject({ kind: 'refused', errcode: 45015, reasonKey: 'windowClosed' });
    expect(phoneLine(refused(45047), 0)).toMatchObject({ reasonKey: 'quotaUsed' });
    expect(phoneLine(refused(43004), 0)).toMatchObject({ reasonKey: 'notFollowing' });
    expect(phoneLine(refused(40003), 0)).toMatchObject({ reasonKey: null, reason: 'server words' });
    expect(refusalReason(1)).toBeNull();
  });

  it('gives every line a distinct key', () => {
    const received: SandboxInboxItem = { kind: 'received', at, msgtype: 'text', text: 'Same', message: {} };
    const keys = phoneLines([received, received, customer({})]).map((l) => l.key);
    expect(new Set(keys).size).toBe(3);
  });
});
