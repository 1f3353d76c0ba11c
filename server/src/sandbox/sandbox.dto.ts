import {
  SANDBOX_EVENTS,
  SANDBOX_MESSAGE_TYPES,
  type CreateSandboxCustomerRequest,
  type SandboxEvent,
  type SandboxEventRequest,
  type SandboxFaultRequest,
  type SandboxMessageRequest,
  type SandboxMessageType,
} from '@inbox/shared';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';

export const OPENID = /^[A-Za-z0-9_-]{1,64}$/;

export class CreateSandboxCustomerDto implements CreateSandboxCustomerRequest {
  @IsOptional()
  @IsString()
  @Length(1, 64)
  displayName?: string;

  @IsOptional()
  @Matches(OPENID, { message: 'openid must be 1 to 64 letters, digits, "_" or "-"' })
  openid?: string;

  @IsOptional()
  @IsBoolean()
  subscribed?: boolean;
}

export class SandboxMessageDto implements SandboxMessageRequest {
  @IsIn(SANDBOX_MESSAGE_TYPES)
  type: SandboxMessageType;

  @ValidateIf((o: SandboxMessageDto) => o.type === 'text' || o.text !== undefined)
  @IsString()
  @Length(1, 2000)
  text?: string;

  @ValidateIf((o: SandboxMessageDto) => o.type === 'location' || o.latitude !== undefined)
  @IsNumber()
  @Min(-90)
  @Max(90)
  latitude?: number;

  @ValidateIf((o: SandboxMessageDto) => o.type === 'location' || o.longitude !== undefined)
  @IsNumber()
  @Min(-180)
  @Max(180)
  longitude?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  scale?: number;

  @IsOptional()
  @IsString()
  @Length(0, 200)
  label?: string;

  @ValidateIf((o: SandboxMessageDto) => o.type === 'link' || o.title !== undefined)
  @IsString()
  @Length(1, 200)
  title?: string;

  @IsOptional()
  @IsString()
  @Length(0, 500)
  description?: string;

  @ValidateIf((o: SandboxMessageDto) => o.type === 'link' || o.url !== undefined)
  @Matches(/^https?:\/\/\S{1,1000}$/, { message: 'url must be an http(s) URL' })
  url?: string;

  @IsOptional()
  @IsString()
  @Length(0, 500)
  recognition?: string;
}

export class SandboxEventDto implements SandboxEventRequest {
  @IsIn(SANDBOX_EVENTS)
  event: SandboxEvent;

  @ValidateIf(
    (o: SandboxEventDto) => o.event === 'SCAN' || o.event === 'CLICK' || o.event === 'VIEW' || o.eventKey !== undefined,
  )
  @IsString()
  @Length(1, 1000)
  eventKey?: string;

  @ValidateIf((o: SandboxEventDto) => o.event === 'LOCATION' || o.latitude !== undefined)
  @IsNumber()
  @Min(-90)
  @Max(90)
  latitude?: number;

  @ValidateIf((o: SandboxEventDto) => o.event === 'LOCATION' || o.longitude !== undefined)
  @IsNumber()
  @Min(-180)
  @Max(180)
  longitude?: number;

  @IsOptional()
  @IsNumber()
  @Min(0)
  precision?: number;
}

export class SandboxFaultDto implements SandboxFaultRequest {
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60_000)
  latencyMs?: number;

  @IsOptional()
  @IsInt()
  errcode?: number;

  @IsOptional()
  @IsString()
  @Length(0, 200)
  errmsg?: string;

  @IsOptional()
  @IsInt()
  @Min(400)
  @Max(599)
  httpStatus?: number;

  @IsOptional()
  @IsBoolean()
  dropConnection?: boolean;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  times?: number;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^\/cgi-bin\/[a-z_/]{1,100}$/, { each: true, message: 'paths must be API paths such as /cgi-bin/token' })
  paths?: string[];

  @IsOptional()
  @IsBoolean()
  expireTokens?: boolean;

  @IsOptional()
  @IsBoolean()
  invalidateTokens?: boolean;
}
