#!/usr/bin/env python3
"""Capture real bounces and out-of-office replies into tests/fixtures/eml/real/.

A developer tool, not part of scripts/test: it starts a real mail stack (scripts/mailstack.sh),
gives leads Sieve vacation replies, sends human-looking steps from sales@example.test over SMTP,
and copies the messages that land in sales's Maildir, byte for byte, to
tests/fixtures/eml/real/real-NNN-name.eml. It then writes MANIFEST.md from the table below and
the Date headers actually received.

    sudo scripts/capture-real-fixtures.py [OUTDIR]

Re-running replaces the files: every Date, Message-ID and queue id changes, and the return dates
in the table are written relative to the day the current files were captured (2026-11-26).
"""

import email
import email.policy
import os
import shutil
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from email.message import EmailMessage
from email.utils import format_datetime, localtime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAILSTACK = os.path.join(ROOT, "scripts", "mailstack.sh")
SENDER = "Sam Carter <sales@example.test>"

# name, lead mailbox, lead display name, vacation subject ("" = Dovecot default "Auto: ..."),
# vacation From (None = bare address), text, human return date, note
VACATIONS = [
    ("010", "vacation-en-until-weekday", "lead1", "Michael Brown", "Out of Office", None,
     """Hello,

Thank you for your email. I am out of the office until Friday, December 4, with limited
access to email. I will respond to your message as soon as possible after my return.

For urgent matters, please contact my colleague Jane Doe at jane.doe@lead.test or
+1 (415) 555-0134.

Best regards,
Michael Brown
Head of Procurement, Lead Industries Inc.
1200 Market Street, Suite 400, San Francisco, CA 94102""",
     "2026-12-07", "'until Friday, December 4' -> next business day, Monday"),
    ("011", "vacation-en-back-on", "lead2", "Emily Clarke", "", "Emily Clarke <lead2@lead.test>",
     """Hi,

I'm on annual leave and will be back in the office on Monday 14th December. I won't be
checking emails while I'm away.

If your enquiry is urgent, please call the main office on 020 7946 0958.

Many thanks,
Emily""",
     "2026-12-14", "'back ... on Monday 14th December' gives that day; subject left to Dovecot (Auto: ...)"),
    ("012", "vacation-de-bis-einschliesslich", "lead3", "Jonas Becker", "Abwesenheitsnotiz",
     "Jonas Becker <lead3@lead.test>",
     """Sehr geehrte Damen und Herren,

vielen Dank für Ihre Nachricht. Ich bin bis einschließlich 12. Januar nicht im Büro und habe
in dieser Zeit keinen Zugriff auf meine E-Mails. Ihre Nachricht wird nicht weitergeleitet.

In dringenden Fällen wenden Sie sich bitte an meine Kollegin Frau Weber unter
+49 30 1234567-12 oder an vertrieb@lead.test.

Mit freundlichen Grüßen
Jonas Becker
Lead GmbH · Friedrichstraße 123 · 10117 Berlin""",
     "2027-01-13", "'bis einschließlich 12. Januar' (Tue) -> next business day; year left out -> next occurrence (2027)"),
    ("013", "vacation-fr-de-retour", "lead4", "Claire Dubois", "Absence du bureau",
     "Claire Dubois <lead4@lead.test>",
     """Bonjour,

Je suis actuellement en congés et n'ai qu'un accès limité à mes e-mails. Je serai de retour
le lundi 4 janvier.

Pour toute demande urgente, vous pouvez contacter Marc Lefèvre au 01 42 68 53 00.

Cordialement,
Claire Dubois""",
     "2027-01-04", "'de retour le lundi 4 janvier' gives that day (2027)"),
    ("014", "vacation-es-hasta", "lead5", "Lucía Fernández", "Fuera de la oficina", None,
     """Hola:

Gracias por su mensaje. Estaré fuera de la oficina hasta el 8 de enero, sin acceso regular
al correo electrónico. A mi regreso responderé a su consulta lo antes posible.

Para asuntos urgentes, puede escribir a soporte@lead.test o llamar al +34 912 345 678.

Un saludo,
Lucía Fernández""",
     "2027-01-11", "'hasta el 8 de enero' (Fri 2027-01-08) -> next business day, Monday"),
    ("015", "vacation-it-fino-al-compreso", "lead6", "Giulia Bianchi",
     "Risposta automatica: fuori ufficio", "Giulia Bianchi <lead6@lead.test>",
     """Buongiorno,

grazie per il suo messaggio. Sarò fuori ufficio fino al 7 gennaio compreso, con accesso
limitato alla posta elettronica.

Per questioni urgenti può contattare il mio collega Luca Rossi (luca.rossi@lead.test,
tel. 02 1234 5678).

Cordiali saluti,
Giulia Bianchi""",
     "2027-01-08", "'fino al 7 gennaio compreso' (Thu) -> next business day"),
    ("016", "vacation-nl-tot-en-met", "lead7", "Pieter de Vries", "Afwezigheidsbericht", None,
     """Beste afzender,

Bedankt voor uw e-mail. Ik ben afwezig tot en met vrijdag 18 december en vanaf maandag
21 december weer op kantoor. Uw e-mail wordt niet doorgestuurd.

Voor dringende zaken kunt u contact opnemen met onze afdeling Inkoop via 020 123 4567.

Met vriendelijke groet,
Pieter de Vries""",
     "2026-12-21", "'tot en met vrijdag 18 december' and 'vanaf maandag 21 december' agree"),
    ("017", "vacation-pt-range", "lead8", "João Silva", "Ausência do escritório",
     "João Silva <lead8@lead.test>",
     """Olá,

Obrigado pela sua mensagem. Estarei ausente do escritório de 30 de novembro a 11 de
dezembro, com acesso limitado ao e-mail. Responderei assim que possível após o meu regresso.

Em caso de urgência, contacte a minha colega Ana Costa pelo telefone +351 21 123 4567.

Com os melhores cumprimentos,
João Silva""",
     "2026-12-14", "range 'de 30 de novembro a 11 de dezembro' -> next business day after Fri 11 Dec"),
    ("018", "vacation-de-numeric", "lead9", "Sabine Krüger", "Urlaub", None,
     """Hallo,

ich bin vom 21.12. bis 03.01. im Urlaub. Ab dem 04.01.2027 bin ich wieder für Sie da.

Viele Grüße
Sabine Krüger
Tel.: 089 / 12 34 56-0""",
     "2027-01-04", "numeric day-first dates; 'ab dem 04.01.2027' gives that day (also the next business day after Sun 03.01.)"),
    ("019", "vacation-en-us-numeric", "lead10", "Dave Miller", "Automatic reply: Out of office",
     "Dave Miller <lead10@lead.test>",
     """Thanks for reaching out! I'm out of the office through 12/31 and returning Monday,
January 4. I'll have intermittent access to email.

If you need immediate assistance, please contact support at (212) 555-0187, ticket #48213.

Cheers,
Dave""",
     "2027-01-04", "month-first '12/31'; 'through 12/31' alone gives Fri 2027-01-01, but the text says 'returning Monday, January 4', which a human takes"),
    ("020", "vacation-en-relative-next-monday", "lead11", "Tom Walsh", "Out of office", None,
     """Hi there,

I'm travelling for the rest of the week and will be back next Monday. Replies may be delayed
until then.

Best,
Tom""",
     "2026-11-30", "relative to the Date (Thu 2026-11-26): 'back next Monday' gives Monday 30 November"),
    ("021", "vacation-fr-jusquau-inclus", "lead12", "Antoine Moreau", "Réponse automatique : absent",
     None,
     """Bonjour,

Je suis absent jusqu'au vendredi 18 décembre inclus. Vos messages ne seront pas transférés.
En cas d'urgence, merci d'appeler le standard au +33 4 72 00 00 00.

Bien à vous,
Antoine Moreau""",
     "2026-12-21", "'jusqu'au vendredi 18 décembre inclus' -> next business day, Monday"),
    ("030", "vacation-en-no-date", "lead13", "Rachel Green", "", None,
     """Thank you for your message. I am currently out of the office with limited access to
email and will get back to you as soon as possible after my return.

For urgent requests please contact info@lead.test.""",
     None, "no date: the daemon's default pause applies"),
    ("031", "vacation-de-no-date", "lead14", "Thomas Schulz", "Abwesenheitsnotiz", None,
     """Guten Tag,

vielen Dank für Ihre E-Mail. Ich bin derzeit nicht im Büro und kann Ihre Nachricht leider
erst nach meiner Rückkehr bearbeiten. Ihre E-Mail wird nicht automatisch weitergeleitet.

Bei dringenden Anliegen erreichen Sie uns unter +49 40 987654-0.

Freundliche Grüße
Thomas Schulz""",
     None, "no date (a phone number only)"),
]

