#!/usr/bin/env bash
# LDAP: Debian's OpenLDAP slapd as our own process on a loopback port, with its own
# slapd.conf and data dir (not the system service), the suffix $NIGHTJAR_LDAP_SUFFIX, and
# a small Active Directory-like schema so the enrichment's AD defaults (sAMAccountName,
# userPrincipalName, binary objectSid, userAccountControl, memberOf) run unchanged.
# Tests load their users from an LDIF they write, under an OU of their own.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NAME=ldap
PORT="$NIGHTJAR_LDAP_PORT"
DIR="$NJ_STATE/$NAME"
URL="ldap://127.0.0.1:$PORT/"

probe() {
  # A real LDAP answer: the root DSE names our suffix.
  ldapsearch -x -LLL -o nettimeout=2 -H "$URL" -s base -b '' namingContexts 2>/dev/null | grep -qi "namingContexts: $NIGHTJAR_LDAP_SUFFIX"
}

install() {
  command -v slapd >/dev/null && command -v ldapsearch >/dev/null && [[ -x /usr/sbin/slapd ]] && return 0
  nj_say "installing slapd and ldap-utils with apt"
  command -v apt-get >/dev/null || nj_die "slapd is missing and there is no apt-get; install OpenLDAP slapd and ldap-utils"
  apt-cache policy slapd 2>/dev/null | grep -q 'Candidate: [0-9]' || apt-get update -qq
  # The package's own configuration and service are never used: we run our own slapd.
  echo 'slapd slapd/no_configuration boolean true' | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slapd ldap-utils >/dev/null
}

write_config() {
  # Attribute OIDs are Active Directory's own; the auxiliary class is a test-only OID.
  cat >"$DIR/ad-lite.schema" <<'SCHEMA'
attributetype ( 1.2.840.113556.1.4.221 NAME 'sAMAccountName' EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.656 NAME 'userPrincipalName' EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.146 NAME 'objectSid' EQUALITY octetStringMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.8 NAME 'userAccountControl' EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.2.102 NAME 'memberOf' EQUALITY distinguishedNameMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 )
attributetype ( 1.2.840.113556.1.2.141 NAME 'department' EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
objectclass ( 1.3.6.1.4.1.32473.7.1 NAME 'nightjarAdUser' SUP top AUXILIARY MAY ( sAMAccountName $ userPrincipalName $ objectSid $ userAccountControl $ memberOf $ department ) )
SCHEMA
  cat >"$DIR/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include $DIR/ad-lite.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile $DIR/slapd.pid
argsfile $DIR/slapd.args
database mdb
maxsize 268435456
suffix "$NIGHTJAR_LDAP_SUFFIX"
rootdn "$NIGHTJAR_LDAP_ADMIN_DN"
rootpw $NIGHTJAR_LDAP_ADMIN_PASSWORD
directory $DIR/data
index objectClass eq
index sAMAccountName,userPrincipalName,uid,mail eq
index objectSid eq
access to attrs=userPassword by anonymous auth by self write by * none
access to * by users read by * none
CONF
}

seed() {
  # The suffix entry, added offline the first time so tests only add below it.
  local dc="${NIGHTJAR_LDAP_SUFFIX%%,*}"
  printf 'dn: %s\nobjectClass: dcObject\nobjectClass: organization\n%s\no: Nightjar test directory\n' \
    "$NIGHTJAR_LDAP_SUFFIX" "dc: ${dc#dc=}" | slapadd -f "$DIR/slapd.conf" -b "$NIGHTJAR_LDAP_SUFFIX" >/dev/null
}

start() {
  nj_needs_start "$NAME" "$PORT" probe || return 0
  install
  mkdir -p "$DIR/data"
  write_config
  [[ -f "$DIR/data/data.mdb" ]] || seed
  # -d keeps slapd in the foreground (nj_spawn tracks its pid); level 0: errors only
  nj_spawn "$NAME" /usr/sbin/slapd -d 0 -h "$URL" -f "$DIR/slapd.conf"
  nj_wait_healthy "$NAME" 30 probe
}

case "${1:-}" in
  start) start ;;
  stop) nj_stop_pid "$NAME" 10 ;;
  status) nj_status "$NAME" probe ;;
  *) nj_usage ;;
esac
