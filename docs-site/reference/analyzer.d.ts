import type { Package } from 'custom-elements-manifest/schema.js';
import type * as typescript from 'typescript';

// The analyzer's programmatic API, which its index.d.ts leaves out.
declare module '@custom-elements-manifest/analyzer' {
  /** Analyses source files (made with the analyzer's own `ts`) into a custom-elements manifest. */
  export function create(options: {
    modules: typescript.SourceFile[];
    plugins?: unknown[];
    context?: Record<string, unknown>;
  }): Package;
  /** The TypeScript the analyzer walks syntax trees with. */
  const analyzerTs: typeof typescript;
  export { analyzerTs as ts };
}
