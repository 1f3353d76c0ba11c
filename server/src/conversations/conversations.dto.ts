import {
  CONVERSATION_STATUSES,
  type AssignRequest,
  type ConversationListQuery,
  type ConversationStatus,
  type CreateNoteRequest,
  type SendMessageRequest,
  type SetConversationLabelsRequest,
  type SetConversationTeamRequest,
  type UpdateConversationRequest,
} from '@inbox/shared';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { UUID_PATTERN } from '../common/uuid';

export class ListConversationsQuery implements ConversationListQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this account (among those the caller may see).' })
  @IsOptional()
  @IsUUID()
  accountId?: string;

  @ApiPropertyOptional({ enum: CONVERSATION_STATUSES })
  @IsOptional()
  @IsIn(CONVERSATION_STATUSES)
  status?: ConversationStatus;

  @ApiPropertyOptional({ description: '`me`, `none` (unassigned) or a user id.' })
  @IsOptional()
  @Matches(new RegExp(`^(me|none|${UUID_PATTERN})$`, 'i'), {
    message: 'assignee must be me, none or a user id',
  })
  assignee?: string;

  @ApiPropertyOptional({ description: 'A team id, or `none` for conversations routed to no team.' })
  @IsOptional()
  @Matches(new RegExp(`^(none|${UUID_PATTERN})$`, 'i'), {
    message: 'teamId must be none or a team id',
  })
  teamId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only conversations carrying this label.' })
  @IsOptional()
  @IsUUID()
  labelId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "One customer's conversations, every status." })
  @IsOptional()
  @IsUUID()
  contactId?: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 100,
    description:
      "Case-insensitive substring of the customer's remark or openid, or of any message text (private notes excluded).",
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({ enum: ['last_activity', 'waiting'], default: 'last_activity' })
  @IsOptional()
  @IsIn(['last_activity', 'waiting'])
  sort?: 'last_activity' | 'waiting';

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page (same filters and sort).' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 30 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class ListMessagesQuery {
  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'cursor must be a message id' })
  cursor?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

/**
 * One class for the three shapes of SendMessageRequest (a class cannot implement a union): each type's own field is
 * required for it; `toSendMessageRequest` narrows it to the shared type.
 */
export class SendMessageDto {
  @IsIn(['text', 'image', 'canned'])
  type: SendMessageRequest['type'];

  @ValidateIf((o: SendMessageDto) => o.type === 'text')
  @IsString()
  @Length(1, 2000)
  text?: string;

  /** From `POST /api/conversations/:id/uploads`. */
  @ValidateIf((o: SendMessageDto) => o.type === 'image')
  @IsUUID()
  uploadId?: string;

  @ValidateIf((o: SendMessageDto) => o.type === 'canned')
  @IsUUID()
  cannedResponseId?: string;

  @IsString()
  @Matches(/^[A-Za-z0-9_-]{8,64}$/, { message: 'clientMessageId must be 8-64 letters, digits, _ or -' })
  clientMessageId: string;
}

/** The validated body as the shared request type (the validation above guarantees each type's field). */
export function toSendMessageRequest(d: SendMessageDto): SendMessageRequest {
  switch (d.type) {
    case 'text':
      return { type: 'text', text: d.text ?? '', clientMessageId: d.clientMessageId };
    case 'image':
      return { type: 'image', uploadId: d.uploadId ?? '', clientMessageId: d.clientMessageId };
    case 'canned':
      return { type: 'canned', cannedResponseId: d.cannedResponseId ?? '', clientMessageId: d.clientMessageId };
  }
}

export class CreateNoteDto implements CreateNoteRequest {
  @IsString()
  @Length(1, 5000)
  text: string;
}

export class UpdateConversationDto implements UpdateConversationRequest {
  @IsIn(CONVERSATION_STATUSES)
  status: ConversationStatus;

  @ValidateIf((o: UpdateConversationDto) => o.status === 'snoozed')
  @IsISO8601({ strict: true }, { message: 'snoozedUntil must be an ISO 8601 time (required to snooze)' })
  snoozedUntil?: string;
}

export class AssignDto implements AssignRequest {
  @ValidateIf((o: AssignDto) => o.userId !== null)
  @IsUUID()
  userId: string | null;

  @IsOptional()
  @IsString()
  @Length(0, 500)
  note?: string;
}

export class SetConversationTeamDto implements SetConversationTeamRequest {
  @ValidateIf((o: SetConversationTeamDto) => o.teamId !== null)
  @IsUUID()
  teamId: string | null;
}

export class SetConversationLabelsDto implements SetConversationLabelsRequest {
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  labelIds: string[];
}

export class SyncQuery {
  @IsOptional()
  @Matches(/^\d{1,20}$/, { message: 'since must be a cursor returned by /api/sync' })
  since?: string;
}
