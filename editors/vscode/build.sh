#!/usr/bin/env bash
# Builds the VS Code extension from a clean checkout, as CI does: installs the exact npm
# dependencies of package-lock.json from the registry, type-checks, runs the unit tests,
# bundles with esbuild and packages with @vscode/vsce into editors/vscode/secretlint.vsix.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
npx tsc -p .
node --test out/tsc/test/
npm run -s bundle
npx vsce package --no-dependencies -o secretlint.vsix
npx vsce ls --no-dependencies
