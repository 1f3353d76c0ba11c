import { Controller, Get, Inject, Query } from '@nestjs/common';
import type { AuditEntry, Page } from '@inbox/shared';
import { Roles } from '../auth/auth.context';
import { AuditQueryDto } from './audit.dto';
import { AuditService } from './audit.service';

@Controller('audit')
@Roles('admin')
export class AuditController {
  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  /** Newest first, filtered by actor, action, target and time; `nextCursor` pages on. */
  @Get()
  list(@Query() q: AuditQueryDto): Promise<Page<AuditEntry>> {
    return this.audit.list(q);
  }
}
