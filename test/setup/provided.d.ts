import 'vitest';

declare module 'vitest' {
  /** Values vite.config.ts provides to the browser tests (see the person-like corpus test). */
  export interface ProvidedContext {
    corpusSeed: number;
    corpusSample: number;
    corpusOnly: string;
  }
}
