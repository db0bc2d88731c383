#!/usr/bin/env bash
# A throwaway, real mail stack on loopback for end-to-end tests:
#
#   client --SMTP--> Postfix 127.0.0.1:$SMTP --LMTP--> Dovecot 127.0.0.1:$LMTP (Sieve) --> Maildir
#   client <--IMAP-- Dovecot 127.0.0.1:$IMAP
#
# Mailboxes: sales@example.test and lead1..leadN@lead.test, password "secret".
# TLS with a throwaway CA (DIR/tls/ca.crt; server certificate for localhost and 127.0.0.1):
# STARTTLS on $SMTP and $IMAP, implicit TLS on $SMTPS and $IMAPS; never required. SMTP AUTH
# PLAIN/LOGIN (Dovecot SASL, same passwords) is offered but optional for 127.0.0.1; it is
# answered by a second, auth-only Dovecot that comes and goes with Postfix, not with stop-imap.
# Everything (configs, queue, Maildirs, logs, pid files) lives under DIR; several stacks can run
# at once as long as each has its own DIR and ports. See scripts/README.md.
#
# Usage:
#   MAILSTACK_SMTP_PORT=.. MAILSTACK_LMTP_PORT=.. MAILSTACK_IMAP_PORT=.. mailstack.sh start DIR [NLEADS]
#   mailstack.sh stop DIR                      stop Postfix and Dovecot, forget DIR
#   mailstack.sh stop-imap DIR | start-imap DIR   Dovecot alone (IMAP and LMTP delivery)
#   mailstack.sh stop-smtp DIR | start-smtp DIR   Postfix alone
#   mailstack.sh vacation DIR LEAD TEXT [SUBJECT]  give LEAD (e.g. lead2) a Sieve vacation reply
#                                                  (SUBJECT "" = Dovecot's "Auto: <subject>")
#   mailstack.sh novacation DIR LEAD               remove it
#   mailstack.sh user DIR ADDRESS [PASSWORD]       add a mailbox (its domain is accepted too)
#   mailstack.sh deluser DIR ADDRESS               remove a mailbox (mail to it bounces again)
#   mailstack.sh refuse DIR ADDRESS "CODE TEXT"    Postfix answers RCPT TO:<ADDRESS> with it, e.g.
#                                                  "550 5.1.1 mailbox unavailable" or
#                                                  "451 4.7.1 try again later"
#   mailstack.sh unrefuse DIR ADDRESS              accept ADDRESS again
#   mailstack.sh ports DIR                         print SMTP_PORT=.. LMTP_PORT=.. IMAP_PORT=..
#                                                  SMTPS_PORT=.. IMAPS_PORT=..
#   mailstack.sh install                           install Postfix/Dovecot/openssl if missing (apt)
#
# Ports default to 12525 (SMTP), 12424 (LMTP), 11143 (IMAP), 12465 (SMTPS), 11993 (IMAPS); a port
# given in MAILSTACK_*_PORT must be free, while the SMTPS/IMAPS defaults move up to the next free
# port when taken. `start` records them in DIR/stack.env, and every later command reads them there.
# MAILSTACK_VACATION_SECONDS=N makes `vacation` answer at most once per N seconds per sender
# (0: every mail) instead of the usual once a day. MAILSTACK_VACATION_FROM="Name <addr>" sets
# the reply's From (default: the lead's bare address).
# MAILSTACK_NO_IDLE=1 (at `start`) takes IDLE out of Dovecot's capabilities, for the tests of
# the polling fallback (servers without IDLE).
# MAILSTACK_OAUTH=1 (at `start`) makes both Dovecots (IMAP, and Postfix's SMTP AUTH) accept
# only OAuth2 bearer tokens, over SASL XOAUTH2 and OAUTHBEARER (MAILSTACK_OAUTH=xoauth2: over
# XOAUTH2 only, as Microsoft 365) (`passdb oauth2`; a password login is refused): JWTs signed
# HS256 with the key in DIR/oauth/key.b64, validated locally, the login from their `email` claim.
# MAILSTACK_SENT_FOLDER=NAME (at `start`) gives every mailbox a folder NAME (created at login)
# marked \Sent (RFC 6154 SPECIAL-USE), as Gmail's "[Gmail]/Sent Mail" or a German Outlook's
# "Gesendete Elemente" are: clients find it by the mark, not by the name.
set -euo pipefail

