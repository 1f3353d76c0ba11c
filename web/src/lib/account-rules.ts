import type { Account, AccountMode, CreateAccountRequest, UpdateAccountRequest } from '@inbox/shared';

/**
 * The rules the server applies to an Official Account's fields (server/src/accounts/accounts.dto.ts),
 * repeated here so the form can say what is wrong before anything is sent. Keep them identical.
 */
export const ACCOUNT_RULES = {
  appId: /^wx[0-9a-f]{16}$/,
  appSecret: /^[A-Za-z0-9]{32}$/,
  token: /^[A-Za-z0-9]{3,32}$/,
  encodingAesKey: /^[A-Za-z0-9]{43}$/,
  originalId: /^gh_[A-Za-z0-9]{6,32}$/,
} as const;

export const NAME_MAX_LENGTH = 100;
export const AES_KEY_LENGTH = 43;

/** The form's fields, all strings as typed (secrets empty in edit mode mean "keep the current one"). */
export interface AccountFormValues {
  name: string;
  appId: string;
  appSecret: string;
  token: string;
  encodingAesKey: string;
  mode: AccountMode;
  originalId: string;
}

export type AccountField = keyof AccountFormValues;

/** The secrets just typed for a new account, shown once in the setup steps (they cannot be read back). */
export interface TypedSecrets {
  token: string;
  encodingAesKey: string;
}
export const ACCOUNT_FIELDS: readonly AccountField[] = [
  'name',
  'appId',
  'appSecret',
  'token',
  'encodingAesKey',
  'mode',
  'originalId',
];

export function isAccountField(value: string): value is AccountField {
  return (ACCOUNT_FIELDS as readonly string[]).includes(value);
}

/** What is wrong with a field; each has a translated message under `accountForm.problems`. */
export type AccountProblem =
  | 'nameRequired'
  | 'nameTooLong'
  | 'appId'
  | 'appSecret'
  | 'token'
  | 'encodingAesKey'
  | 'encodingAesKeyRequired'
  | 'originalId';

/**
 * Linking a new account (`create`) or changing one (`edit`: AppID is fixed, and an empty secret keeps
 * the stored one). `current` is the account being edited: whether it already has an EncodingAESKey.
 */
export type AccountFormContext = { kind: 'create' } | { kind: 'edit'; current: Pick<Account, 'secrets'> };

export function emptyAccountForm(): AccountFormValues {
  return { name: '', appId: '', appSecret: '', token: '', encodingAesKey: '', mode: 'safe', originalId: '' };
}

/** The form as it starts for an existing account: secrets are write-only, so they start empty. */
export function accountFormOf(account: Account): AccountFormValues {
  return {
    name: account.name,
    appId: account.appId,
    appSecret: '',
    token: '',
    encodingAesKey: '',
    mode: account.mode,
    originalId: account.originalId,
  };
}

/** Pasted values often carry spaces or a line break at either end; WeChat's values never do. */
function clean(values: AccountFormValues): AccountFormValues {
  return {
    name: values.name.trim(),
    appId: values.appId.trim(),
    appSecret: values.appSecret.trim(),
    token: values.token.trim(),
    encodingAesKey: values.encodingAesKey.trim(),
    mode: values.mode,
    originalId: values.originalId.trim(),
  };
}

