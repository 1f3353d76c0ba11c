import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      environment: 'happy-dom',
      include: ['src/**/*.spec.ts'],
      setupFiles: ['src/test/setup.ts'],
      restoreMocks: true,
      unstubGlobals: true,
      server: {
        deps: {
          // Element Plus default-imports the CommonJS build of async-validator, which Node's own ESM
          // loader hands over as `{ default }`, so form validation silently passes. Let Vite
          // transform it instead (it picks async-validator's ESM build).
          inline: ['element-plus'],
        },
      },
    },
  }),
);
