/** Types for chromium.mjs (imported by the TypeScript browser benchmark). */
export function chromiumExecutable(): string;
export function chromiumArgs(): string[];
