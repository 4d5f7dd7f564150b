// The one @swc/core transform for TypeScript run outside tsc: Jest (jest.config.js) and child
// processes started by tests (ts-esm-loader.mjs). Decorator metadata is what Nest's dependency
// injection reads; without it DI silently injects `undefined`.
export const SWC_OPTIONS = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    target: 'es2022',
    keepClassNames: true,
    transform: { legacyDecorator: true, decoratorMetadata: true },
  },
  module: { type: 'es6' },
};
