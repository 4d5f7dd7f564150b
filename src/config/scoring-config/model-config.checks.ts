/** The checks of the `model` section a schema cannot express. */

import { findModelFeature } from '../../scoring/domain/model-features.js';
import type { ScoringConfig } from '../../scoring/domain/config/scoring-config.types.js';

/** Same shape as the loader's ConfigError (not imported: the loader imports this file). */
export interface ModelConfigError {
  path: string;
  message: string;
}

export function modelSemanticErrors(config: ScoringConfig): ModelConfigError[] {
  const errors: ModelConfigError[] = [];
  const components = new Set(Object.keys(config.health.components));
  const limits = new Set(Object.keys(config.limits));
  for (const kind of ['churn', 'expansion'] as const) {
    const model = config.model?.[kind];
    if (model === undefined) continue;
    for (const [name, input] of Object.entries(model.inputs)) {
      const at = `model.${kind}.inputs.${name}.feature`;
      if (findModelFeature(input.feature) === undefined) {
        errors.push({ path: at, message: `unknown model feature '${input.feature}' (see README "Model features")` });
        continue;
      }
      const component = /^component\.(.+)$/.exec(input.feature);
      if (component !== null && !components.has(component[1]!)) errors.push({ path: at, message: `unknown component '${component[1]}' (components: ${[...components].join(', ')})` });
      const limit = /^limit\.(.+)\.utilisation$/.exec(input.feature);
      if (limit !== null && !limits.has(limit[1]!)) errors.push({ path: at, message: `limit '${limit[1]}' is not measured (limits: ${[...limits].join(', ')})` });
    }
    for (const [name, group] of Object.entries(model.groups)) {
      group.members.forEach((member, index) => {
        if (!(member in model.inputs)) errors.push({ path: `model.${kind}.groups.${name}.members[${index}]`, message: `no input named '${member}' in model.${kind}.inputs` });
      });
    }
  }
  return errors;
}
