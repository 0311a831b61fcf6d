import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/index.ts', 'src/form.ts', 'src/server.ts', 'src/testing.ts', 'src/emulator-cli.ts'],
  format: ['esm'],
  platform: 'node',
  target: 'es2022',
  fixedExtension: false,
  dts: true,
  sourcemap: true,
  clean: true,
  copy: [{ from: 'src/react/styles.css', to: 'dist' }],
});