/** The problem of one field, or null when it is fine. */
export function accountFieldProblem(
  field: AccountField,
  raw: AccountFormValues,
  context: AccountFormContext,
): AccountProblem | null {
  const v = clean(raw);
  const editing = context.kind === 'edit';
  switch (field) {
    case 'name':
      if (v.name === '') return 'nameRequired';
      return v.name.length > NAME_MAX_LENGTH ? 'nameTooLong' : null;
    case 'appId':
      if (editing) return null; // not editable
      return ACCOUNT_RULES.appId.test(v.appId) ? null : 'appId';
    case 'appSecret':
      if (editing && v.appSecret === '') return null;
      return ACCOUNT_RULES.appSecret.test(v.appSecret) ? null : 'appSecret';
    case 'token':
      if (editing && v.token === '') return null;
      return ACCOUNT_RULES.token.test(v.token) ? null : 'token';
    case 'encodingAesKey': {
      if (v.encodingAesKey !== '') return ACCOUNT_RULES.encodingAesKey.test(v.encodingAesKey) ? null : 'encodingAesKey';
      if (v.mode === 'plaintext') return null;
      // Compatible and safe mode encrypt: a key is needed, the stored one will do when editing.
      if (editing && context.current.secrets.encodingAesKey === 'set') return null;
      return 'encodingAesKeyRequired';
    }
    case 'mode':
      return null;
    case 'originalId':
      return ACCOUNT_RULES.originalId.test(v.originalId) ? null : 'originalId';
  }
}

/** A field the server refused although the form found it fine: the rule it is most likely to break. */
const SERVER_PROBLEM: Partial<Record<AccountField, AccountProblem>> = {
  name: 'nameTooLong',
  appId: 'appId',
  appSecret: 'appSecret',
  token: 'token',
  encodingAesKey: 'encodingAesKey',
  originalId: 'originalId',
};

/**
 * What to say under a field named in a `validation/failed` answer: the form's own finding when it has
 * one, else the rule the server checks for that field; null for a field the form has no message for.
 */
export function serverFieldProblem(
  field: AccountField,
  values: AccountFormValues,
  context: AccountFormContext,
): AccountProblem | null {
  return accountFieldProblem(field, values, context) ?? SERVER_PROBLEM[field] ?? null;
}

/** Every problem of the form, by field (empty when it can be sent). */
export function validateAccountForm(
  values: AccountFormValues,
  context: AccountFormContext,
): Partial<Record<AccountField, AccountProblem>> {
  const problems: Partial<Record<AccountField, AccountProblem>> = {};
  for (const field of ACCOUNT_FIELDS) {
    const problem = accountFieldProblem(field, values, context);
    if (problem) problems[field] = problem;
  }
  return problems;
}

/** The body of `POST /api/accounts`; an empty EncodingAESKey is left out (plaintext mode). */
export function toCreateRequest(raw: AccountFormValues): CreateAccountRequest {
  const v = clean(raw);
  return {
    kind: 'wechat_oa',
    name: v.name,
    appId: v.appId,
    appSecret: v.appSecret,
    token: v.token,
    ...(v.encodingAesKey !== '' ? { encodingAesKey: v.encodingAesKey } : {}),
    mode: v.mode,
    originalId: v.originalId,
  };
}

/** The body of `PATCH /api/accounts/:id`: what changed, and only the secrets that were typed. */
export function toUpdateRequest(raw: AccountFormValues, current: Account): UpdateAccountRequest {
  const v = clean(raw);
  const body: UpdateAccountRequest = {};
  if (v.name !== current.name) body.name = v.name;
  if (v.mode !== current.mode) body.mode = v.mode;
  if (v.originalId !== current.originalId) body.originalId = v.originalId;
  if (v.appSecret !== '') body.appSecret = v.appSecret;
  if (v.token !== '') body.token = v.token;
  if (v.encodingAesKey !== '') body.encodingAesKey = v.encodingAesKey;
  return body;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A new EncodingAESKey: 43 random letters and digits, as WeChat's console generates. Bytes of 248 and
 * above are skipped so every character is equally likely (248 = 4 × 62).
 */
export function generateAesKey(
  fill: (bytes: Uint8Array) => Uint8Array = (bytes) => crypto.getRandomValues(bytes),
): string {
  let key = '';
  while (key.length < AES_KEY_LENGTH) {
    for (const b of fill(new Uint8Array(64))) {
      if (b >= 248) continue;
      key += ALPHANUMERIC[b % 62];
      if (key.length === AES_KEY_LENGTH) break;
    }
  }
  return key;
}
