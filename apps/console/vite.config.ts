import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes .br and .gz beside each text asset; the server's static plugin (preCompressed) sends them to browsers
 * that accept them, so the first load moves about a third of the bytes without compressing on every request.
 */
function precompress(): Plugin {
  return {
    name: 'peakdesk-precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = options.dir ?? 'dist';
      for (const file of Object.values(bundle)) {
        if (!/\.(js|css|html|svg|json)$/.test(file.fileName)) continue;
        const source = Buffer.from(file.type === 'chunk' ? file.code : file.source);
        if (source.byteLength < 1024) continue;
        const path = join(dir, file.fileName);
        await writeFile(`${path}.gz`, gzipSync(source, { level: 9 }));
        await writeFile(
          `${path}.br`,
          brotliCompressSync(source, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
      }
    },
  };
}

/** The console is served by the PeakDesk server from dist/; `npm run dev` proxies the API to PEAKDESK_URL. */
export default defineConfig({
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        // Libraries change less often than our code: their chunks stay cached between releases. ECharts has a
        // chunk of its own so that only the supervisor page (loaded on demand) pulls it in.
        manualChunks(id) {
          if (!id.includes('/node_modules/')) return undefined;
          if (/\/node_modules\/(echarts|zrender)\//.test(id)) return 'echarts';
          if (/\/node_modules\/(antd|@ant-design|rc-[^/]+|@rc-component)\//.test(id)) return 'antd';
          return 'vendor';
        },
      },
    },
  },
  server: {
    proxy: { '/api': process.env.PEAKDESK_URL ?? 'http://127.0.0.1:3000' },
  },
});
