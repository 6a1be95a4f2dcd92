// `npm run check` runs this: no import cycles anywhere (type-only imports count),
// and the arrows between packages go one way only:
// web, cli → client → protocol, contract; server → protocol, contract, prisma.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Modules that import each other, even only for types, are one module in two files.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'protocol-stands-alone',
      severity: 'error',
      comment: 'protocol/ is pure: no I/O, no other workspace.',
      from: { path: '^protocol/src' },
      to: { path: '^(contract|client|server|web|prisma|tor)/' },
    },
    {
      name: 'contract-stands-alone',
      severity: 'error',
      from: { path: '^contract/src' },
      to: { path: '^(protocol|client|server|web|prisma|tor)/' },
    },
    {
      name: 'client-below-web',
      severity: 'error',
      comment: 'The client core knows nothing of React, Next or the server.',
      from: { path: '^client/src' },
      to: { path: '^(web|cli|server|prisma|tor)/|node_modules/(react|react-dom|next)/' },
    },
    {
      name: 'web-through-client',
      severity: 'error',
      comment: 'The web app reaches the server only through the client core.',
      from: { path: '^web/src' },
      to: { path: '^(server|prisma|tor|protocol|contract)/|node_modules/socket\\.io-client/' },
    },
    {
      name: 'cli-through-client',
      severity: 'error',
      comment: 'The terminal client is a second face on the client core: no server, web or key material of its own.',
      from: { path: '^cli/src', pathNot: '\\.spec\\.ts$|^cli/src/test-support/' },
      to: { path: '^(server|web|prisma|tor|protocol)/|node_modules/(react|react-dom|next)/' },
    },
    {
      name: 'server-not-client',
      severity: 'error',
      from: { path: '^server/src' },
      to: { path: '^(client|web)/' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    // Other workspaces are reached through their built dist/: seen as arrows, not followed.
    doNotFollow: { path: '(^|/)(node_modules|dist)/' },
    exclude: { path: '(^|/)(out|\\.next)/' },
    combinedDependencies: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.d.ts'],
    },
  },
};
