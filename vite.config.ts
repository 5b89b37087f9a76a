import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// COOP/COEP make the page cross-origin isolated, so the wasm fallback backend can use threads.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// Everything the page and the training worker import from node_modules, pre-bundled when the dev server starts. Without
// this list Vite finds tfjs only when the worker first loads it, re-bundles, and reloads the page: the first Train
// click of a fresh `npm run dev` was lost that way (tests/e2e/dev-server.spec.mjs checks it from an empty cache).
const PREBUNDLED = [
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-backend-webgpu',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js',
  'react',
  'react/jsx-runtime',
  'react/jsx-dev-runtime',
  'react-dom',
  'react-dom/client',
  'recharts',
  'js-yaml',
  'fflate',
  'idb',
  'jpeg-js',
];

export default defineConfig({
  plugins: [react()],
  optimizeDeps: { include: PREBUNDLED, entries: ['index.html', 'src/worker/train.worker.ts'] },
  worker: { format: 'es' },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