THREADED_VACATION = ("040", "vacation-en-threaded", "lead15", "Olivia Hart", "Out of Office", None,
                     """Hello,

I'm out of the office until Wednesday, December 9 and will reply when I'm back.

Kind regards,
Olivia Hart""",
                     "2026-12-10", "reply to a threaded step 2 (Re: subject, In-Reply-To/References to step 1); 'until Wednesday, December 9' -> Thursday")


def unwrap(text):
    """The texts above are wrapped for reading here; OOO texts are typed as one line per paragraph."""
    out = []
    for line in text.splitlines():
        if out and out[-1] and len(out[-1]) >= 70 and line:
            out[-1] += " " + line
        else:
            out.append(line)
    return "\n".join(out)


VACATIONS = [v[:6] + (unwrap(v[6]),) + v[7:] for v in VACATIONS]
THREADED_VACATION = THREADED_VACATION[:6] + (unwrap(THREADED_VACATION[6]),) + THREADED_VACATION[7:]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def step(to_name, to_addr, subject, body, in_reply_to=None, cc=None):
    m = EmailMessage(policy=email.policy.SMTP)
    m["From"] = SENDER
    m["To"] = f"{to_name} <{to_addr}>" if to_name else to_addr
    if cc:
        m["Cc"] = cc
    m["Subject"] = subject
    m["Date"] = format_datetime(localtime())
    mid = f"<{uuid.uuid4()}@example.test>"
    m["Message-ID"] = mid
    if in_reply_to:
        m["In-Reply-To"] = in_reply_to
        m["References"] = in_reply_to
    m.set_content(body)
    return m, mid


