import type { NextConfig } from 'next';

const config: NextConfig = {
  // PGlite (the proxy's embedded store) loads its WebAssembly and data files from its own folder.
  serverExternalPackages: ['@electric-sql/pglite'],
};
export default config;
