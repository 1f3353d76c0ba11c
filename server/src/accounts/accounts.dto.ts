import {
  ACCOUNT_MODES,
  type AccountMode,
  type AccountStatus,
  type CreateAccountRequest,
  type SetMembersRequest,
  type UpdateAccountRequest,
} from '@inbox/shared';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateIf,
} from 'class-validator';

const APP_ID = /^wx[0-9a-f]{16}$/;
const APP_SECRET = /^[A-Za-z0-9]{32}$/;
const TOKEN = /^[A-Za-z0-9]{3,32}$/;
const AES_KEY = /^[A-Za-z0-9]{43}$/;
const ORIGINAL_ID = /^gh_[A-Za-z0-9]{6,32}$/;

export class CreateAccountDto implements CreateAccountRequest {
  @IsIn(['wechat_oa'])
  kind: 'wechat_oa';

  @IsString()
  @Length(1, 100)
  name: string;

  @Matches(APP_ID, { message: 'appId must be "wx" followed by 16 hexadecimal characters' })
  appId: string;

  @Matches(APP_SECRET, { message: 'appSecret must be the 32-character AppSecret from the Official Account console' })
  appSecret: string;

  @Matches(TOKEN, { message: 'token must be 3 to 32 letters or digits, as set in the Official Account console' })
  token: string;

  @ValidateIf((o: CreateAccountDto) => o.mode !== 'plaintext' || o.encodingAesKey !== undefined)
  @Matches(AES_KEY, {
    message: 'encodingAesKey must be exactly 43 letters or digits (required in compatible and safe mode)',
  })
  encodingAesKey?: string;

  @IsIn(ACCOUNT_MODES)
  mode: AccountMode;

  @Matches(ORIGINAL_ID, { message: 'originalId must be the original ID "gh_…" of the account' })
  originalId: string;
}

export class UpdateAccountDto implements UpdateAccountRequest {
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;

  @IsOptional()
  @Matches(APP_SECRET, { message: 'appSecret must be the 32-character AppSecret from the Official Account console' })
  appSecret?: string;

  @IsOptional()
  @Matches(TOKEN, { message: 'token must be 3 to 32 letters or digits, as set in the Official Account console' })
  token?: string;

  @IsOptional()
  @Matches(AES_KEY, { message: 'encodingAesKey must be exactly 43 letters or digits' })
  encodingAesKey?: string;

  @IsOptional()
  @IsIn(ACCOUNT_MODES)
  mode?: AccountMode;

  @IsOptional()
  @Matches(ORIGINAL_ID, { message: 'originalId must be the original ID "gh_…" of the account' })
  originalId?: string;

  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: AccountStatus;
}

export class SetMembersDto implements SetMembersRequest {
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  userIds: string[];
}
