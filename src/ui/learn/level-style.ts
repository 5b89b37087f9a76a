/** One colour (Okabe–Ito) and one marker per Detect level or anchor index, so they read apart without colour too. */
export const LEVEL_COLORS = ['#0072B2', '#009E73', '#CC79A7', '#E69F00'] as const;
export const LEVEL_SHAPES = ['circle', 'square', 'triangle', 'diamond'] as const;
