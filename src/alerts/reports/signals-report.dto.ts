import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsDay } from '../../common/is-day.validator.js';
import { ALERT_RULES, type AlertRule } from '../domain/alert.types.js';
import { ATTRIBUTION_WINDOW_DAYS } from './attribution.js';

export class SignalsReportQuery {
  @ApiPropertyOptional({ example: '2026-01-01', description: 'Alerts fired on or after this day' })
  @IsOptional() @IsDay()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Alerts fired on or before this day' })
  @IsOptional() @IsDay()
  to?: string;

  @ApiPropertyOptional({ default: ATTRIBUTION_WINDOW_DAYS, minimum: 1, maximum: 730, description: 'Days after an alert in which an outcome counts as its result' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(730)
  windowDays: number = ATTRIBUTION_WINDOW_DAYS;
}

export class RuleReportView {
  @ApiProperty({ enum: ALERT_RULES }) rule: AlertRule;
  @ApiProperty({ description: 'Alerts sent' }) sent: number;
  @ApiProperty({ description: 'Alerts held out (recorded, not sent)' }) heldOut: number;
  @ApiProperty({ description: 'Sent alerts followed by their conversion: renewed for at_risk, expanded for the others' }) conversions: number;
  @ApiProperty() heldOutConversions: number;
  @ApiProperty({ nullable: true, type: Number }) conversionRate: number | null;
  @ApiProperty({ nullable: true, type: Number }) heldOutConversionRate: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'conversionRate / heldOutConversionRate' }) lift: number | null;
  @ApiProperty({ description: 'ARR change of expanded outcomes attributed to sent alerts' }) expansionArrAttributed: number;
  @ApiProperty({ description: 'Sent alerts whose account churned within the window (at_risk)' }) churned: number;
}

export class SignalReportView {
  @ApiProperty({ example: 'upgrade_ready' }) signal: string;
  @ApiProperty() sent: number;
  @ApiProperty() conversions: number;
  @ApiProperty({ nullable: true, type: Number }) conversionRate: number | null;
  @ApiProperty() expansionArrAttributed: number;
}

export class SignalsReportView {
  @ApiProperty({ nullable: true, type: String }) from: string | null;
  @ApiProperty({ nullable: true, type: String }) to: string | null;
  @ApiProperty() windowDays: number;
  @ApiProperty({ description: 'Outcomes linked to an alert before them' }) outcomesAttributed: number;
  @ApiProperty({ type: [RuleReportView] }) rules: RuleReportView[];
  @ApiProperty({ type: [SignalReportView], description: 'By signal type the alert\'s score carried when it fired (sent alerts)' }) signals: SignalReportView[];
}