PF_MAIN=/etc/postfix/main.cf
if [ -d /run/lock ] && [ -w /run/lock ]; then LOCK=/run/lock/cadenced-mailstack.lock; else LOCK=/tmp/cadenced-mailstack.lock; fi

die() { echo "mailstack: $*" >&2; exit 1; }

usage() { sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//' >&2; exit 2; }

# Wait (bounded) until 127.0.0.1:$1 accepts (want=up) or refuses (want=down) connections.
wait_port() {
  local port=$1 want=$2 secs=${3:-15} i
  for ((i = 0; i < secs * 20; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      [ "$want" = up ] && return 0
    else
      [ "$want" = down ] && return 0
    fi
    sleep 0.05
  done
  return 1
}

# Wait (bounded) until process $1 has exited.
wait_pid_gone() {
  local pid=$1 i
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.05
  done
  return 1
}

PACKAGES=(postfix dovecot-imapd dovecot-lmtpd dovecot-sieve openssl)

install_packages() {
  if command -v dovecot >/dev/null && command -v postfix >/dev/null && command -v openssl >/dev/null \
    && [ -e /usr/lib/dovecot/lmtp ] && [ -e /usr/lib/dovecot/modules/lib90_sieve_plugin.so ]; then
    return 0
  fi
  [ "$(id -u)" = 0 ] || die "Postfix/Dovecot/openssl missing and not root: apt-get install ${PACKAGES[*]}"
  export DEBIAN_FRONTEND=noninteractive
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  local apt=(apt-get -o DPkg::Lock::Timeout=300)
  if ! "${apt[@]}" install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null 2>&1; then
    "${apt[@]}" update -qq >/dev/null
    "${apt[@]}" install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The port in env var $1 (which must then be free), else the first free one from default $2 up.
pick_port() { # VAR DEFAULT
  local var=$1 p=${!1:-}
  if [ -n "$p" ]; then
    [[ "$p" =~ ^[0-9]+$ ]] || die "bad port '$p' in $var"
    port_in_use "$p" && die "port $p ($var) is already in use"
    echo "$p"
    return
  fi
  for ((p = $2; p < $2 + 100; p++)); do
    port_in_use "$p" || { echo "$p"; return; }
  done
  die "no free port in $2..$(($2 + 99)) for $var"
}

# A throwaway CA and a server certificate for localhost and 127.0.0.1 (P-256 keys: fast), in
# DIR/tls: ca.crt (what clients trust), ca.key, server.crt, server.key.
make_certs() {
  local T="$D/tls" days=30
  mkdir -p "$T"
  (
    umask 077
    openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 \
      -keyout "$T/ca.key" -out "$T/ca.crt" -days "$days" \
      -subj "/O=cadenced mailstack/CN=cadenced mailstack test CA $(basename "$D")" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 \
      -keyout "$T/server.key" -out "$T/server.csr" -subj "/O=cadenced mailstack/CN=localhost"
    printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "basicConstraints=critical,CA:FALSE" \
      "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" >"$T/server.ext"
    openssl x509 -req -in "$T/server.csr" -CA "$T/ca.crt" -CAkey "$T/ca.key" \
      -set_serial "0x$(openssl rand -hex 12)" -sha256 -days "$days" -extfile "$T/server.ext" \
      -out "$T/server.crt"
  ) </dev/null >"$D/tls.log" 2>&1 || { show_logs "$D/tls.log"; die "openssl could not make the test CA/certificate"; }
  chmod 0644 "$T/ca.crt" "$T/server.crt"
  chmod 0755 "$T"
}

# The reply (one line, the last of a multi-line one) Postfix gives a probe's RCPT TO:<$1>, or
# "" if the conversation failed. Plain SMTP from 127.0.0.1 (no AUTH, no TLS).
rcpt_reply() {
  local addr=$1 line
  exec 4<>"/dev/tcp/127.0.0.1/$SMTP_PORT" || { echo ""; return 0; }
  reply4() { while IFS= read -r -t 5 line <&4; do line=${line%$'\r'}; [ "${line:3:1}" = "-" ] || { echo "$line"; return 0; }; done; echo ""; }
  reply4 >/dev/null
  printf 'EHLO probe.example.test\r\n' >&4; reply4 >/dev/null
  printf 'MAIL FROM:<probe@example.test>\r\n' >&4; reply4 >/dev/null
  printf 'RCPT TO:<%s>\r\n' "$addr" >&4; reply4
  printf 'QUIT\r\n' >&4 2>/dev/null || true
  exec 4<&-
}

# After `postfix reload`, poll (bounded) until two probes in a row get an answer that pred($reply)
# accepts: the new access map is in use, and the old smtpd processes have gone.
await_rcpt() { # ADDRESS PRED
  local addr=$1 pred=$2 i ok=0 reply=""
  for ((i = 0; i < 200; i++)); do
    reply=$(rcpt_reply "$addr")
    if "$pred" "$reply"; then ok=$((ok + 1)); [ $ok -ge 2 ] && return 0; else ok=0; fi
    sleep 0.05
  done
  show_logs "$D/postfix/maillog"
  die "Postfix did not take up the access map for $addr (last RCPT reply: '$reply')"
}

# Rewrite DIR/postfix/recipient_access without ADDRESS (and with "ADDRESS ANSWER" if given), then
# make the running Postfix use it.
set_access() { # ADDRESS [ANSWER]
  local addr=$1 answer=${2:-} F="$D/postfix/recipient_access"
  touch "$F"
  awk -v a="$addr" 'tolower($1) != a' "$F" >"$F.tmp"
  [ -n "$answer" ] && printf '%s %s\n' "$addr" "$answer" >>"$F.tmp"
  mv "$F.tmp" "$F"
  backdate "$F"
  if postfix_running; then
    postfix -c "$D/postfix" reload </dev/null >/dev/null 2>&1 || die "postfix reload failed"
  fi
}

# Postfix refuses `postfix -c DIR` unless DIR is listed in /etc/postfix/main.cf's
# alternate_config_directories. Each stack adds its own directory there under an exclusive flock
# (and drops entries whose directory no longer exists); `stop` removes it again. postconf -e
# replaces main.cf by rename, so a Postfix command of another stack reading it meanwhile sees
# either the old or the new list, both of which contain its own directory.
pf_register() { # add|remove DIR
  local op=$1 dir=$2
  (
    flock -w 60 9 || die "could not lock $LOCK"
    if [ ! -s "$PF_MAIN" ]; then
      mkdir -p /etc/postfix
      printf 'compatibility_level = 3.6\n' >"$PF_MAIN"
    fi
    local cur entry new=()
    # Read the value ourselves: postconf would first wait for main.cf to be a second old.
    cur=$(sed -n 's/^alternate_config_directories[[:space:]]*=//p' "$PF_MAIN" | tail -1)
    for entry in ${cur//,/ }; do
      [ "$entry" = "$dir" ] && continue
      [ -d "$entry" ] || continue
      new+=("$entry")
    done
    [ "$op" = add ] && new+=("$dir")
    postconf -c /etc/postfix -e "alternate_config_directories = ${new[*]:-}"
    backdate "$PF_MAIN"
  ) 9>>"$LOCK"
}

# Postfix re-reads a configuration file changed within the last second until it is a second old
# (dict_load_file's race guard), which costs 1-2 s per start. Our writes are complete: backdate.
backdate() { touch -d "@$(($(date +%s) - 2))" "$@"; }

# Print the last lines of whichever of these logs exist (for failure messages; never fails).
show_logs() { local f; for f in "$@"; do [ -s "$f" ] && { echo "--- $f" >&2; tail -20 "$f" >&2; }; done; return 0; }

print_ports() {
  printf 'SMTP_PORT=%s\nLMTP_PORT=%s\nIMAP_PORT=%s\nSMTPS_PORT=%s\nIMAPS_PORT=%s\n' \
    "$SMTP_PORT" "$LMTP_PORT" "$IMAP_PORT" "$SMTPS_PORT" "$IMAPS_PORT"
}

load_env() {
  [ -f "$D/stack.env" ] || die "$D is not a mail stack directory (no stack.env)"
  # shellcheck disable=SC1091
  . "$D/stack.env"
  SMTPS_PORT=${SMTPS_PORT:-} IMAPS_PORT=${IMAPS_PORT:-}
}

start_dovecot() {
  # Daemons must not inherit our stdout/stderr: a caller reading them to EOF would hang.
  dovecot -c "$D/dovecot.conf" </dev/null >>"$D/dovecot-start.log" 2>&1 \
    || { show_logs "$D/dovecot-start.log" "$D/dovecot.log"; die "dovecot failed to start"; }
  wait_port "$IMAP_PORT" up || { show_logs "$D/dovecot.log"; die "IMAP not up on 127.0.0.1:$IMAP_PORT"; }
  wait_port "$LMTP_PORT" up || { show_logs "$D/dovecot.log"; die "LMTP not up on 127.0.0.1:$LMTP_PORT"; }
  [ -z "$IMAPS_PORT" ] || wait_port "$IMAPS_PORT" up || { show_logs "$D/dovecot.log"; die "IMAPS not up on 127.0.0.1:$IMAPS_PORT"; }
}

# Stopping is a signal then a (bounded) wait; `stop` signals both servers first and then waits,
# so the two shutdowns (1-3 s each) overlap.
dovecot_pid() { [ -f "$D/run/master.pid" ] && cat "$D/run/master.pid" || true; }
postfix_pid() { [ -f "$D/postfix/spool/pid/master.pid" ] && tr -d ' ' <"$D/postfix/spool/pid/master.pid" || true; }

postfix_running() { local pid; pid=$(postfix_pid); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

signal_dovecot() { local pid; pid=$(dovecot_pid); [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; }
signal_postfix() { postfix -c "$D/postfix" stop </dev/null >/dev/null 2>&1 || true; }

await_gone() { # PID PORT
  local pid=$1 port=$2
  if [ -n "$pid" ] && ! wait_pid_gone "$pid"; then kill -9 "$pid" 2>/dev/null || true; fi
  wait_port "$port" down 5 || true
}

stop_dovecot() { local pid; pid=$(dovecot_pid); signal_dovecot; await_gone "$pid" "$IMAP_PORT"; rm -f "$D/run/master.pid"; }

# The auth-only Dovecot that answers Postfix's SMTP AUTH; it comes and goes with Postfix.
sasl_pid() { [ -f "$D/sasl/run/master.pid" ] && cat "$D/sasl/run/master.pid" || true; }
sasl_running() { local pid; pid=$(sasl_pid); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

start_sasl() {
  [ -f "$D/sasl/dovecot.conf" ] || return 0
  sasl_running && return 0
  dovecot -c "$D/sasl/dovecot.conf" </dev/null >>"$D/dovecot-sasl-start.log" 2>&1 \
    || { show_logs "$D/dovecot-sasl-start.log" "$D/dovecot-sasl.log"; die "dovecot (SASL for Postfix) failed to start"; }
  local i
  for ((i = 0; i < 300; i++)); do
    [ -S "$D/sasl/run/auth-postfix" ] && return 0
    sleep 0.05
  done
  show_logs "$D/dovecot-sasl.log"
  die "no SASL socket $D/sasl/run/auth-postfix"
}

# The config files of the running Dovecots (IMAP/LMTP, SASL), one a line.
running_dovecot_confs() {
  [ -z "$(dovecot_pid)" ] || echo "$D/dovecot.conf"
  ! sasl_running || echo "$D/sasl/dovecot.conf"
}

signal_sasl() { local pid; pid=$(sasl_pid); [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; }

await_sasl_gone() { # PID
  if [ -n "$1" ] && ! wait_pid_gone "$1"; then kill -9 "$1" 2>/dev/null || true; fi
  rm -f "$D/sasl/run/master.pid"
}

start_postfix() {
  local P="$D/postfix"
  start_sasl
  # A Postfix stopped under load can leave a half-written file in its queue; on start,
  # postsuper (running as mail_owner) warns about it and must be able to write the log,
  # else the start fails ("open logfile: Permission denied", "integrity check failed").
  [ ! -e "$P/maillog" ] || chown postfix "$P/maillog"
  postfix -c "$P" start </dev/null >>"$D/postfix-start.log" 2>&1 || { show_logs "$D/postfix-start.log" "$P/maillog"; die "postfix failed to start (is port $SMTP_PORT free?)"; }
  wait_port "$SMTP_PORT" up || { show_logs "$P/maillog"; die "SMTP not up on 127.0.0.1:$SMTP_PORT"; }
  [ -z "$SMTPS_PORT" ] || wait_port "$SMTPS_PORT" up || { show_logs "$P/maillog"; die "SMTPS not up on 127.0.0.1:$SMTPS_PORT"; }
}

stop_postfix() {
  local pid spid; pid=$(postfix_pid); spid=$(sasl_pid)
  signal_postfix; signal_sasl
  await_gone "$pid" "$SMTP_PORT"; await_sasl_gone "$spid"
}

write_sieve_vacation() { # LEAD TEXT SUBJECT
  local lead=$1 text=$2 subj=$3 addr user domain H req period
  case "$lead" in *@*) addr=$lead ;; *) addr="$lead@lead.test" ;; esac
  user=${addr%@*}; domain=${addr#*@}
  H="$D/home/$domain/$user"
  mkdir -p "$H"
  local args=""
  sieve_quote() { local v=$1; v=${v//\\/\\\\}; v=${v//\"/\\\"}; printf '"%s"' "$v"; }
  # An empty SUBJECT leaves Dovecot's default ("Auto: <original subject>").
  [ -n "$subj" ] && args+=" :subject $(sieve_quote "$subj")"
  [ -n "${MAILSTACK_VACATION_FROM:-}" ] && args+=" :from $(sieve_quote "$MAILSTACK_VACATION_FROM")"
  if [ -n "${MAILSTACK_VACATION_SECONDS:-}" ]; then
    req='require ["vacation", "vacation-seconds"];'
    period=":seconds ${MAILSTACK_VACATION_SECONDS}"
  else
    req='require ["vacation"];'
    period=":days 1"
  fi
  {
    echo "$req"
    echo "vacation $period$args text:"
    # Sieve multi-line string: a line starting with "." is dot-stuffed, "." alone ends it.
    printf '%s\n' "$text" | sed 's/^\./../'
    echo "."
    echo ";"
  } >"$H/.dovecot.sieve.tmp"
  mv "$H/.dovecot.sieve.tmp" "$H/.dovecot.sieve"
  rm -f "$H/.dovecot.svbin"
  chown -R vmail:vmail "$H"
}

[ $# -ge 1 ] || usage
cmd=$1
if [ "$cmd" = install ]; then install_packages; exit 0; fi
[ $# -ge 2 ] || usage
D=$(realpath -m "$2")

case "$cmd" in
start)
  N=${3:-5}
  [ "$(id -u)" = 0 ] || die "must run as root (Postfix and Dovecot drop privileges themselves)"
  install_packages
  SMTP_PORT=${MAILSTACK_SMTP_PORT:-12525}
  LMTP_PORT=${MAILSTACK_LMTP_PORT:-12424}
  IMAP_PORT=${MAILSTACK_IMAP_PORT:-11143}
  for p in "$SMTP_PORT" "$LMTP_PORT" "$IMAP_PORT"; do
    [[ "$p" =~ ^[0-9]+$ ]] || die "bad port '$p'"
    if port_in_use "$p"; then die "port $p is already in use"; fi
  done
  SMTPS_PORT=$(pick_port MAILSTACK_SMTPS_PORT 12465)
  IMAPS_PORT=$(pick_port MAILSTACK_IMAPS_PORT 11993)
  [ "$(printf '%s\n' "$SMTP_PORT" "$LMTP_PORT" "$IMAP_PORT" "$SMTPS_PORT" "$IMAPS_PORT" | sort -u | wc -l)" = 5 ] \
    || die "the five ports must differ: $SMTP_PORT $LMTP_PORT $IMAP_PORT $SMTPS_PORT $IMAPS_PORT"
  id vmail >/dev/null 2>&1 || useradd -r -M -d /nonexistent -s /usr/sbin/nologin vmail 2>/dev/null || id vmail >/dev/null
  VU=$(id -u vmail); VG=$(id -g vmail)
  [ -f "$D/stack.env" ] && die "$D already holds a stack (stop it first or use a fresh directory)"
  mkdir -p "$D"/{run,state,mail,home,postfix/spool,postfix/data,sasl/run,sasl/state}
  # Dovecot's mail processes run as vmail and must traverse DIR (tempdirs are 0700).
  chmod 0755 "$D"
  make_certs
  print_ports >"$D/stack.env"
  # On failure below, take down whatever already started.
  trap 'rc=$?; if [ $rc -ne 0 ]; then stop_postfix; stop_dovecot; pf_register remove "$D/postfix"; fi' EXIT
  {
    echo "sales@example.test:{PLAIN}secret"
    for i in $(seq 1 "$N"); do echo "lead$i@lead.test:{PLAIN}secret"; done
  } >"$D/users"
  cat >"$D/dovecot.conf" <<CONF
instance_name = mailstack-$(basename "$D")
base_dir = $D/run
state_dir = $D/state
log_path = $D/dovecot.log
hostname = mx.lead.test
protocols = imap lmtp
listen = 127.0.0.1
# TLS offered (STARTTLS on imap, implicit on imaps), never required; plaintext login allowed.
ssl = yes
ssl_cert = <$D/tls/server.crt
ssl_key = <$D/tls/server.key
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:$D/mail/%d/%n
first_valid_uid = $VU
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $D/users
}
userdb {
  driver = static
  args = uid=$VU gid=$VG home=$D/home/%d/%n
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
    ssl = yes
  }
}

service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LMTP_PORT
  }
}
protocol lmtp {
  mail_plugins = sieve
  postmaster_address = postmaster@lead.test
}
submission_host = 127.0.0.1:$SMTP_PORT
plugin {
  sieve = file:~/sieve;active=~/.dovecot.sieve
  sieve_extensions = +vacation-seconds
  sieve_vacation_min_period = 0
}
CONF
  if [ -n "${MAILSTACK_SENT_FOLDER:-}" ]; then
    case "$MAILSTACK_SENT_FOLDER" in *[\"\\.]*) die "MAILSTACK_SENT_FOLDER: no quotes, backslashes or dots" ;; esac
    cat >>"$D/dovecot.conf" <<CONF
namespace inbox {
  inbox = yes
  mailbox "$MAILSTACK_SENT_FOLDER" {
    special_use = \\Sent
    auto = create
  }
}
CONF
  fi
  if [ -n "${MAILSTACK_NO_IDLE:-}" ]; then
    # Dovecot's default capabilities less IDLE (imap_capability replaces the whole list).
    cat >>"$D/dovecot.conf" <<'CONF'
protocol imap {
  imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT THREAD=REFERENCES MULTIAPPEND UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 ESEARCH SEARCHRES LITERAL+ MOVE SPECIAL-USE
}
CONF
  fi
  # Postfix's SMTP AUTH asks a second, auth-only Dovecot (same users file): with the main one's
  # auth, stop-imap would make every smtpd exit ("fatal: no SASL authentication mechanisms")
  # and Postfix refuse mail for 60 s, where it must queue it.
  cat >"$D/sasl/dovecot.conf" <<CONF
instance_name = mailstack-sasl-$(basename "$D")
base_dir = $D/sasl/run
state_dir = $D/sasl/state
log_path = $D/dovecot-sasl.log
protocols =
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = $VU
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $D/users
}
userdb {
  driver = static
  args = uid=$VU gid=$VG home=$D/home/%d/%n
}
service auth {
  unix_listener auth-postfix {
    mode = 0660
    user = postfix
    group = postfix
  }
}
CONF
  if [ -n "${MAILSTACK_OAUTH:-}" ]; then
    case "$MAILSTACK_OAUTH" in xoauth2) mechs=xoauth2 ;; *) mechs="xoauth2 oauthbearer" ;; esac
    # Dovecot looks the key up as <prefix><azp>/<alg>/<kid>: "default" when the token names none.
    mkdir -p "$D/oauth/keys/default/HS256"
    head -c 32 /dev/urandom | base64 -w0 >"$D/oauth/key.b64"
    cp "$D/oauth/key.b64" "$D/oauth/keys/default/HS256/default"
    cat >"$D/oauth/oauth2.conf.ext" <<CONF
introspection_mode = local
local_validation_key_dict = fs:posix:prefix=$D/oauth/keys/
username_attribute = email
CONF
    chmod -R a+rX "$D/oauth"
    for conf in "$D/dovecot.conf" "$D/sasl/dovecot.conf"; do
      sed -i "s|^auth_mechanisms = plain login\$|auth_mechanisms = $mechs\npassdb {\n  driver = oauth2\n  mechanisms = $mechs\n  args = $D/oauth/oauth2.conf.ext\n}|" "$conf"
    done
  fi
  chown vmail:vmail "$D/mail" "$D/home"
  P="$D/postfix"
  cp /usr/share/postfix/master.cf.dist "$P/master.cf" 2>/dev/null || cp /etc/postfix/master.cf "$P/master.cf"
  cat >"$P/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $P/spool
data_directory = $P/data
mail_owner = postfix
myhostname = mx.example.test
mydomain = example.test
myorigin = example.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject
# Refusals set by "mailstack.sh refuse" (checked before anything is permitted).
smtpd_recipient_restrictions = check_recipient_access texthash:$P/recipient_access, permit_mynetworks, permit_sasl_authenticated, reject
# SMTP AUTH through Dovecot, offered with and without TLS, optional for mynetworks.
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = $D/sasl/run/auth-postfix
smtpd_sasl_security_options = noanonymous
smtpd_tls_auth_only = no
# STARTTLS offered (not required); port $SMTPS_PORT speaks TLS from the start.
smtpd_tls_security_level = may
smtpd_tls_cert_file = $D/tls/server.crt
smtpd_tls_key_file = $D/tls/server.key
smtpd_tls_loglevel = 1
virtual_mailbox_domains = example.test, lead.test
virtual_transport = lmtp:inet:127.0.0.1:$LMTP_PORT
maillog_file_prefixes = $D
maillog_file = $P/maillog
smtputf8_enable = no
biff = no
# Tests stop and restart Dovecot: retry deferred mail within seconds, not minutes.
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 3s
CONF
  # The SMTP listener on our port instead of 25, and no chroot anywhere.
  postconf -c "$P" -M# smtp/inet
  postconf -c "$P" -M "$SMTP_PORT/inet=$SMTP_PORT inet n - n - - smtpd"
  postconf -c "$P" -M "$SMTPS_PORT/inet=$SMTPS_PORT inet n - n - - smtpd"
  postconf -c "$P" -P "$SMTPS_PORT/inet/smtpd_tls_wrappermode=yes"
  : >"$P/recipient_access"
  postconf -c "$P" -F '*/*/chroot = n'
  backdate "$P/main.cf" "$P/master.cf" "$P/recipient_access"
  pf_register add "$P"
  chown postfix "$P/data"
  start_dovecot
  start_postfix
  trap - EXIT
  echo "mailstack up in $D (smtp 127.0.0.1:$SMTP_PORT, lmtp $LMTP_PORT, imap $IMAP_PORT, smtps $SMTPS_PORT, imaps $IMAPS_PORT, CA $D/tls/ca.crt)"
  ;;
stop)
  [ -f "$D/stack.env" ] || exit 0
  load_env
  ppid_=$(postfix_pid); dpid=$(dovecot_pid); spid=$(sasl_pid)
  signal_postfix; signal_dovecot; signal_sasl
  await_gone "$ppid_" "$SMTP_PORT"; await_gone "$dpid" "$IMAP_PORT"; await_sasl_gone "$spid"
  rm -f "$D/run/master.pid"
  pf_register remove "$D/postfix"
  ;;
stop-imap) load_env; stop_dovecot ;;
start-imap)
  load_env
  start_dovecot
  # Mail queued while Dovecot was down goes now, not after Postfix's next backoff (1-3 s,
  # longer on a loaded machine).
  if postfix_running; then postfix -c "$D/postfix" flush </dev/null >/dev/null 2>&1 || true; fi
  ;;
stop-smtp) load_env; stop_postfix ;;
start-smtp) load_env; start_postfix ;;
ports) load_env; print_ports ;;
vacation)
  [ $# -ge 4 ] || usage
  load_env
  write_sieve_vacation "$3" "$4" "${5-Out of office}"
  ;;
novacation)
  [ $# -ge 3 ] || usage
  load_env
  lead=$3; case "$lead" in *@*) ;; *) lead="$lead@lead.test" ;; esac
  rm -f "$D/home/${lead#*@}/${lead%@*}/.dovecot.sieve" "$D/home/${lead#*@}/${lead%@*}/.dovecot.svbin"
  ;;
