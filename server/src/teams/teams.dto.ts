import type { SaveTeamRequest, SetTeamMembersRequest } from '@inbox/shared';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsString, IsUUID, Length } from 'class-validator';

/** Surrounding spaces are not part of a name. */
export const trimmed = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class SaveTeamDto implements SaveTeamRequest {
  @Transform(trimmed)
  @IsString()
  @Length(1, 60)
  name: string;
}

export class SetTeamMembersDto implements SetTeamMembersRequest {
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  userIds: string[];
}
