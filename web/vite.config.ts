import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react-swc';
import { defineConfig } from 'vite';

// `vite build web` writes the console to dist/web, which the service serves at `/`.
// `vite web` (dev server) proxies the API to a service started with `npm start`.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: Object.fromEntries(['/v1', '/docs', '/health', '/metrics'].map((path) => [path, process.env.API_URL ?? 'http://localhost:3000'])),
  },
});