def body_for(first):
    return (f"Hi {first},\n\nI noticed your team is growing quickly and wondered whether you are "
            "still handling supplier onboarding by hand.\n\nWould a 15-minute call next week make "
            "sense?\n\nBest,\nSam\n\nSam Carter | Example Ltd.\n")


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "tests", "fixtures", "eml", "real")
    os.makedirs(outdir, exist_ok=True)
    d = tempfile.mkdtemp(prefix="cadenced-capture.")
    env = dict(os.environ)
    smtp = free_port()
    env.update(MAILSTACK_SMTP_PORT=str(smtp), MAILSTACK_LMTP_PORT=str(free_port()),
               MAILSTACK_IMAP_PORT=str(free_port()))
    run = lambda *a, **kw: subprocess.run(["bash", MAILSTACK, *a], env={**env, **kw}, check=True)
    run("start", d, "16")
    sales_new = os.path.join(d, "mail", "example.test", "sales", "new")
    expected = {}  # step Message-ID -> (number, name, kind)
    try:
        s = smtplib.SMTP("127.0.0.1", smtp)

        def send(msg):
            s.send_message(msg)

        # (a) bounces for unknown recipients
        m, mid = step(None, "nobody@lead.test", "Quick question about supplier onboarding",
                      body_for("there"))
        send(m); expected[mid] = ("001", "bounce-unknown-user", "bounce")
        m, mid = step("Karl Müller", "k.mueller@lead.test",
                      "Vorschlag für Müller & Söhne – nächste Schritte",
                      "Hallo Herr Müller,\n\nwie besprochen sende ich Ihnen unseren Vorschlag.\n"
                      "Passt Ihnen ein kurzer Termin am Dienstag?\n\nViele Grüße\nSam Carter\n")
        send(m); expected[mid] = ("002", "bounce-unknown-user-utf8-subject", "bounce")
        m, mid = step("Priya Patel", "lead16@lead.test", "Intro: Example Ltd x Lead Industries",
                      body_for("Priya"), cc="Former Colleague <f.colleague@lead.test>")
        send(m); expected[mid] = ("003", "bounce-partial-cc-unknown", "bounce")

        # (b) vacation replies, one lead each (Sieve answers a sender once a day)
        for num, name, lead, person, subj, vfrom, text, _ret, _note in VACATIONS:
            run("vacation", d, lead, text, subj, MAILSTACK_VACATION_FROM=vfrom or "")
            first = person.split()[0]
            m, mid = step(person, f"{lead}@lead.test", f"Quick question for {first}", body_for(first))
            send(m); expected[mid] = (num, name, "vacation")

        # (c) threaded: step 1 goes through, then the lead leaves / the mailbox goes away,
        # and step 2 (Re:, In-Reply-To/References = step 1) gets the auto-reply / the bounce.
        num, name, lead, person, subj, vfrom, text, _ret, _note = THREADED_VACATION
        m1, mid1 = step(person, f"{lead}@lead.test", "Supplier onboarding at Lead", body_for("Olivia"))
        send(m1)
        wait_for(os.path.join(d, "mail", "lead.test", lead, "new"), 1)
        run("vacation", d, lead, text, subj, MAILSTACK_VACATION_FROM=vfrom or "")
        m2, mid2 = step(person, f"{lead}@lead.test", "Re: Supplier onboarding at Lead",
                        "Hi Olivia,\n\njust bumping this up in case it got buried.\n\nBest,\nSam\n",
                        in_reply_to=mid1)
        send(m2); expected[mid2] = (num, name, "vacation")

        run("user", d, "p.meyer@lead.test")
        m1, mid1 = step("Paul Meyer", "p.meyer@lead.test", "Supplier onboarding at Meyer AG",
                        body_for("Paul"))
        send(m1)
        wait_for(os.path.join(d, "mail", "lead.test", "p.meyer", "new"), 1)
        run("deluser", d, "p.meyer@lead.test")
        m2, mid2 = step("Paul Meyer", "p.meyer@lead.test", "Re: Supplier onboarding at Meyer AG",
                        "Hi Paul,\n\nfollowing up on my note from earlier.\n\nBest,\nSam\n",
                        in_reply_to=mid1)
        send(m2); expected[mid2] = ("041", "bounce-threaded-mailbox-gone", "bounce")
        s.quit()

        wait_for(sales_new, len(expected))
        captured = {}
        for fn in sorted(os.listdir(sales_new)):
            raw = open(os.path.join(sales_new, fn), "rb").read()
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            key = None
            if msg.get("In-Reply-To") and msg["In-Reply-To"].strip() in expected:
                key = msg["In-Reply-To"].strip()
            else:
                for part in msg.walk():
                    if part.get_content_type() == "message/rfc822":
                        inner = part.get_payload()[0]
                        if inner.get("Message-ID", "").strip() in expected:
                            key = inner["Message-ID"].strip()
            if key is None:
                raise SystemExit(f"unexpected message in sales's Maildir: {fn}")
            num, name, kind = expected[key]
            path = os.path.join(outdir, f"real-{num}-{name}.eml")
            with open(path, "wb") as f:
                f.write(raw)
            captured[num] = (name, kind, msg)
        missing = sorted(set(v[0] for v in expected.values()) - set(captured))
        if missing:
            raise SystemExit(f"missing replies: {missing}")
        write_manifest(outdir, captured)
        print(f"captured {len(captured)} messages into {outdir}")
    finally:
        run("stop", d)
        if os.environ.get("KEEP"):
            print(f"kept {d}")
        else:
            shutil.rmtree(d, ignore_errors=True)


