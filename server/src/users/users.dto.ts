import {
  ROLES,
  type CreateUserRequest,
  type ResetPasswordRequest,
  type Role,
  type UpdateUserRequest,
} from '@inbox/shared';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class CreateUserDto implements CreateUserRequest {
  @IsEmail()
  @MaxLength(320)
  email: string;

  @IsString()
  @Length(1, 100)
  name: string;

  @IsString()
  @Length(10, 1024)
  password: string;

  @IsIn(ROLES)
  role: Role;
}

export class UpdateUserDto implements UpdateUserRequest {
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;

  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

export class ResetPasswordDto implements ResetPasswordRequest {
  @IsString()
  @Length(10, 1024)
  password: string;
}
