#!/bin/sh
# create-topics.sh TOPICS_FILE: creates rampart's Kafka topics with
# kafka-topics.sh (Apache Kafka's CLI, $KAFKA_BIN, default /opt/kafka/bin).
# Each line of TOPICS_FILE: NAME PARTITIONS KEY=VALUE[,KEY=VALUE...]
# Idempotent: a topic that exists keeps its partition count (more partitions
# would move keys to other partitions, breaking per-container order) and
# gets the configs applied again (kafka-configs.sh --alter --add-config).
# Environment: KAFKA_BOOTSTRAP (required), REPLICATION_FACTOR (default 3),
# KAFKA_SECURITY_PROTOCOL, KAFKA_CA_FILE (PEM), KAFKA_CLIENT_DIR (tls.crt and
# an unencrypted PKCS#8 tls.key for mutual TLS), KAFKA_SASL_MECHANISM
# (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512), KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD.
set -eu
file=${1:?usage: create-topics.sh TOPICS_FILE}
bin=${KAFKA_BIN:-/opt/kafka/bin}
bootstrap=${KAFKA_BOOTSTRAP:?KAFKA_BOOTSTRAP is required}
rf=${REPLICATION_FACTOR:-3}
work=${TMPDIR:-/tmp}/rampart-topics.$$
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
props=$work/client.properties
: >"$props"
chmod 600 "$props"

# The Java client's form of the daemons' librdkafka settings.
if [ -n "${KAFKA_SECURITY_PROTOCOL:-}" ]; then
  echo "security.protocol=$KAFKA_SECURITY_PROTOCOL" >>"$props"
fi
if [ -n "${KAFKA_CA_FILE:-}" ] && [ -f "$KAFKA_CA_FILE" ]; then
  printf 'ssl.truststore.type=PEM\nssl.truststore.location=%s\n' "$KAFKA_CA_FILE" >>"$props"
fi
if [ -n "${KAFKA_CLIENT_DIR:-}" ] && [ -f "$KAFKA_CLIENT_DIR/tls.crt" ]; then
  cat "$KAFKA_CLIENT_DIR/tls.key" "$KAFKA_CLIENT_DIR/tls.crt" >"$work/client.pem"
  printf 'ssl.keystore.type=PEM\nssl.keystore.location=%s\n' "$work/client.pem" >>"$props"
fi
if [ -n "${KAFKA_SASL_MECHANISM:-}" ]; then
  case $KAFKA_SASL_MECHANISM in
  PLAIN) module=org.apache.kafka.common.security.plain.PlainLoginModule ;;
  SCRAM-SHA-256 | SCRAM-SHA-512) module=org.apache.kafka.common.security.scram.ScramLoginModule ;;
  *) echo "create-topics: unsupported SASL mechanism $KAFKA_SASL_MECHANISM" >&2; exit 2 ;;
  esac
  quote() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }
  printf 'sasl.mechanism=%s\nsasl.jaas.config=%s required username="%s" password="%s";\n' \
    "$KAFKA_SASL_MECHANISM" "$module" "$(quote "${KAFKA_SASL_USERNAME:-}")" \
    "$(quote "${KAFKA_SASL_PASSWORD:-}")" >>"$props"
fi

n=0
while read -r name partitions configs; do
  case $name in '' | '#'*) continue ;; esac
  set --
  if [ -n "$configs" ]; then
    old_ifs=$IFS; IFS=,
    for c in $configs; do set -- "$@" --config "$c"; done
    IFS=$old_ifs
  fi
  echo "create-topics: $name: $partitions partitions, replication $rf, $configs"
  "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --command-config "$props" \
    --create --if-not-exists --topic "$name" --partitions "$partitions" --replication-factor "$rf" "$@"
  if [ -n "$configs" ]; then
    "$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --command-config "$props" \
      --alter --entity-type topics --entity-name "$name" --add-config "$configs"
  fi
  n=$((n + 1))
done <"$file"
[ "$n" -gt 0 ] || { echo "create-topics: no topics in $file" >&2; exit 2; }
echo "create-topics: $n topics ready"
