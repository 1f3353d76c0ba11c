import { Body, Controller, Get, Inject, Post } from '@nestjs/common';
import type { User } from '@inbox/shared';
import { Roles } from '../auth/auth.context';
import { CreateUserDto } from './users.dto';
import { UsersService } from './users.service';

@Controller('users')
@Roles('admin')
export class UsersController {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  @Post()
  create(@Body() body: CreateUserDto): Promise<User> {
    return this.users.create(body);
  }

  @Get()
  list(): Promise<User[]> {
    return this.users.list();
  }
}
