import { register } from 'node:module';

register('./ts-esm-loader.mjs', import.meta.url);
