import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsDay } from '../../common/is-day.validator.js';
import { PageQuery } from '../../common/pagination.js';
import { ScoreViewDto } from '../../scoring/dto/score-view.dto.js';
import type { ScoreView } from '../../scoring/score-view.js';
import { ALERT_RULES, ALERT_STATUSES, type AlertRule, type AlertStatus } from '../domain/alert.types.js';

export class ListAlertsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ALERT_STATUSES })
  @IsOptional() @IsIn(ALERT_STATUSES)
  status?: AlertStatus;

  @ApiPropertyOptional({ enum: ALERT_RULES })
  @IsOptional() @IsIn(ALERT_RULES)
  rule?: AlertRule;

  @ApiPropertyOptional({ example: 'dana@vendor.example', description: 'CSM or sales owner, or `product-nudge`' })
  @IsOptional() @IsString() @MaxLength(200)
  recipient?: string;

  @ApiPropertyOptional({ example: 'acme-001', description: 'Account externalId' })
  @IsOptional() @IsString() @MaxLength(128)
  account?: string;

  @ApiPropertyOptional({ example: '2026-11-01', description: 'Alerts made from scores as of this day or later' })
  @IsOptional() @IsDay()
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30', description: 'Alerts made from scores as of this day or earlier' })
  @IsOptional() @IsDay()
  to?: string;
}

export class SnoozeAlertDto {
  @ApiProperty({ example: '2026-12-07', description: 'Quiet while runs score days before this one; sent again from this day if the condition still holds. Must be after today.' })
  @IsDay()
  until: string;

  @ApiPropertyOptional({ example: 'Talking to them after their offsite' })
  @IsOptional() @IsString() @MaxLength(2000)
  reason?: string;
}

export class DismissAlertDto {
  @ApiPropertyOptional({ example: 'Known: seasonal dip, customer confirmed' })
  @IsOptional() @IsString() @MaxLength(2000)
  reason?: string;
}

export class AlertView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ALERT_RULES }) rule: AlertRule;
  @ApiProperty({ enum: ALERT_STATUSES, description: 'open = sent; deferred = over the daily cap, retried next run; held_out = holdout, never sent' })
  status: AlertStatus;
  @ApiProperty({ example: 'dana@vendor.example' }) recipient: string;
  @ApiProperty({ example: 'acme-001', description: 'Account externalId' }) account: string;
  @ApiProperty({ example: 'Acme Robotics' }) accountName: string;
  @ApiProperty({ description: 'Why it fired, with the numbers from the score' }) reason: string;
  @ApiProperty({ description: 'The value the rule watches at firing: churn risk (0–1), readiness (0–100) or utilisation (0–1)' }) value: number;
  @ApiProperty({ type: [String], description: 'Signal types the score carried' }) signals: string[];
  @ApiProperty({ example: '2026-11-22', description: 'As-of day of the scores it was made from' }) asOf: string;
  @ApiProperty({ format: 'uuid' }) runId: string;
  @ApiProperty({ nullable: true, type: String, description: 'Day (as of) it was sent or held out' }) firedOn: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'Webhook event id (X-Event-Id) of the last send' }) eventId: string | null;
  @ApiProperty({ nullable: true, type: String }) snoozedUntil: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why the status last changed (dismiss/snooze reason, outcome, cleared)' }) statusReason: string | null;
  @ApiProperty({ nullable: true, type: String }) statusBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: ScoreViewDto, description: 'The account score when it fired (same fields as the health endpoint)' })
  score: ScoreView;
}

export class AlertPage {
  @ApiProperty({ type: [AlertView] }) items: AlertView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
