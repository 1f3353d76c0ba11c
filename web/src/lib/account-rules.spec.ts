import { describe, expect, it } from 'vitest';
import type { Account } from '@inbox/shared';
import {
  accountFieldProblem,
  accountFormOf,
  emptyAccountForm,
  generateAesKey,
  serverFieldProblem,
  toCreateRequest,
  toUpdateRequest,
  validateAccountForm,
  type AccountFormValues,
} from './account-rules';

const create = { kind: 'create' } as const;
const KEY = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456'; // 43

function valid(overrides: Partial<AccountFormValues> = {}): AccountFormValues {
  return {
    name: 'Harbour Coffee',
    appId: 'wx0123456789abcdef',
    appSecret: '0123456789abcdefABCDEF0123456789',
    token: 'tok3n',
    encodingAesKey: KEY,
    mode: 'safe',
    originalId: 'gh_0123456789ab',
    ...overrides,
  };
}

function account(overrides: Partial<Account> = {}): Account {
  return {
    id: 'acc-1',
    kind: 'wechat_oa',
    name: 'Harbour Coffee',
    appId: 'wx0123456789abcdef',
    originalId: 'gh_0123456789ab',
    mode: 'safe',
    status: 'active',
    callbackUrl: 'https://inbox.example.com/webhooks/wechat/acc-1',
    secrets: { appSecret: 'set', token: 'set', encodingAesKey: 'set', previousEncodingAesKey: 'not set' },
    health: {
      callbackVerifiedAt: null,
      lastMessageAt: null,
      tokenState: 'none',
      tokenExpiresAt: null,
      credentialsError: null,
      lastApiErrorCode: null,
      lastApiErrorAt: null,
      sendsToday: 0,
    },
    createdAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('account form rules (the server’s, repeated)', () => {
  it('accepts a complete, valid account', () => {
    expect(validateAccountForm(valid(), create)).toEqual({});
  });

  it.each([
    ['wx0123456789abcdef', null],
    ['wx0123456789ABCDEF', 'appId'], // hexadecimal in lower case, as WeChat shows it
    ['wx0123456789abcde', 'appId'], // 15
    ['wx0123456789abcdef0', 'appId'], // 17
    ['wa0123456789abcdef', 'appId'],
    ['wx0123456789abcdeg', 'appId'],
    ['', 'appId'],
  ])('AppID %j → %s', (appId, problem) => {
    expect(accountFieldProblem('appId', valid({ appId }), create)).toBe(problem);
  });

  it.each([
    ['0123456789abcdefABCDEF0123456789', null],
    ['0123456789abcdefABCDEF012345678', 'appSecret'], // 31
    ['0123456789abcdefABCDEF0123456789a', 'appSecret'], // 33
    ['0123456789abcdefABCDEF012345678_', 'appSecret'],
  ])('AppSecret %j → %s', (appSecret, problem) => {
    expect(accountFieldProblem('appSecret', valid({ appSecret }), create)).toBe(problem);
  });

  it.each([
    ['abc', null],
    ['a'.repeat(32), null],
    ['ab', 'token'],
    ['a'.repeat(33), 'token'],
    ['tok-en', 'token'],
  ])('Token %j → %s', (token, problem) => {
    expect(accountFieldProblem('token', valid({ token }), create)).toBe(problem);
  });

  it.each([
    ['gh_012345', null],
    ['gh_' + 'a'.repeat(32), null],
    ['gh_01234', 'originalId'],
    ['gh_' + 'a'.repeat(33), 'originalId'],
    ['0123456789ab', 'originalId'],
    ['gh-0123456789', 'originalId'],
  ])('original ID %j → %s', (originalId, problem) => {
    expect(accountFieldProblem('originalId', valid({ originalId }), create)).toBe(problem);
  });

  it('needs exactly 43 letters or digits for the EncodingAESKey, except in plaintext mode where it may be empty', () => {
    expect(accountFieldProblem('encodingAesKey', valid({ encodingAesKey: KEY.slice(1) }), create)).toBe(
      'encodingAesKey',
    );
    expect(accountFieldProblem('encodingAesKey', valid({ encodingAesKey: `${KEY}a` }), create)).toBe('encodingAesKey');
    expect(accountFieldProblem('encodingAesKey', valid({ encodingAesKey: `${KEY.slice(1)}=` }), create)).toBe(
      'encodingAesKey',
    );
    for (const mode of ['compatible', 'safe'] as const) {
      expect(accountFieldProblem('encodingAesKey', valid({ mode, encodingAesKey: '' }), create)).toBe(
        'encodingAesKeyRequired',
      );
    }
    expect(accountFieldProblem('encodingAesKey', valid({ mode: 'plaintext', encodingAesKey: '' }), create)).toBeNull();
    // Given in plaintext mode, it must still be a valid key.
    expect(accountFieldProblem('encodingAesKey', valid({ mode: 'plaintext', encodingAesKey: 'short' }), create)).toBe(
      'encodingAesKey',
    );
  });

  it('needs a name of 1 to 100 characters', () => {
    expect(accountFieldProblem('name', valid({ name: '   ' }), create)).toBe('nameRequired');
    expect(accountFieldProblem('name', valid({ name: 'x'.repeat(101) }), create)).toBe('nameTooLong');
    expect(accountFieldProblem('name', valid({ name: 'x'.repeat(100) }), create)).toBeNull();
  });

  it('ignores spaces around pasted values, and sends them trimmed', () => {
    const pasted = valid({ appId: ' wx0123456789abcdef\n', token: ' tok3n ', encodingAesKey: `${KEY} ` });
    expect(validateAccountForm(pasted, create)).toEqual({});
    expect(toCreateRequest(pasted)).toMatchObject({ appId: 'wx0123456789abcdef', token: 'tok3n', encodingAesKey: KEY });
  });

  it('reports every broken field at once', () => {
    expect(validateAccountForm(emptyAccountForm(), create)).toEqual({
      name: 'nameRequired',
      appId: 'appId',
      appSecret: 'appSecret',
      token: 'token',
      encodingAesKey: 'encodingAesKeyRequired',
      originalId: 'originalId',
    });
  });

  describe('editing', () => {
    it('keeps secrets left empty, and does not check the fixed AppID', () => {
      const current = account();
      const form = accountFormOf(current);
      expect(form).toMatchObject({ appSecret: '', token: '', encodingAesKey: '', appId: current.appId });
      expect(validateAccountForm(form, { kind: 'edit', current })).toEqual({});
    });

    it('still checks a secret that is typed', () => {
      const current = account();
      const form = { ...accountFormOf(current), token: 'x' };
      expect(validateAccountForm(form, { kind: 'edit', current })).toEqual({ token: 'token' });
    });

    it('asks for a key when switching a plaintext account without one to an encrypted mode', () => {
      const current = account({
        mode: 'plaintext',
        secrets: { appSecret: 'set', token: 'set', encodingAesKey: 'not set', previousEncodingAesKey: 'not set' },
      });
      const form = { ...accountFormOf(current), mode: 'safe' as const };
      expect(validateAccountForm(form, { kind: 'edit', current })).toEqual({
        encodingAesKey: 'encodingAesKeyRequired',
      });
    });

    it('sends only what changed and the secrets that were typed', () => {
      const current = account();
      expect(toUpdateRequest(accountFormOf(current), current)).toEqual({});
      expect(
        toUpdateRequest({ ...accountFormOf(current), name: ' Harbour Coffee Shanghai ', encodingAesKey: KEY }, current),
      ).toEqual({ name: 'Harbour Coffee Shanghai', encodingAesKey: KEY });
      expect(
        toUpdateRequest({ ...accountFormOf(current), mode: 'compatible', appSecret: 'S'.repeat(32) }, current),
      ).toEqual({ mode: 'compatible', appSecret: 'S'.repeat(32) });
    });
  });

  it('leaves the EncodingAESKey out of a plaintext account without one', () => {
    const body = toCreateRequest(valid({ mode: 'plaintext', encodingAesKey: '' }));
    expect(body).not.toHaveProperty('encodingAesKey');
    expect(body).toMatchObject({ kind: 'wechat_oa', mode: 'plaintext' });
  });

  it('names the server’s rule for a field the server refused although the form found it fine', () => {
    expect(serverFieldProblem('appId', valid(), create)).toBe('appId');
    expect(serverFieldProblem('appId', valid({ appId: 'nope' }), create)).toBe('appId');
    expect(serverFieldProblem('encodingAesKey', valid({ encodingAesKey: '' }), create)).toBe('encodingAesKeyRequired');
    expect(serverFieldProblem('mode', valid(), create)).toBeNull();
  });
});

describe('generateAesKey', () => {
  it('makes 43 letters and digits that pass the rule, different each time', () => {
    const a = generateAesKey();
    const b = generateAesKey();
    expect(a).toMatch(/^[A-Za-z0-9]{43}$/);
    expect(accountFieldProblem('encodingAesKey', valid({ encodingAesKey: a }), create)).toBeNull();
    expect(a).not.toBe(b);
  });

  it('skips bytes that would favour some characters, and maps the rest evenly', () => {
    // 248..255 are skipped; 0 → A, 61 → 9, 62 → A again.
    const bytes = [255, 248, 0, 61, 62, 25, 26, 51, 52];
    const key = generateAesKey((buf) => {
      buf.fill(1); // 'B' for the rest
      buf.set(bytes.slice(0, buf.length));
      return buf;
    });
    expect(key.slice(0, 7)).toBe('A9AZaz0');
    expect(key).toHaveLength(43);
  });
});
