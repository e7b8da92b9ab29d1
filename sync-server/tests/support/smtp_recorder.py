"""An SMTP server for the contact code tests: listens on 127.0.0.1:PORT,
accepts AUTH LOGIN/PLAIN for one user without TLS (loopback only), and
appends each accepted message to RECORD as one JSON line with the sender,
the recipients, the authenticated login, and the decoded subject and body.

Usage: smtp_recorder.py PORT RECORD USER PASSWORD [FAIL_FIRST [MODE CERT KEY]]
The first FAIL_FIRST messages get "451 4.3.0" (try again later). MODE
"starttls" requires STARTTLS before AUTH and MAIL; "tls" speaks TLS from
the first byte; CERT and KEY are the server's PEM files.
Prints "ready" once listening and stops when stdin closes.
"""

import email
import email.policy
import json
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, record, user, password = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
fail_first = int(sys.argv[5]) if len(sys.argv) > 5 else 0
mode = sys.argv[6] if len(sys.argv) > 6 else "plain"


class Recorder:
    def __init__(self):
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refused < fail_first:
            self.refused += 1
            return "451 4.3.0 Try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        login = session.auth_data.login.decode() if session.authenticated else None
        # STARTTLS sets session.ssl; implicit TLS shows on the transport.
        encrypted = (
            session.ssl is not None
            or server.transport.get_extra_info("ssl_object") is not None
        )
        entry = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "login": login,
            "encrypted": encrypted,
            "subject": str(message["subject"]),
            "content_type": message.get_content_type(),
            "body": message.get_content().strip(),
        }
        with open(record, "a", encoding="utf-8") as out:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")
        return "250 OK"


def authenticate(server, session, envelope, mechanism, auth_data):
    accepted = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login.decode() == user
        and auth_data.password.decode() == password
    )
    return AuthResult(success=accepted, handled=False, auth_data=auth_data if accepted else None)


# aiosmtpd counts only STARTTLS as TLS for AUTH, so implicit TLS (already
# encrypted) and plain loopback mode do not require it.
options = {"authenticator": authenticate, "auth_require_tls": mode == "starttls"}
if mode != "plain":
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(sys.argv[7], sys.argv[8])
    if mode == "starttls":
        options.update(tls_context=context, require_starttls=True)
    else:
        options.update(ssl_context=context)
controller = Controller(Recorder(), hostname="127.0.0.1", port=int(port), **options)
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
