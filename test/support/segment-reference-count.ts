/**
 * An independent count of a Segment-format event file, written plainly (loops over messages, no
 * code shared with src/events), for the end-to-end tests to compare the roll-up's usage_daily with:
 * - a message counts if it is an object of type track/identify/group with a userId or anonymousId,
 *   an event name (track), a groupId (group), and a timestamp with a zone when it has one;
 * - the first message with a messageId wins, later ones are retries;
 * - an anonymous id belongs to the first user it appears with; a user's account is the groupId of
 *   their latest group call by timestamp; context.groupId names the account of one event;
 * - days are UTC days; metrics follow the config's events section.
 */

export interface ReferenceRules {
  activeUsersMetric: string;
  metrics: Record<string, string[]>;
  milestones: Record<string, string>;
  ignore: string[];
}

type Message = Record<string, unknown>;

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function isValid(m: unknown): m is Message {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return false;
  const message = m as Message;
  if (!['track', 'identify', 'group'].includes(message['type'] as string)) return false;
  if (!message['userId'] && !message['anonymousId']) return false;
  if (message['type'] === 'track' && (typeof message['event'] !== 'string' || message['event'] === '')) return false;
  if (message['type'] === 'group' && !message['groupId']) return false;
  if (message['timestamp'] !== undefined && !TIMESTAMP.test(String(message['timestamp']))) return false;
  return true;
}

function slug(name: string): string {
  let out = '';
  let gap = false;
  for (const ch of name.toLowerCase()) {
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
      if (gap && out !== '') out += '_';
      out += ch;
      gap = false;
    } else gap = true;
  }
  return out;
}

/** `account|metric|day` → value, for the accounts in `accounts` only. */
export function referenceUsage(messages: readonly unknown[], rules: ReferenceRules, accounts: ReadonlySet<string>): Map<string, number> {
  const seen = new Set<string>();
  const kept: Message[] = [];
  for (const m of messages) {
    if (!isValid(m)) continue;
    const id = String(m['messageId']);
    if (seen.has(id)) continue;
    seen.add(id);
    kept.push(m);
  }

  const userOfAnonymous = new Map<string, string>();
  for (const m of kept) {
    if (m['userId'] && m['anonymousId'] && !userOfAnonymous.has(String(m['anonymousId']))) userOfAnonymous.set(String(m['anonymousId']), String(m['userId']));
  }
  const personOf = (m: Message) => {
    if (m['userId']) return `user ${m['userId']}`;
    const user = userOfAnonymous.get(String(m['anonymousId']));
    return user ? `user ${user}` : `anonymous ${m['anonymousId']}`;
  };

  const latestGroup = new Map<string, { at: string; group: string }>();
  for (const m of kept) {
    if (m['type'] !== 'group') continue;
    const person = personOf(m);
    const at = String(m['timestamp']);
    const current = latestGroup.get(person);
    if (!current || at >= current.at) latestGroup.set(person, { at, group: String(m['groupId']) });
  }

  const values = new Map<string, number>();
  const users = new Map<string, Set<string>>();
  const firstDays = new Map<string, string>();
  const add = (key: string, n: number) => values.set(key, (values.get(key) ?? 0) + n);
  for (const m of kept) {
    if (m['type'] !== 'track') continue;
    const context = (m['context'] ?? {}) as Message;
    const account = context['groupId'] ? String(context['groupId']) : latestGroup.get(personOf(m))?.group;
    if (!account || !accounts.has(account)) continue;
    const day = String(m['timestamp']).slice(0, 10);
    const name = String(m['event']);
    const counted = rules.metrics[name] ?? (rules.ignore.includes(name) ? [] : [`feature.${slug(name)}`]);
    for (const metric of counted) add(`${account}|${metric}|${day}`, 1);
    const cell = `${account}|${day}`;
    if (!users.has(cell)) users.set(cell, new Set());
    users.get(cell)!.add(personOf(m));
    const milestone = rules.milestones[name];
    if (milestone) {
      const key = `${account}|milestone.${milestone}`;
      const first = firstDays.get(key);
      if (!first || day < first) firstDays.set(key, day);
    }
  }
  for (const [cell, people] of users) {
    const [account, day] = cell.split('|');
    values.set(`${account}|${rules.activeUsersMetric}|${day}`, people.size);
  }
  for (const [key, day] of firstDays) values.set(`${key}|${day}`, 1);
  return values;
}
