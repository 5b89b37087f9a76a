/** Types for serve.mjs (imported by the TypeScript browser benchmark). */
export const root: string;
export function buildAndServe(
  input: Record<string, string>,
  buildName?: string,
): Promise<{ baseUrl: string; outDir: string; close(): Promise<void> }>;
