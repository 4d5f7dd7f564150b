import type { DemoPlan } from './tenant.types.js';

/**
 * The demo vendor's price list. Scale has no seat limit on purpose: the engine then compares
 * seats_used with seatsPurchased, and the demo shows both cases.
 */
export const DEMO_PLANS: readonly DemoPlan[] = [
  {
    id: 'scale',
    name: 'Scale',
    rank: 3,
    annualPrice: 60000,
    limits: { api_calls: 2_000_000 },
    features: ['reports', 'automations', 'dashboards', 'integrations', 'sso', 'audit_log', 'advanced_analytics'],
    nextPlan: null,
  },
  {
    id: 'growth',
    name: 'Growth',
    rank: 2,
    pricePerSeat: 720,
    limits: { seats: 50, api_calls: 100_000 },
    features: ['reports', 'automations', 'dashboards', 'integrations'],
    nextPlan: 'scale',
  },
  {
    id: 'starter',
    name: 'Starter',
    rank: 1,
    pricePerSeat: 360,
    limits: { seats: 10, api_calls: 10_000 },
    features: ['reports'],
    nextPlan: 'growth',
  },
];

export type DemoPlanId = 'starter' | 'growth' | 'scale';

/** How likely an account adopts an included feature, how soon after its start, how heavily, and the milestone it marks. */
export const FEATURE_TRAITS: Readonly<
  Record<string, { adoption: number; offsetDays: [number, number]; intensity: [number, number]; milestone: string | null }>
> = {
  reports: { adoption: 0.97, offsetDays: [1, 10], intensity: [0.3, 1.2], milestone: 'first_report' },
  dashboards: { adoption: 0.75, offsetDays: [3, 25], intensity: [0.3, 1.0], milestone: 'first_dashboard' },
  automations: { adoption: 0.7, offsetDays: [5, 45], intensity: [0.1, 0.6], milestone: 'first_automation' },
  integrations: { adoption: 0.55, offsetDays: [7, 60], intensity: [0.05, 0.3], milestone: 'first_integration' },
  sso: { adoption: 0.6, offsetDays: [10, 60], intensity: [0.5, 1.0], milestone: null },
  audit_log: { adoption: 0.35, offsetDays: [20, 90], intensity: [0.02, 0.1], milestone: null },
  advanced_analytics: { adoption: 0.45, offsetDays: [10, 90], intensity: [0.1, 0.4], milestone: null },
};

export const CSM_OWNERS = [
  'dana.whitfield@vendor.example',
  'marco.rossi@vendor.example',
  'priya.natarajan@vendor.example',
  'liam.oconnor@vendor.example',
  'sofia.alvarez@vendor.example',
] as const;

export const SALES_OWNERS = ['sam.keller@vendor.example', 'nina.brandt@vendor.example', 'omar.haddad@vendor.example'] as const;

export const INDUSTRIES = [
  'software',
  'fintech',
  'healthcare',
  'retail',
  'manufacturing',
  'education',
  'logistics',
  'media',
  'professional_services',
  'real_estate',
] as const;

export const NAME_STEMS = [
  'Northwind', 'Bluepeak', 'Ironbark', 'Silverline', 'Redwood', 'Brightwater', 'Stonegate', 'Clearpath', 'Highland',
  'Oakridge', 'Suncrest', 'Pinecone', 'Evergreen', 'Riverside', 'Lakeshore', 'Granite', 'Copperfield', 'Harbor',
  'Summit', 'Meridian', 'Keystone', 'Blackbird', 'Foxglove', 'Westbrook', 'Eastgate', 'Tidewater', 'Bramble',
  'Lumen', 'Vantage', 'Quarry', 'Kestrel', 'Juniper', 'Halcyon', 'Aurora', 'Cobalt', 'Sterling', 'Maple',
  'Falcon', 'Orchard', 'Beacon',
] as const;

export const NAME_TRADES = [
  'Analytics', 'Logistics', 'Robotics', 'Health', 'Foods', 'Capital', 'Labs', 'Systems', 'Media', 'Freight',
  'Outfitters', 'Dental', 'Energy', 'Learning', 'Biotech', 'Studios', 'Partners', 'Software', 'Retail', 'Clinics',
  'Holdings', 'Manufacturing', 'Insurance', 'Travel', 'Properties', 'Networks', 'Pharma', 'Consulting', 'Apparel',
  'Security',
] as const;

export const NAME_FORMS = ['Inc.', 'Ltd', 'GmbH', 'LLC', 'Co.', 'AG', 'BV', 'SAS', '', '', '', ''] as const;
