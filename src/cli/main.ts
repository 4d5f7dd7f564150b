#!/usr/bin/env node
/**
 * Entry of the command line (built to dist/src/cli/main.js). It talks HTTP to a running
 * service: --url / HS_URL and --key / HS_API_KEY. `--help` on any command lists its options.
 */
import { processIo } from './cli-io.js';
import { runCli } from './cli-program.js';

process.exitCode = await runCli(process.argv.slice(2), processIo());
