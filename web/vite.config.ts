import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const backend = process.env.INBOX_DEV_BACKEND ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [vue()],
  resolve: {
    // Compile the shared TypeScript source directly, so the console never depends on a stale shared/dist.
    alias: { '@inbox/shared': path.resolve(here, '../shared/src/index.ts') },
  },
  define: {
    // vue-i18n feature flags: composition API only, no legacy API, no devtools in production.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: {
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/webhooks': { target: backend, changeOrigin: false },
      '/socket.io': { target: backend, ws: true, changeOrigin: false },
      '/sandbox': { target: backend, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Element Plus is imported whole for now (~1 MB minified, ~320 kB gzip); it gets its own
    // long-cached chunk instead of being re-downloaded with every change to the app.
    chunkSizeWarningLimit: 1100,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              name: 'element-plus',
              test: /[\\/]node_modules[\\/](element-plus|@element-plus|@floating-ui|async-validator|dayjs|lodash-es|lodash-unified|@vueuse)[\\/]/,
              priority: 2,
            },
            { name: 'vendor', test: /[\\/]node_modules[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
});
