import {
  ROLES,
  type ChangePasswordRequest,
  type LoginRequest,
  type PasswordConfirmRequest,
  type Role,
  type SecuritySettings,
  type TotpEnableRequest,
} from '@inbox/shared';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

export class LoginDto implements LoginRequest {
  @IsEmail()
  @MaxLength(320)
  email: string;

  @IsString()
  @Length(1, 1024)
  password: string;

  @IsOptional()
  @IsString()
  @Length(6, 32)
  totp?: string;
}

export class ChangePasswordDto implements ChangePasswordRequest {
  @IsString()
  @Length(1, 1024)
  currentPassword: string;

  @IsString()
  @Length(1, 1024)
  newPassword: string;
}

export class TotpEnableDto implements TotpEnableRequest {
  @IsString()
  @Length(6, 12)
  code: string;
}

export class PasswordConfirmDto implements PasswordConfirmRequest {
  @IsString()
  @Length(1, 1024)
  password: string;
}

export class SecuritySettingsDto implements SecuritySettings {
  @IsArray()
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  totpRequiredRoles: Role[];

  @ValidateIf((o: SecuritySettingsDto) => o.maxSessionsPerUser !== null)
  @IsInt()
  @Min(1)
  @Max(1000)
  maxSessionsPerUser: number | null;
}
