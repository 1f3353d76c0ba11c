import {
  CONVERSATION_STATUSES,
  type AssignRequest,
  type ConversationListQuery,
  type ConversationStatus,
  type CreateNoteRequest,
  type SendMessageRequest,
  type UpdateConversationRequest,
} from '@inbox/shared';
import { Type } from 'class-transformer';
import {
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

export class ListConversationsQuery implements ConversationListQuery {
  @IsOptional()
  @IsUUID()
  accountId?: string;

  @IsOptional()
  @IsIn(CONVERSATION_STATUSES)
  status?: ConversationStatus;

  @IsOptional()
  @Matches(/^(me|none|[0-9a-fA-F-]{36})$/, { message: 'assignee must be me, none or a user id' })
  assignee?: string;

  @IsOptional()
  @IsIn(['last_activity', 'waiting'])
  sort?: 'last_activity' | 'waiting';

  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;

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

export class SendMessageDto implements SendMessageRequest {
  @IsIn(['text'])
  type: 'text';

  @IsString()
  @Length(1, 2000)
  text: string;

  @IsString()
  @Matches(/^[A-Za-z0-9_-]{8,64}$/, { message: 'clientMessageId must be 8-64 letters, digits, _ or -' })
  clientMessageId: string;
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

export class SyncQuery {
  @IsOptional()
  @Matches(/^\d{1,20}$/, { message: 'since must be a cursor returned by /api/sync' })
  since?: string;
}
