/** Request bodies for tests: valid by default, overridable field by field. */
export const planBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Growth',
  rank: 2,
  pricePerSeat: 30,
  limits: { seats: 50, api_calls: 100000 },
  features: ['reports', 'automations'],
  nextPlan: null,
  ...overrides,
});

export const accountBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Acme Robotics',
  segment: 'sales_assisted',
  plan: 'growth',
  arr: 36000,
  currency: 'USD',
  seatsPurchased: 40,
  contractStart: '2025-01-01',
  renewalDate: '2027-01-01',
  csmOwner: 'dana@vendor.example',
  salesOwner: 'sam@vendor.example',
  crmIds: { hubspot: '1001' },
  attributes: { industry: 'manufacturing' },
  ...overrides,
});
