#!/usr/bin/env bash
# Rebuild the dashboard's plotly.js bundle (needs Node.js and npm; the product never does).
# The plotly.js version must be the one the installed `plotly` Python package ships.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../dashboard/assets/plotly/plotly-dashboard.min.js"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/entry.js" "$work/"
cd "$work"
npm install --no-audit --no-fund >/dev/null
version="$(node -p "require('plotly.js/package.json').version")"
npx esbuild entry.js --bundle --minify --format=iife --global-name=Plotly \
  --define:global=window --define:define.amd=false --target=es2016 \
  --alias:stream=stream-browserify --loader:.css=empty --log-level=warning \
  --banner:js="/*! plotly.js v$version (MIT licence, Plotly, Inc.): core, bar, scattergeo, choropleth */" \
  --outfile="$out"
echo "wrote $out ($(wc -c <"$out") bytes, plotly.js $version)"
