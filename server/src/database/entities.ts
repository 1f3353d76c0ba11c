import { AccessTokenEntity, AccountMemberEntity, ChannelAccountEntity } from '../accounts/channel-account.entity';
import { AuditLogEntity } from '../audit/audit-log.entity';
import { AuthThrottleEntity, RecoveryCodeEntity, SecuritySettingsEntity } from '../auth/identity.entities';
import { SessionEntity } from '../auth/session.entity';
import {
  ContactEntity,
  ConversationEntity,
  ConversationEventEntity,
  ConversationReadEntity,
  MessageEntity,
} from '../conversations/conversation.entities';
import { CannedResponseEntity } from '../canned-responses/canned-response.entity';
import { ConversationLabelEntity, LabelEntity } from '../labels/label.entities';
import { TeamEntity, TeamMemberEntity } from '../teams/team.entities';
import { UploadEntity } from '../uploads/upload.entity';
import { UserEntity } from '../users/user.entity';

/** Every entity; the drift check compares these with what the migrations build. */
export const ENTITIES = [
  UserEntity,
  SessionEntity,
  ChannelAccountEntity,
  AccountMemberEntity,
  AccessTokenEntity,
  ContactEntity,
  ConversationEntity,
  MessageEntity,
  ConversationEventEntity,
  ConversationReadEntity,
  RecoveryCodeEntity,
  SecuritySettingsEntity,
  AuthThrottleEntity,
  AuditLogEntity,
  TeamEntity,
  TeamMemberEntity,
  LabelEntity,
  ConversationLabelEntity,
  CannedResponseEntity,
  UploadEntity,
];
