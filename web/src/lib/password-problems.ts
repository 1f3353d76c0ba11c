import { ApiError } from '../api/http';

/** The password policy's reasons (server/src/auth/password-policy.ts), as message keys. */
export type PasswordProblem = 'tooShort' | 'tooLong' | 'common' | 'repeated' | 'email' | 'name' | 'wrong';

const PATTERNS: [RegExp, PasswordProblem][] = [
  [/at least \d+ characters/, 'tooShort'],
  [/at most \d+ characters/, 'tooLong'],
  [/most common passwords/, 'common'],
  [/one character repeated/, 'repeated'],
  [/email/, 'email'],
  [/your name/, 'name'],
  [/wrong password/, 'wrong'],
];

export function passwordProblem(message: string): PasswordProblem | null {
  for (const [pattern, problem] of PATTERNS) if (pattern.test(message)) return problem;
  return null;
}

/**
 * The password fields a server error names (`auth/weak_password`, `auth/wrong_password`,
 * `validation/failed`), each with the policy reason when it is a known one. Empty for other errors.
 */
export function passwordFieldProblems(error: unknown): Record<string, PasswordProblem | null> {
  if (!(error instanceof ApiError) || !error.fields) return {};
  if (!['auth/weak_password', 'auth/wrong_password', 'validation/failed'].includes(error.code)) return {};
  const out: Record<string, PasswordProblem | null> = {};
  for (const [field, messages] of Object.entries(error.fields)) {
    out[field] = messages.map(passwordProblem).find((p) => p !== null) ?? null;
  }
  return out;
}
