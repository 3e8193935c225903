import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The console is served by the PeakDesk server from dist/; `npm run dev` proxies the API to PEAKDESK_URL. */
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      output: {
        // Libraries change less often than our code: a separate chunk stays cached between releases.
        manualChunks: {
          vendor: ['react', 'react-dom', 'antd', '@tanstack/react-query', 'i18next', 'react-i18next'],
        },
      },
    },
  },
  server: {
    proxy: { '/api': process.env.PEAKDESK_URL ?? 'http://127.0.0.1:3000' },
  },
});
