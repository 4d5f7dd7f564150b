/**
 * The bytes a subscription receives: the event as JSON, or a Slack-shaped message
 * (`{text, blocks}` for an incoming-webhook URL). The signature is computed over exactly
 * these bytes.
 */

import { formatNumber, formatShare } from '../../scoring/domain/format.js';
import type { AlertEvent, DigestEvent, WebhookEvent, WebhookFormat } from './webhook-event.types.js';

/** Slack renders `&`, `<` and `>` as markup; account names and sentences are escaped. */
export function escapeSlack(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

const TITLES: Record<AlertEvent['type'], string> = {
  'alert.at_risk': 'At-risk alert',
  'alert.expansion_lead': 'Expansion lead',
  'alert.usage_limit': 'Usage limit',
};

/** Slack allows 50 blocks per message; a digest shows the top rows and says how many more there are. */
export const SLACK_DIGEST_ROWS = 20;

const money = (amount: number, currency: string) => `${formatNumber(Math.round(amount))} ${currency}`;

interface SlackMessage {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string) => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

function slackAlert(event: AlertEvent): SlackMessage {
  const { account, alert } = event;
  const title = `${TITLES[event.type]}: ${account.name} (${account.externalId})`;
  const facts = [
    `for ${alert.recipient}`,
    `grade ${account.grade}`,
    `churn risk ${formatShare(account.churnRisk)}`,
    event.type === 'alert.at_risk' ? `ARR at risk ${money(account.arrAtRisk, account.currency)}` : `readiness ${Math.round(account.upgradeReadiness)}`,
    `as of ${alert.asOf}`,
  ];
  return {
    text: `${title} — ${alert.reason}`,
    blocks: [section(`*${escapeSlack(title)}*\n${escapeSlack(alert.reason)}`), context(escapeSlack(facts.join(' · ')))],
  };
}

function slackDigest(event: DigestEvent): SlackMessage {
  const title = `Weekly at-risk list for ${event.csmOwner}: ${event.total} account${event.total === 1 ? '' : 's'} (as of ${event.asOf})`;
  const rows = event.items.slice(0, SLACK_DIGEST_ROWS).map((item) => {
    const head = `*${item.rank}. ${escapeSlack(item.name)}*${item.newOnList ? ' · NEW' : ''} · ARR at risk ${money(item.arrAtRisk, item.currency)} · churn risk ${formatShare(item.churnRisk)} · ${item.grade}`;
    return section(item.drivers.length > 0 ? `${head}\n${escapeSlack(item.drivers.join('; '))}` : head);
  });
  const more = event.total - rows.length;
  return {
    text: title,
    blocks: [{ type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } }, ...rows, ...(more > 0 ? [context(`and ${more} more`)] : [])],
  };
}

export function renderBody(event: WebhookEvent, format: WebhookFormat): string {
  if (format === 'json') return JSON.stringify(event);
  return JSON.stringify(event.type === 'digest.at_risk_weekly' ? slackDigest(event) : slackAlert(event));
}
