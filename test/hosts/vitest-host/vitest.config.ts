import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  // Nothing kit-specific: Vitest loads the ESM-only kit as it is.
  test: { environment: 'jsdom' },
});
