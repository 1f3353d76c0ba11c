import { AppError } from '../common/app-error';
import { COMMON_PASSWORDS } from './common-passwords';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 1024;

/**
 * Why a new password is refused, or undefined when it is acceptable: at least 10 characters, not
 * one of the 1,000 most common passwords of that length, not the user's email or its name part,
 * and not one character repeated.
 */
export function passwordProblem(password: string, user: { email?: string; name?: string } = {}): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return 'is one of the most common passwords';
  if (new Set(lower).size === 1) return 'must not be one character repeated';
  const email = user.email?.toLowerCase();
  if (email && (lower === email || lower === email.split('@')[0])) return 'must not be your email address';
  if (user.name && lower === user.name.toLowerCase()) return 'must not be your name';
  return undefined;
}

/** Throws 400 `auth/weak_password` naming the field when the password breaks the policy. */
export function assertPasswordPolicy(
  password: string,
  user: { email?: string; name?: string } = {},
  field = 'password',
): void {
  const problem = passwordProblem(password, user);
  if (problem) throw new AppError('auth/weak_password', `The password ${problem}`, { [field]: [problem] });
}
