import type { SaveCannedResponseRequest } from '@inbox/shared';
import { IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';

/** Letters (any script), digits, `_` and `-`, 1–32 characters: what an agent types after `/` in the composer. */
export const SHORTCUT = /^[\p{L}\p{N}_-]{1,32}$/u;
const SHORTCUT_MESSAGE = 'shortcut must be 1-32 letters, digits, _ or -';
const TEXT_MESSAGE = 'text must not be blank';

export class ListCannedResponsesQuery {
  @IsOptional()
  @IsUUID()
  accountId?: string;
}

export class CreateCannedResponseDto implements SaveCannedResponseRequest {
  /** null or absent: for every account. */
  @IsOptional()
  @IsUUID()
  accountId?: string | null;

  @IsString()
  @Matches(SHORTCUT, { message: SHORTCUT_MESSAGE })
  shortcut: string;

  @IsString()
  @Length(1, 2000)
  @Matches(/\S/, { message: TEXT_MESSAGE })
  text: string;
}

/** Only the fields given change; `accountId: null` makes it global. */
export class UpdateCannedResponseDto implements Partial<SaveCannedResponseRequest> {
  @IsOptional()
  @IsUUID()
  accountId?: string | null;

  @IsOptional()
  @IsString()
  @Matches(SHORTCUT, { message: SHORTCUT_MESSAGE })
  shortcut?: string;

  @IsOptional()
  @IsString()
  @Length(1, 2000)
  @Matches(/\S/, { message: TEXT_MESSAGE })
  text?: string;
}
