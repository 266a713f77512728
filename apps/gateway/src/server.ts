#!/usr/bin/env node
import { exitOnStartupFailure } from '@uig/runtime';
import { startGateway } from './start-gateway.js';

/** uig-gateway (from a checkout: `pnpm start`); the published command is `uig serve`. */
await startGateway().catch((error: unknown) => exitOnStartupFailure('uig-gateway', error));
