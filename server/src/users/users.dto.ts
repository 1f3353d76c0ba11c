import { ROLES, type CreateUserRequest, type Role } from '@inbox/shared';
import { IsEmail, IsIn, IsString, Length, MaxLength } from 'class-validator';

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
