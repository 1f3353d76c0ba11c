import type { SaveLabelRequest } from '@inbox/shared';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { trimmed } from '../teams/teams.dto';

export class SaveLabelDto implements SaveLabelRequest {
  @Transform(trimmed)
  @IsString()
  @Length(1, 40)
  name: string;

  /** `#rrggbb`; on create the default is #409eff, on update the colour is kept. */
  @IsOptional()
  @Matches(/^#[0-9a-fA-F]{6}$/, { message: 'color must be #rrggbb' })
  color?: string;
}
