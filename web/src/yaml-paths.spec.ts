import { describe, expect, it } from '@jest/globals';
import { lineOfPath } from './yaml-paths';

const TEXT = `# comment
health:
  components:
    engagement:
      weight: 30
      inputs:
        - feature: active_users
          weight: 1
    momentum:
      weight: 20
limits:
  feature.reports: 5
  feature: 1
`;

describe('lineOfPath', () => {
  it('finds the line of a nested key', () => {
    expect(lineOfPath(TEXT, 'health.components.engagement.weight')).toBe(5);
    expect(lineOfPath(TEXT, 'health.components.momentum.weight')).toBe(10);
  });

  it('walks sequence indexes', () => {
    expect(lineOfPath(TEXT, 'health.components.engagement.inputs[0].weight')).toBe(8);
  });

  it('prefers the longest key when keys hold dots', () => {
    expect(lineOfPath(TEXT, 'limits.feature.reports')).toBe(12);
    expect(lineOfPath(TEXT, 'limits.feature')).toBe(13);
  });

  it('falls back to the deepest existing parent for a missing key', () => {
    expect(lineOfPath(TEXT, 'health.components.engagement.normalisation')).toBe(4);
  });

  it('gives null for a path that is not there at all, or the whole document', () => {
    expect(lineOfPath(TEXT, 'nothing.here')).toBeNull();
    expect(lineOfPath(TEXT, '')).toBeNull();
  });
});
