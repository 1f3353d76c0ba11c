// `npm start`: build when needed, then run the server in this process (so Ctrl-C reaches it directly).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ensureBuilt, root } from './lib.mjs';

ensureBuilt();
createRequire(import.meta.url)(join(root, 'server/dist/main.js'));
