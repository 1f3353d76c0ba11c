import type { SaveCannedResponseRequest, SaveLabelRequest } from '@inbox/shared';

/**
 * The server's rules for teams, labels and canned responses (server/src/{teams,labels,canned-responses}),
 * checked before sending so the common mistakes are named at once; the server has the last word.
 */
export const TEAM_NAME_MAX_LENGTH = 60;
export const LABEL_NAME_MAX_LENGTH = 40;
export const SHORTCUT_MAX_LENGTH = 32;
export const CANNED_TEXT_MAX_LENGTH = 2000;
export const DEFAULT_LABEL_COLOR = '#409eff';
/** Colours offered first in the label colour picker. */
export const LABEL_PALETTE: readonly string[] = [
  '#409eff',
  '#67c23a',
  '#e6a23c',
  '#f56c6c',
  '#909399',
  '#9b59b6',
  '#1abc9c',
  '#34495e',
];

const COLOR = /^#[0-9a-f]{6}$/i;
/** Letters (any script), digits, `_` and `-`. */
const SHORTCUT = /^[\p{L}\p{N}_-]+$/u;

export type CatalogProblem = 'required' | 'tooLong' | 'color' | 'shortcut';

/** A required text field trimmed: empty or longer than `max`. */
export function textProblem(value: string, max: number): CatalogProblem | null {
  const trimmed = value.trim();
  if (trimmed === '') return 'required';
  return [...trimmed].length > max ? 'tooLong' : null;
}

export interface LabelFormValues {
  name: string;
  color: string;
}

export type LabelField = keyof LabelFormValues;

export function emptyLabelForm(): LabelFormValues {
  return { name: '', color: DEFAULT_LABEL_COLOR };
}

export function labelFieldProblem(field: LabelField, v: LabelFormValues): CatalogProblem | null {
  if (field === 'name') return textProblem(v.name, LABEL_NAME_MAX_LENGTH);
  return COLOR.test(v.color) ? null : 'color';
}

export function toSaveLabelRequest(v: LabelFormValues): SaveLabelRequest {
  return { name: v.name.trim(), color: v.color.toLowerCase() };
}

export interface CannedFormValues {
  /** `''` for every account. */
  accountId: string;
  shortcut: string;
  text: string;
}

export type CannedField = keyof CannedFormValues;

export function emptyCannedForm(accountId = ''): CannedFormValues {
  return { accountId, shortcut: '', text: '' };
}

export function cannedFieldProblem(field: CannedField, v: CannedFormValues): CatalogProblem | null {
  switch (field) {
    case 'shortcut': {
      const problem = textProblem(v.shortcut, SHORTCUT_MAX_LENGTH);
      if (problem) return problem;
      return SHORTCUT.test(v.shortcut.trim()) ? null : 'shortcut';
    }
    case 'text':
      return textProblem(v.text, CANNED_TEXT_MAX_LENGTH);
    case 'accountId':
      return null;
  }
}

/** The text is sent as typed (its line breaks and inner spaces matter), only trimmed at the ends. */
export function toSaveCannedRequest(v: CannedFormValues): SaveCannedResponseRequest {
  return { accountId: v.accountId === '' ? null : v.accountId, shortcut: v.shortcut.trim(), text: v.text.trim() };
}
