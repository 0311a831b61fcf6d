import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/index.ts', 'src/form.ts', 'src/server.ts', 'src/testing.ts', 'src/emulator-cli.ts'],
  format: ['esm'],
  platform: 'node',
  target: 'es2022',
  fixedExtension: false,
  dts: { sourcemap: false },
  // Maps are written for local debugging and the bench, but no .js points at one: the package
  // ships no maps (`files`), and a dangling sourceMappingURL makes dev tools and Vite warn.
  sourcemap: 'hidden',
  // The browser entries are client modules for React Server Components hosts (Next.js App Router):
  // importing them from a Server Component must not run createContext on the server.
  outputOptions: {
    banner: (chunk) => (chunk.isEntry && (chunk.name === 'index' || chunk.name === 'form') ? "'use client';" : ''),
  },
  clean: true,
  copy: [{ from: 'src/react/styles.css', to: 'dist' }],
  // No declaration maps ship, so no .d.ts may point at one (the dts bundler still writes the comment).
  // The stylesheet gets an empty declaration, so `import 'airbyte-embed-kit/styles.css'` type-checks
  // where side-effect imports are checked (TypeScript 6's default noUncheckedSideEffectImports).
  onSuccess() {
    writeFileSync('dist/styles.css.d.ts', '// airbyte-embed-kit/styles.css: a stylesheet, imported for its side effect.\nexport {};\n');
    for (const file of readdirSync('dist').filter((f) => f.endsWith('.d.ts'))) {
      const text = readFileSync(`dist/${file}`, 'utf8');
      const stripped = text.replace(/\n\/\/# sourceMappingURL=\S+\.d\.ts\.map\s*$/, '\n');
      if (stripped !== text) writeFileSync(`dist/${file}`, stripped);
    }
  },
});
