#!/usr/bin/env bash
# Trino 476 (the last release on Maven Central) on Temurin 25: the core server tarball plus
# only the Hive plugin (about 450 MB downloaded instead of the 820 MB full server).
# One node is coordinator and worker; the `hive` catalog keeps its file metastore in the
# S3 bucket and reads/writes it through Trino's native S3 file system, so S3 must be up.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NAME=trino
PORT="$NIGHTJAR_TRINO_PORT"
DIR="$NJ_STATE/$NAME"
TRINO_VERSION=476
HOME_DIR="$NJ_CACHE/trino-$TRINO_VERSION"

probe() {
  # /v1/info answers while the server is still loading plugins; it serves queries once
  # "starting" turns false.
  curl -sf --max-time 3 "http://127.0.0.1:$PORT/v1/info" | grep -q '"starting":false'
}

install() {
  nj_installed "$HOME_DIR" && return 0
  nj_say "fetching Trino $TRINO_VERSION core server and Hive plugin from Maven Central (~450 MB, first time only)"
  rm -rf "$HOME_DIR"; mkdir -p "$HOME_DIR/download"
  nj_mvn_copy "io.trino:trino-server-core:$TRINO_VERSION:tar.gz" "$HOME_DIR/download"
  nj_mvn_copy "io.trino:trino-hive:$TRINO_VERSION:zip" "$HOME_DIR/download"
  # Only the launcher and the core libraries: the core tarball's own plugins (python
  # functions, geospatial, ...) would only slow start-up.
  tar xzf "$HOME_DIR/download/trino-server-core-$TRINO_VERSION.tar.gz" -C "$HOME_DIR" --strip-components=1 \
    "trino-server-core-$TRINO_VERSION/bin" "trino-server-core-$TRINO_VERSION/lib"
  mkdir -p "$HOME_DIR/plugin"
  nj_apt_install unzip unzip
  (cd "$HOME_DIR/plugin" && unzip -q "$HOME_DIR/download/trino-hive-$TRINO_VERSION.zip" && mv "trino-hive-$TRINO_VERSION" hive)
  # The downloads stay in ~/.m2 as well; drop the copies.
  rm -rf "$HOME_DIR/download"
  nj_mark_installed "$HOME_DIR"
}

write_config() {
  local etc="$DIR/etc"
  mkdir -p "$etc/catalog" "$DIR/data"
  cat >"$etc/node.properties" <<PROPS
node.environment=nightjar
node.id=nightjar-local
node.data-dir=$DIR/data
node.internal-address=127.0.0.1
PROPS
  # Trino's recommended flags, with a heap sized for a small shared machine.
  cat >"$etc/jvm.config" <<'PROPS'
-server
-Xmx2G
-XX:InitialRAMPercentage=10
-XX:G1HeapRegionSize=32M
-XX:+ExplicitGCInvokesConcurrent
-XX:+ExitOnOutOfMemoryError
-XX:-OmitStackTraceInFastThrow
-XX:ReservedCodeCacheSize=256M
-XX:PerMethodRecompilationCutoff=10000
-XX:PerBytecodeRecompilationCutoff=10000
-Djdk.attach.allowAttachSelf=true
-Djdk.nio.maxCachedBufferSize=2000000
-Dfile.encoding=UTF-8
-XX:+EnableDynamicAgentLoading
PROPS
  cat >"$etc/config.properties" <<PROPS
coordinator=true
node-scheduler.include-coordinator=true
http-server.http.port=$PORT
discovery.uri=http://127.0.0.1:$PORT
plugin.dir=$HOME_DIR/plugin
query.max-memory=1GB
query.max-memory-per-node=768MB
PROPS
  cat >"$etc/log.properties" <<'PROPS'
io.trino=INFO
PROPS
  cat >"$etc/catalog/$NIGHTJAR_TRINO_CATALOG.properties" <<PROPS
connector.name=hive
hive.metastore=file
hive.metastore.catalog.dir=s3://$NIGHTJAR_S3_BUCKET/metastore
# The file metastore keeps managed tables under <catalog.dir>/<schema>/<table> and stores
# no location for them, so create schemas without a location; tables over files written
# elsewhere (the lake) are external, with external_location.
fs.native-s3.enabled=true
s3.endpoint=$NIGHTJAR_S3_ENDPOINT
s3.region=$NIGHTJAR_S3_REGION
s3.path-style-access=true
s3.aws-access-key=$NIGHTJAR_S3_ACCESS_KEY
s3.aws-secret-key=$NIGHTJAR_S3_SECRET_KEY
# Tables over files the lake sink wrote are external; let Trino write and drop them too.
hive.non-managed-table-writes-enabled=true
hive.storage-format=PARQUET
PROPS
}

start() {
  nj_needs_start "$NAME" "$PORT" probe || return 0
  "$NJ_SERVICES_DIR/s3.sh" status >/dev/null || nj_die "trino needs the S3 server (its metastore lives in the bucket): run scripts/services/s3.sh start first"
  [[ -x "$NJ_JAVA25_HOME/bin/java" ]] || nj_die "Trino $TRINO_VERSION needs Java 24+; none at $NJ_JAVA25_HOME (set NIGHTJAR_JAVA25_HOME)"
  install
  write_config
  # `launcher run` stays in the foreground (so our pid is the server's) and logs to stdout.
  JAVA_HOME="$NJ_JAVA25_HOME" PATH="$NJ_JAVA25_HOME/bin:$PATH" \
    nj_spawn "$NAME" "$HOME_DIR/bin/launcher" run --etc-dir "$DIR/etc" --data-dir "$DIR/data"
  nj_wait_healthy "$NAME" 300 probe
}

case "${1:-}" in
  start) start ;;
  stop) nj_stop_pid "$NAME" 60 ;;
  status) nj_status "$NAME" probe ;;
  *) nj_usage ;;
esac
