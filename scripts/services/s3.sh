#!/usr/bin/env bash
# S3: S3Proxy from Maven Central with the filesystem backend, on Java 17.
# Path-style addressing only; the bucket is a directory under the data dir.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NAME=s3
PORT="$NIGHTJAR_S3_PORT"
DIR="$NJ_STATE/$NAME"
S3PROXY_VERSION=4.1.0
HOME_DIR="$NJ_CACHE/s3proxy-$S3PROXY_VERSION"
JAR="$HOME_DIR/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar"

probe() {
  # Any HTTP answer from S3Proxy (an anonymous request is refused with 403 XML) means it serves.
  local code
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$PORT/")" || return 1
  [[ "$code" != "000" ]]
}

install() {
  nj_installed "$HOME_DIR" && return 0
  nj_say "fetching S3Proxy $S3PROXY_VERSION from Maven Central"
  mkdir -p "$HOME_DIR"
  nj_mvn_copy "org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies" "$HOME_DIR"
  [[ -f "$JAR" ]] || nj_die "S3Proxy jar not found after download: $JAR"
  nj_mark_installed "$HOME_DIR"
}

start() {
  nj_needs_start "$NAME" "$PORT" probe || return 0
  install
  mkdir -p "$DIR/data/$NIGHTJAR_S3_BUCKET"
  cat >"$DIR/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$NIGHTJAR_S3_ACCESS_KEY
s3proxy.credential=$NIGHTJAR_S3_SECRET_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$DIR/data
jclouds.regions=$NIGHTJAR_S3_REGION
# Trino's native S3 lists with x-amz-optional-object-attributes (to skip archived
# objects), which S3Proxy would otherwise refuse with 501 Not Implemented.
s3proxy.ignore-unknown-headers=true
PROPS
  nj_spawn "$NAME" "$NJ_JAVA17" -Xmx512m -jar "$JAR" --properties "$DIR/s3proxy.properties"
  nj_wait_healthy "$NAME" 90 probe
}

case "${1:-}" in
  start) start ;;
  stop) nj_stop_pid "$NAME" 15 ;;
  status) nj_status "$NAME" probe ;;
  *) nj_usage ;;
esac
