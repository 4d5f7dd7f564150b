import { readFileSync } from 'node:fs';
import type { ScoringConfig } from '../../../scoring/domain/config/scoring-config.types.js';
import { parseScoringConfig } from '../scoring-config.loader.js';

/** The shipped `config/scoring.yaml`, parsed, for specs about that file; fails loudly if it is invalid. */
export function shippedConfig(): ScoringConfig {
  const result = parseScoringConfig(readFileSync(new URL('../../../../config/scoring.yaml', import.meta.url), 'utf8'), 'yaml');
  if (!result.ok) throw new Error(`config/scoring.yaml is invalid: ${JSON.stringify(result.errors)}`);
  return result.config;
}