def wait_for(maildir_new, n, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.isdir(maildir_new) and len(os.listdir(maildir_new)) >= n:
            return
        time.sleep(0.1)
    raise SystemExit(f"timed out waiting for {n} messages in {maildir_new}")


def write_manifest(outdir, captured):
    table = {v[0]: v for v in VACATIONS + [THREADED_VACATION]}
    out = ["# Real captured messages",
           "",
           "Captured by `scripts/capture-real-fixtures.py` from a real Postfix 3.7 + Dovecot 2.3 /",
           "Pigeonhole 0.5 stack (scripts/mailstack.sh), byte for byte as they landed in",
           "`sales@example.test`'s Maildir (so each starts with Dovecot's `Return-Path`/`Delivered-To`",
           "and `Received` lines). The outbound steps were sent over SMTP from",
           "`Sam Carter <sales@example.test>` with their own Message-ID.",
           "",
           "Return date convention: the first day the person is certainly back; 'until X' (and",
           "'bis einschließlich X', 'hasta X', 'jusqu'au X inclus', 'tot en met X', 'fino al X compreso',",
           "'through X') means the next business day (Mon-Fri) after X; a range 'A to B' the next",
           "business day after B; a year left out is the next occurrence after the Date header.",
           "No holidays are assumed.",
           "",
           "Do not edit the .eml files; re-capture instead (every id and date changes).",
           "",
           "| file | kind | language | return date |",
           "|---|---|---|---|"]
    for num in sorted(captured):
        name, kind, _msg = captured[num]
        lang = {"en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
                "nl": "Dutch", "pt": "Portuguese"}.get(name.split("-")[1], "-") if kind == "vacation" else "-"
        ret = table[num][7] if kind == "vacation" else None
        out.append(f"| real-{num}-{name}.eml | {'out of office (Sieve vacation)' if kind == 'vacation' else 'bounce (Postfix DSN)'}"
                   f" | {lang} | {ret or 'none'} |")
    out.append("")
    for num in sorted(captured):
        name, kind, msg = captured[num]
        out.append(f"## real-{num}-{name}.eml")
        out.append("")
        if kind == "bounce":
            inner = None
            for part in msg.walk():
                if part.get_content_type() == "message/rfc822":
                    inner = part.get_payload()[0]
            status = ""
            for part in msg.walk():
                if part.get_content_type() == "message/delivery-status":
                    for block in part.get_payload():
                        if block.get("Status"):
                            status = f"{block['Final-Recipient']} {block['Status']}"
            how = {
                "001": "Postfix bounce (RFC 3464 multipart/report) for an unknown recipient",
                "002": "Postfix bounce for an unknown recipient; the original has a UTF-8 subject",
                "003": "Postfix bounce for the unknown Cc of a step whose To (lead16) was delivered",
                "041": "Postfix bounce for threaded step 2 after the lead's mailbox was deleted "
                       "(step 1 was delivered); the returned original carries In-Reply-To/References",
            }[num]
            out.append(f"- Produced by: {how}.")
            out.append(f"- Date: `{msg['Date']}`")
            out.append(f"- Subject: `{msg['Subject']}`; failed recipient: `{status}`")
            if inner is not None:
                out.append(f"- Original: To `{inner['To']}`, Subject `{inner['Subject']}`"
                           + (f", In-Reply-To `{inner['In-Reply-To']}`" if inner.get("In-Reply-To") else ""))
            out.append("- Return date: none (a bounce; classification `bounce`).")
        else:
            _n, _name, lead, person, subj, vfrom, text, ret, note = table[num]
            out.append(f"- Produced by: Dovecot Sieve `vacation` (`:days 1`) of {lead}@lead.test"
                       f" ({person}), answering a step from sales"
                       + (" that was a threaded follow-up" if num == "040" else "") + ".")
            out.append(f"- Date: `{msg['Date']}`")
            out.append(f"- From: `{msg['From']}`; Subject: `{msg['Subject']}`"
                       + (" (Sieve `:subject` not set: Dovecot's default)" if not subj else ""))
            if num == "040":
                out.append(f"- In-Reply-To: `{msg['In-Reply-To']}`; References: `{' '.join(str(msg['References']).split())}`")
            out.append("- Text:")
            out.append("")
            out.extend("  > " + line if line else "  >" for line in text.splitlines())
            out.append("")
            out.append(f"- Return date: **{ret}** — {note}." if ret else f"- Return date: **none** — {note}.")
        out.append("")
    with open(os.path.join(outdir, "MANIFEST.md"), "w") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    main()
