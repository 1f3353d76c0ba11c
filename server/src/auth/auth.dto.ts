import type { LoginRequest } from '@inbox/shared';
import { IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';

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
