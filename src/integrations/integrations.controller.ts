import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthedRequest } from '../auth/api-key.guard.js';
import { Roles } from '../auth/roles.decorator.js';
import { PageQuery, type Page } from '../common/pagination.js';
import { notFound } from '../common/problem.js';
import { CrmSyncRepository } from './crm-sync.repository.js';
import { CrmSyncService } from './crm-sync.service.js';
import { CRM_NAMES, isCrmName, type CrmName, type SyncReport, type SyncView } from './crm-sync.types.js';
import { SyncRequestDto } from './dto/sync-request.dto.js';
import { SyncResultDto, SyncsPageDto, SyncViewDto } from './dto/sync-view.dto.js';

/** Failures shown per sync in the history; the sync's own URL has them all. */
const FAILURES_IN_LIST = 20;

function crmOf(value: string): CrmName {
  if (!isCrmName(value)) throw notFound(`Unknown CRM "${value}": use ${CRM_NAMES.join(' or ')}`);
  return value;
}

@ApiTags('integrations')
@ApiBearerAuth()
@Controller('v1/integrations/:crm')
export class IntegrationsController {
  constructor(
    private readonly syncs: CrmSyncService,
    private readonly repository: CrmSyncRepository,
  ) {}

  /**
   * Push the score fields of one day (default: the latest scored day) to HubSpot companies or
   * Salesforce accounts, and answer the report: accounts, sent, updated, skipped for lack of a
   * CRM id, per-account failures, batches, retries. 409 names the missing settings when the CRM
   * is not configured.
   */
  @Post('sync')
  @HttpCode(200)
  @Roles('revops')
  @ApiOkResponse({ type: SyncResultDto })
  async sync(@Param('crm') crm: string, @Body() body: SyncRequestDto, @Req() request: AuthedRequest): Promise<SyncReport & { id: string; startedAt: string; finishedAt: string | null }> {
    const view = await this.syncs.sync(crmOf(crm), { asOf: body.asOf, trigger: 'api', requestedBy: request.caller?.name ?? null });
    return { ...view.report!, id: view.id, startedAt: view.startedAt, finishedAt: view.finishedAt };
  }

  /** Past syncs of this CRM, newest first, each with its report (the first failures only; `failedCount` counts them all). */
  @Get('syncs')
  @Roles('revops')
  @ApiOkResponse({ type: SyncsPageDto })
  async list(@Param('crm') crm: string, @Query() query: PageQuery): Promise<Page<SyncView>> {
    const page = await this.repository.list(crmOf(crm), query.limit, query.cursor);
    return { ...page, items: page.items.map(summarise) };
  }

  /** One sync with its full report. */
  @Get('syncs/:id')
  @Roles('revops')
  @ApiOkResponse({ type: SyncViewDto })
  @ApiNotFoundResponse({ description: 'Unknown CRM or sync' })
  async get(@Param('crm') crm: string, @Param('id', new ParseUUIDPipe()) id: string): Promise<SyncView> {
    const sync = await this.repository.get(crmOf(crm), id);
    if (!sync) throw notFound(`No ${crm} sync ${id}`);
    return sync;
  }
}

function summarise(sync: SyncView): SyncView {
  if (!sync.report) return sync;
  const { failed } = sync.report;
  return { ...sync, report: { ...sync.report, failed: failed.slice(0, FAILURES_IN_LIST), failedCount: failed.length } as SyncReport & { failedCount: number } };
}
