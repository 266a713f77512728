#!/usr/bin/env node
import { exitOnStartupFailure } from '@uig/runtime';
import { startMcp } from './start-mcp.js';

/** uig-mcp (from a checkout); the published command is `uig mcp`. */
await startMcp(process.argv.slice(2)).catch((error: unknown) => exitOnStartupFailure('uig-mcp', error));
