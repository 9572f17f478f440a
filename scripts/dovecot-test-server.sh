#!/usr/bin/env bash
# A throwaway Dovecot IMAP server on loopback for the mail intake tests (issue 13):
#   dovecot-test-server.sh start DIR STARTTLS_PORT TLS_PORT   writes a self-signed certificate for 127.0.0.1, one
#                                                              mailbox (kefu@test / secret-pass, Maildir under
#                                                              DIR/mail) and starts Dovecot; plain-text login is
#                                                              refused until STARTTLS, as a real mail service does
#   dovecot-test-server.sh stop DIR
# Installs dovecot-imapd from apt when missing (as root).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
LIB_NAME=dovecot

command=${1:?start or stop}
dir=${2:?directory}
case "$command" in
start)
    starttls_port=${3:?STARTTLS port}
    tls_port=${4:?TLS port}
    ensure_apt_packages dovecot-imapd=/usr/sbin/dovecot openssl=openssl
    if [ -f "$dir/run/master.pid" ]; then /usr/sbin/dovecot -c "$dir/dovecot.conf" stop 2>/dev/null || true; fi
    rm -rf "$dir"
    mkdir -p "$dir/run" "$dir/state" "$dir/mail"
    chmod 755 "$dir" "$dir/run"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/key.pem" -out "$dir/cert.pem" -days 3 \
        -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2>/dev/null
    echo "kefu@test:{PLAIN}secret-pass::::::" >"$dir/passwd"
    # Dovecot never reads mail as root: as root, the mailbox belongs to nobody; the tests drop messages into its
    # Maildir's new/ directory, which anyone may write.
    mail_uid=$(id -u)
    mail_gid=$(id -g)
    if [ "$mail_uid" = 0 ]; then
        mail_uid=$(id -u nobody)
        mail_gid=$(id -g nobody)
    fi
    maildir="$dir/mail/kefu@test/Maildir"
    mkdir -p "$maildir/new" "$maildir/cur" "$maildir/tmp"
    chown -R "$mail_uid:$mail_gid" "$dir/mail"
    chmod 777 "$maildir/new"
    cat >"$dir/dovecot.conf" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
ssl = required
ssl_cert = <$dir/cert.pem
ssl_key = <$dir/key.pem
disable_plaintext_auth = yes
auth_mechanisms = plain login
passdb {
  driver = passwd-file
  args = $dir/passwd
}
userdb {
  driver = static
  args = uid=$mail_uid gid=$mail_gid home=$dir/mail/%u
}
mail_location = maildir:~/Maildir
service imap-login {
  inet_listener imap {
    port = $starttls_port
  }
  inet_listener imaps {
    port = $tls_port
    ssl = yes
  }
}
CONF
    # Its own log file only: the daemon must not keep the caller's stdout open (a `| tee` would never end).
    /usr/sbin/dovecot -c "$dir/dovecot.conf" </dev/null >/dev/null 2>&1
    for _ in $(seq 1 50); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$tls_port") 2>/dev/null; then exit 0; fi
        sleep 0.1
    done
    echo "dovecot did not start; its log:" >&2
    cat "$dir/dovecot.log" >&2 || true
    exit 1
    ;;
stop)
    if [ -f "$dir/dovecot.conf" ]; then /usr/sbin/dovecot -c "$dir/dovecot.conf" stop 2>/dev/null || true; fi
    ;;
*)
    echo "usage: $0 start DIR STARTTLS_PORT TLS_PORT | stop DIR" >&2
    exit 2
    ;;
esac
