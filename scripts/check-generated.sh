#!/usr/bin/env bash
# Fails when `go generate ./...` would change a committed file.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! grep -rlq --include='*.go' '^//go:generate' . 2>/dev/null; then
  exit 0
fi
go generate ./...
if ! git diff --quiet -- '*.go'; then
  echo "check-generated: generated code is stale; run 'go generate ./...' and commit:" >&2
  git diff --stat -- '*.go' >&2
  exit 1
fi
