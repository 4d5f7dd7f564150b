// Jest loads globalSetup/globalTeardown through CommonJS require, which does not apply
// moduleNameMapper: map the ESM-style `./x.js` specifiers of our TypeScript sources to `./x.ts`.
const Module = require('node:module');
const path = require('node:path');
const fs = require('node:fs');
const original = Module._resolveFilename;
Module._resolveFilename = function resolve(request, parent, ...rest) {
  if (request.startsWith('.') && request.endsWith('.js') && parent?.filename) {
    const candidate = path.resolve(path.dirname(parent.filename), request.replace(/\.js$/, '.ts'));
    if (fs.existsSync(candidate)) return candidate;
  }
  return original.call(this, request, parent, ...rest);
};
