#!/bin/sh
# Installs a packed `uig` tarball into a folder with plain npm, third-party packages from
# the registry, as a user's `npm install uig` would. The packed-install test
# (packages/uig/test-packed), the Claude Desktop bundle (pnpm bundle:mcpb) and the
# Dockerfile all run exactly this.
# Usage: scripts/install-packed.sh <folder> <uig-x.y.z.tgz>
# --prefix: the folder is the project even when a folder above it has a package.json.
set -eu
mkdir -p "$1"
cd "$1"
npm install --prefix . --prefer-offline --omit=dev --no-audit --no-fund --no-update-notifier --loglevel=error "$2"
