// Prisma CLI configuration. Prisma's native schema engine would be downloaded from
// outside the npm registry, so migrations run on the JS engine through the pg adapter.
import { defineConfig } from 'prisma/config';
import { migrationAdapter } from './src/migrate-adapter.js';

export default defineConfig({
  experimental: { adapter: true },
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  engine: 'js',
  adapter: async () => migrationAdapter(process.env.DATABASE_URL),
});
