import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/index.ts', 'src/form.ts', 'src/server.ts', 'src/testing.ts', 'src/emulator-cli.ts'],
  format: ['esm'],
  platform: 'node',
  target: 'es2022',
  fixedExtension: false,
  dts: { sourcemap: false },
  sourcemap: true,
  // The browser entries are client modules for React Server Components hosts (Next.js App Router):
  // importing them from a Server Component must not run createContext on the server.
  outputOptions: {
    banner: (chunk) => (chunk.isEntry && (chunk.name === 'index' || chunk.name === 'form') ? "'use client';" : ''),
  },
  clean: true,
  copy: [{ from: 'src/react/styles.css', to: 'dist' }],
  // No declaration maps ship, so no .d.ts may point at one (the dts bundler still writes the comment).
  onSuccess() {
    for (const file of readdirSync('dist').filter((f) => f.endsWith('.d.ts'))) {
      const text = readFileSync(`dist/${file}`, 'utf8');
      const stripped = text.replace(/\n\/\/# sourceMappingURL=\S+\.d\.ts\.map\s*$/, '\n');
      if (stripped !== text) writeFileSync(`dist/${file}`, stripped);
    }
  },
});
