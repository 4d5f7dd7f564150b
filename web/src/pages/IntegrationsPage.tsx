import { useState } from 'react';
import { api, ok } from '../api/client';
import type { components } from '../api/schema.gen';
import type { CrmSync } from '../api/views';
import { Empty, ErrorMessage, Section, Skeleton, useAsync } from '../components/ui';
import { dateTime, duration } from '../format';

type Webhook = components['schemas']['WebhookView'];

export default function IntegrationsPage() {
  const hooks = useAsync(() => ok(api.GET('/v1/webhooks', { params: { query: { limit: 100 } } })), []);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div className="page">
      <div className="page-head"><h1>Webhooks and CRM sync</h1></div>
      <Section title="Webhook subscriptions" id="webhooks">
        {hooks.error !== undefined && <ErrorMessage error={hooks.error} />}
        {hooks.loading && <Skeleton rows={3} />}
        {hooks.data && hooks.data.items.length === 0 && <Empty>No subscription. Create one with POST /v1/webhooks (see /docs).</Empty>}
        {hooks.data && hooks.data.items.length > 0 && (
          <div className="table-scroll">
            <table>
              <thead><tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">Format</th><th scope="col" className="num">Pending</th><th scope="col" className="num">Dead</th><th scope="col">Created</th><th scope="col" /></tr></thead>
              <tbody>
                {hooks.data.items.map((hook) => (
                  <tr key={hook.id}>
                    <td><code>{hook.url}</code></td>
                    <td>{hook.events.join(', ')}</td>
                    <td>{hook.format}</td>
                    <td className="num">{hook.pending}</td>
                    <td className="num">{hook.dead > 0 ? <strong>{hook.dead}</strong> : 0}</td>
                    <td>{dateTime(hook.createdAt)}</td>
                    <td><button type="button" className="secondary" aria-expanded={open === hook.id} onClick={() => setOpen(open === hook.id ? null : hook.id)}>Deliveries</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {open && hooks.data && <Deliveries hook={hooks.data.items.find((h) => h.id === open)!} />}
      </Section>
      <CrmSyncs crm="hubspot" />
      <CrmSyncs crm="salesforce" />
    </div>
  );
}

function Deliveries({ hook }: { hook: Webhook }) {
  const deliveries = useAsync(() => ok(api.GET('/v1/webhooks/{id}/deliveries', { params: { path: { id: hook.id }, query: { limit: 50 } } })), [hook.id]);
  return (
    <div>
      <h3>Delivery log of {hook.url}</h3>
      {deliveries.error !== undefined && <ErrorMessage error={deliveries.error} />}
      {deliveries.data && deliveries.data.items.length === 0 && <p className="muted">Nothing delivered yet.</p>}
      {deliveries.data && deliveries.data.items.length > 0 && (
        <table>
          <thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col" className="num">Attempt</th><th scope="col">Outcome</th><th scope="col" className="num">HTTP</th><th scope="col" className="num">Time</th><th scope="col">Error</th></tr></thead>
          <tbody>
            {deliveries.data.items.map((d) => (
              <tr key={d.id}><td>{dateTime(d.attemptedAt)}</td><td>{d.eventType}</td><td className="num">{d.attempt}</td><td>{d.outcome}</td><td className="num">{d.statusCode ?? '—'}</td><td className="num">{duration(d.durationMs)}</td><td>{d.error ?? ''}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function CrmSyncs({ crm }: { crm: 'hubspot' | 'salesforce' }) {
  const syncs = useAsync(() => ok(api.GET('/v1/integrations/{crm}/syncs', { params: { path: { crm }, query: { limit: 20 } } })), [crm]);
  const title = crm === 'hubspot' ? 'HubSpot sync reports' : 'Salesforce sync reports';
  return (
    <Section title={title} id={`${crm}-syncs`}>
      {syncs.error !== undefined && <ErrorMessage error={syncs.error} />}
      {syncs.loading && <Skeleton rows={2} />}
      {syncs.data && syncs.data.items.length === 0 && <Empty>No sync yet.</Empty>}
      {syncs.data && syncs.data.items.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead><tr><th scope="col">Started</th><th scope="col">Finished</th><th scope="col">Report</th></tr></thead>
            <tbody>
              {syncs.data.items.map((s) => (
                <tr key={s.id}>
                  <td>{dateTime(s.startedAt)}</td>
                  <td>{dateTime(s.finishedAt ?? null)}</td>
                  <td>{Object.entries(s).filter(([k, v]) => typeof v === 'number' || (typeof v === 'string' && !['id', 'startedAt', 'finishedAt'].includes(k))).map(([k, v]) => `${k}: ${String(v)}`).join(' · ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