user)
  [ $# -ge 3 ] || usage
  load_env
  addr=$3; pw=${4:-secret}
  [[ "$addr" == *@* ]] || die "user: ADDRESS must be user@domain"
  domain=${addr#*@}
  grep -q "^$addr:" "$D/users" || echo "$addr:{PLAIN}$pw" >>"$D/users"
  # Dovecot re-reads the users file at most once a second: wait (bounded) until it knows the user.
  mapfile -t confs < <(running_dovecot_confs)
  for conf in "${confs[@]}"; do
    for ((i = 0; i < 100; i++)); do
      doveadm -c "$conf" user "$addr" >/dev/null 2>&1 && break
      sleep 0.05
    done
  done
  P="$D/postfix"
  doms=$(sed -n 's/^virtual_mailbox_domains[[:space:]]*=[[:space:]]*//p' "$P/main.cf" | tail -1)
  if ! [[ ", $doms," == *", $domain,"* ]]; then
    postconf -c "$P" -e "virtual_mailbox_domains = $doms, $domain"
    backdate "$P/main.cf"
    if [ -f "$P/spool/pid/master.pid" ]; then postfix -c "$P" reload >/dev/null 2>&1 || true; fi
  fi
  ;;
deluser)
  [ $# -ge 3 ] || usage
  load_env
  addr=$3
  grep -v "^$addr:" "$D/users" >"$D/users.tmp" || true
  mv "$D/users.tmp" "$D/users"
  mapfile -t confs < <(running_dovecot_confs)
  for conf in "${confs[@]}"; do
    for ((i = 0; i < 100; i++)); do
      doveadm -c "$conf" user "$addr" >/dev/null 2>&1 || break
      sleep 0.05
    done
  done
  ;;
refuse)
  [ $# -ge 4 ] || usage
  load_env
  addr=$(printf '%s' "$3" | tr '[:upper:]' '[:lower:]'); answer=$4
  [[ "$addr" == *@* && "$addr" != *[[:space:]]* ]] || die "refuse: ADDRESS must be user@domain"
  [[ "$answer" =~ ^([45][0-9][0-9])([[:space:]]+([45]\.[0-9]{1,3}\.[0-9]{1,3}))?([[:space:]]+(.*))?$ ]] \
    || die "refuse: ANSWER must be \"4xx|5xx [x.y.z] text\", got '$answer'"
  want_code=${BASH_REMATCH[1]} want_text=${BASH_REMATCH[5]}
  set_access "$addr" "$answer"
  # Postfix answers "550 5.1.1 <addr>: Recipient address rejected: TEXT".
  refused_as_asked() { [[ "$1" == "$want_code "* && "$1" == *"$want_text" ]]; }
  ! postfix_running || await_rcpt "$addr" refused_as_asked
  ;;
unrefuse)
  [ $# -ge 3 ] || usage
  load_env
  addr=$(printf '%s' "$3" | tr '[:upper:]' '[:lower:]')
  F="$D/postfix/recipient_access"
  old=$(awk -v a="$addr" 'tolower($1) == a { $1 = ""; sub(/^ +/, ""); print }' "$F" 2>/dev/null | tail -1)
  [ -n "$old" ] || exit 0
  set_access "$addr"
  old_code=${old:0:3}
  not_refused() { [ -n "$1" ] && [[ "$1" != "$old_code "* ]]; }
  ! postfix_running || await_rcpt "$addr" not_refused
  ;;
*) usage ;;
esac
