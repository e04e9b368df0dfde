#!/usr/bin/env bash
# Fails when the README, BENCHMARKS.md or a page under docs/ names a test,
# fuzz target, example or benchmark (`TestX`, `FuzzX`, `ExampleX`,
# `BenchmarkX` in backquotes) that no _test.go file defines: the feature
# table may list a feature as done only with the test that shows it.
set -euo pipefail
cd "$(dirname "$0")/.."
docs=$(git ls-files 'README.md' 'BENCHMARKS.md' 'docs/*.md' '*/README.md' 2>/dev/null || true)
[ -n "$docs" ] || docs=$(find . -name '*.md' -not -path './.venv/*' -not -path './node_modules/*')
names=$(grep -ohE '`(Test|Fuzz|Example|Benchmark)[A-Za-z0-9_]*`' $docs | tr -d '`' | sort -u)
defined=$(grep -rhoE '^func (Test|Fuzz|Example|Benchmark)[A-Za-z0-9_]*\(' --include='*_test.go' . | sed 's/^func //; s/($//' | sort -u)
missing=$(comm -23 <(printf '%s\n' $names) <(printf '%s\n' $defined))
if [ -n "$missing" ]; then
	echo "check-docs: these names appear in the docs but no _test.go defines them:" >&2
	printf '  %s\n' $missing >&2
	exit 1
fi
echo "check-docs: $(printf '%s\n' $names | wc -l) test names in the docs, all defined"
