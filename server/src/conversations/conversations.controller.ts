import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import type { Conversation, ConversationCounts, Message, Page, SyncResponse } from '@inbox/shared';
import type { FastifyReply } from 'fastify';
import { CurrentAuth, type AuthContext } from '../auth/auth.context';
import {
  AssignDto,
  CreateNoteDto,
  ListConversationsQuery,
  ListMessagesQuery,
  SendMessageDto,
  SetConversationLabelsDto,
  SetConversationTeamDto,
  SyncQuery,
  toSendMessageRequest,
  UpdateConversationDto,
} from './conversations.dto';
import { ConversationsService } from './conversations.service';

@Controller()
export class ConversationsController {
  constructor(@Inject(ConversationsService) private readonly conversations: ConversationsService) {}

  @Get('conversations')
  list(@CurrentAuth() auth: AuthContext, @Query() q: ListConversationsQuery): Promise<Page<Conversation>> {
    return this.conversations.list(auth.user, q);
  }

  /** Sidebar figures over the caller's accounts (declared before `conversations/:id`). */
  @Get('conversations/counts')
  counts(@CurrentAuth() auth: AuthContext): Promise<ConversationCounts> {
    return this.conversations.counts(auth.user);
  }

  @Get('conversations/:id')
  get(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<Conversation> {
    return this.conversations.get(auth.user, id);
  }

  @Get('conversations/:id/messages')
  messages(
    @CurrentAuth() auth: AuthContext,
    @Param('id') id: string,
    @Query() q: ListMessagesQuery,
  ): Promise<Page<Message>> {
    return this.conversations.messages(auth.user, id, q.cursor, q.limit);
  }

  /**
   * A text, an uploaded image or a canned response. 201 with the queued message; 200 with the same message when
   * clientMessageId was already used.
   */
  @Post('conversations/:id/messages')
  async send(
    @CurrentAuth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: SendMessageDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Message> {
    const { message, created } = await this.conversations.sendReply(auth.user, id, toSendMessageRequest(body));
    void reply.status(created ? 201 : 200);
    return message;
  }

  @Post('conversations/:id/notes')
  note(@CurrentAuth() auth: AuthContext, @Param('id') id: string, @Body() body: CreateNoteDto): Promise<Message> {
    return this.conversations.note(auth.user, id, body.text);
  }

  @Patch('conversations/:id')
  update(
    @CurrentAuth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: UpdateConversationDto,
  ): Promise<Conversation> {
    return this.conversations.setStatus(auth.user, id, body.status, body.snoozedUntil);
  }

  @Put('conversations/:id/assignee')
  assign(@CurrentAuth() auth: AuthContext, @Param('id') id: string, @Body() body: AssignDto): Promise<Conversation> {
    return this.conversations.assign(auth.user, id, body.userId, body.note);
  }

  @Put('conversations/:id/team')
  setTeam(
    @CurrentAuth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: SetConversationTeamDto,
  ): Promise<Conversation> {
    return this.conversations.setTeam(auth.user, id, body.teamId);
  }

  @Put('conversations/:id/labels')
  setLabels(
    @CurrentAuth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: SetConversationLabelsDto,
  ): Promise<Conversation> {
    return this.conversations.setLabels(auth.user, id, body.labelIds);
  }

  @Post('conversations/:id/read')
  @HttpCode(200)
  read(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<Conversation> {
    return this.conversations.markRead(auth.user, id);
  }

  @Get('sync')
  sync(@CurrentAuth() auth: AuthContext, @Query() q: SyncQuery): Promise<SyncResponse> {
    return this.conversations.sync(auth.user, q.since);
  }
}
