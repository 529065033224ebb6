/**
 * The layering of DESIGN §1, as rules: dependencies point one way and nothing imports in
 * a circle. `npm test` runs it (test/unit/layering.test.ts), so a wrong import fails the
 * suite; `npm run lint:deps` prints the same report on its own.
 *
 *   core/    nothing of the project; no `node:` modules, no network
 *   forge/   core/
 *   sdk/     core/; only sdk/local* may import forge/store (embedded mode; and forge/review,
 *            so the editor reviews a local folder in process)
 *   server/  sdk/, core/ (local folders go through the SDK's local backend)
 *   client/  server/src/protocol.ts, core/ pure helpers, sdk/ types
 *   web/     core/ (it talks to the forge over HTTP only)
 */
const layers = '^(core|forge|sdk|server|client|web)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'Modules that import each other, directly or through others, cannot be read, tested or moved alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-no-layer',
      comment: 'core/ is shared by every layer, so it imports none of them.',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: layers, pathNot: '^core/' },
    },
    {
      name: 'core-is-io-free',
      comment: 'core/ runs anywhere (browser included): no node: modules, no network client.',
      severity: 'error',
      from: { path: '^core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-has-no-network',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: '(^|/)node_modules/(undici|vscode[^/]*)/' },
    },
    {
      name: 'client-imports-core-pure-helpers',
      comment:
        'The extension may use core rules (pure functions of their input), not stateful plumbing or editor wording: caches live where they are used, and usage text comes from the server through server/src/protocol.ts.',
      severity: 'error',
      from: { path: '^client/' },
      to: { path: '^core/(lru|usageText)\\.ts$' },
    },
    {
      name: 'client-imports-core-pure-helpers',
      // Known exception: client/src/usage.ts still keeps its usage numbers in core's
      // BackgroundCache until that class gives way to lru-cache; then this pathNot goes.
      severity: 'error',
      from: { path: '^client/', pathNot: '^client/src/usage\\.ts$' },
      to: { path: '^core/backgroundCache\\.ts$' },
    },
    {
      name: 'forge-imports-core-only',
      severity: 'error',
      from: { path: '^forge/' },
      to: { path: '^(sdk|server|client|web)/' },
    },
    {
      name: 'sdk-imports-core-only',
      comment: 'The SDK ships inside apps; only its embedded mode (sdk/local*) opens a store.',
      severity: 'error',
      from: { path: '^sdk/' },
      to: { path: '^(server|client|web)/' },
    },
    {
      name: 'sdk-forge-only-from-local',
      severity: 'error',
      from: { path: '^sdk/', pathNot: '^sdk/local[^/]*$' },
      to: { path: '^forge/' },
    },
    {
      name: 'sdk-local-forge-store-only',
      comment:
        "Embedded mode runs the forge's libraries in process: its store, and its review (a local folder is reviewed in process by the editor), never its HTTP layer or usage database.",
      severity: 'error',
      from: { path: '^sdk/local[^/]*$' },
      to: { path: '^forge/', pathNot: '^forge/(store|review)/' },
    },
    {
      name: 'server-imports-sdk-and-core',
      comment: 'Local folders go through the SDK local backend, never the forge directly.',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^(forge|client|web)/' },
    },
    {
      name: 'client-imports-protocol-only',
      comment: 'The extension is thin: it knows the server through server/src/protocol.ts alone.',
      severity: 'error',
      from: { path: '^client/' },
      to: { path: '^(server|forge|web)/', pathNot: '^server/src/protocol\\.ts$' },
    },
    {
      name: 'client-imports-sdk-types-only',
      severity: 'error',
      from: { path: '^client/' },
      to: { path: '^sdk/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'web-imports-core-only',
      comment: 'The console is browser code that talks to the forge over HTTP.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^(forge|sdk|server|client)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    // Type-only imports count: a cycle of types is still a cycle to read and to move.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
