#!/usr/bin/env bash
# Kafka: the broker jars from Maven Central (kafka_2.13 with its runtime dependencies and
# a log4j2 binding), one KRaft node acting as broker and controller, on Java 17.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NAME=kafka
PORT="$NIGHTJAR_KAFKA_PORT"
CONTROLLER_PORT="$NIGHTJAR_KAFKA_CONTROLLER_PORT"
DIR="$NJ_STATE/$NAME"
KAFKA_VERSION=4.4.0
LOG4J_VERSION=2.25.3
SLF4J_VERSION=2.0.17
HOME_DIR="$NJ_CACHE/kafka-$KAFKA_VERSION"

probe() {
  # Both listeners up; the broker binds its client port only once it has joined the quorum.
  nj_port_open "$PORT" && nj_port_open "$CONTROLLER_PORT"
}

install() {
  nj_installed "$HOME_DIR" && return 0
  nj_say "fetching Kafka $KAFKA_VERSION jars from Maven Central"
  rm -rf "$HOME_DIR"; mkdir -p "$HOME_DIR"
  # A throw-away pom whose runtime dependencies are exactly the broker's class path.
  # slf4j-api is pinned to 2.x because the log4j2 binding needs it and Kafka's own
  # tree would otherwise resolve 1.7.
  cat >"$HOME_DIR/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>nightjar.services</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>$SLF4J_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j2-impl</artifactId><version>$LOG4J_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>$LOG4J_VERSION</version></dependency>
  </dependencies>
</project>
POM
  nj_mvn -f "$HOME_DIR/pom.xml" dependency:copy-dependencies -DincludeScope=runtime "-DoutputDirectory=$HOME_DIR/libs"
  ls "$HOME_DIR/libs/kafka_2.13-$KAFKA_VERSION.jar" >/dev/null || nj_die "Kafka jars missing after download in $HOME_DIR/libs"
  nj_mark_installed "$HOME_DIR"
}

# Small heap: the tests move megabytes, and the machine is shared with Trino.
kafka_jvm() {
  KAFKA_JVM=("$NJ_JAVA17" -Xms256m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true
    "-Dlog4j2.configurationFile=$DIR/log4j2.properties" "-Dkafka.logs.dir=$DIR/logs"
    -cp "$HOME_DIR/libs/*")
}

write_config() {
  mkdir -p "$DIR/data" "$DIR/logs"
  cat >"$DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DIR/data
# Producers may write to topics that do not exist yet; new topics get as many
# partitions as the tests run stream workers.
auto.create.topics.enable=true
num.partitions=$NIGHTJAR_KAFKA_PARTITIONS
# One node: every internal topic has one replica. Few offsets partitions keep the
# first consumer group fast on two cores.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=24
PROPS
  cat >"$DIR/log4j2.properties" <<'PROPS'
status = warn
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = OUT
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.state.name = state.change.logger
logger.state.level = WARN
logger.kafkaapache.name = org.apache.kafka
logger.kafkaapache.level = INFO
PROPS
}

start() {
  nj_needs_start "$NAME" "$PORT" probe || return 0
  install
  write_config
  kafka_jvm
  if [[ ! -f "$DIR/data/meta.properties" ]]; then
    local cluster_id
    cluster_id="$("${KAFKA_JVM[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
    nj_say "formatting KRaft storage (cluster $cluster_id)"
    "${KAFKA_JVM[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$DIR/server.properties" >"$DIR/format.log" 2>&1 \
      || { cat "$DIR/format.log" >&2; nj_die "kafka storage format failed (log: $DIR/format.log)"; }
  fi
  nj_spawn "$NAME" "${KAFKA_JVM[@]}" kafka.Kafka "$DIR/server.properties"
  nj_wait_healthy "$NAME" 120 probe
}

case "${1:-}" in
  start) start ;;
  stop) nj_stop_pid "$NAME" 60 ;;
  status) nj_status "$NAME" probe ;;
  *) nj_usage ;;
esac
