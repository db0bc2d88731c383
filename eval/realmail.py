#!/usr/bin/env python3
"""Score `cadenced rules explain` on a corpus of real replies written by other people.

    python3 eval/realmail.py BIN [TSV] [--headers] [--misses] [--lang=L] [--kind=K] [--write=DIR] [--tz=ZONE]

--write=DIR keeps the generated messages in DIR (outside the repository: they hold the
corpus texts), for `cadenced-bench classify --corpus DIR`.

TSV defaults to ../shared/realmail/realmail.tsv (columns id, lang, source, message_date, text,
kind, return_date, note; see its README). Each row becomes a message in a temporary folder:
`Date:` the row's message_date, a neutral `Subject: Re: Quick question`, the text as a plain
body, and (with --headers) `Auto-Submitted: auto-replied` on the absence rows, as a vacation
responder would add. The whole folder goes through one `rules explain --json` run, each
message read in its own `Date` zone (the writer's day, as the labels are); --tz=ZONE reads
them all in one zone instead (the figures before 2026-12-04 used --tz=UTC).

Scoring, by the row's kind:
- ooo: category out_of_office and the return date exact;
- ooo_no_date: out_of_office and no return date;
- callback: callback and the date exact (the outcome counts: out_of_office with the same date
  pauses the lead until the same day, so it is also reported as an outcome match);
- not_ooo: anything but out_of_office and callback (a person, an automatic receipt ...).
"Absences read as a person" are ooo/ooo_no_date/callback rows whose category stops the lead
(human, unsubscribe, bounce, meeting_booked): the costly error (DESIGN "Replies", point 7).

The texts stay outside the repository; this script only reads them.
"""
import collections
import csv
import json
import os
import subprocess
import sys
import tempfile

STOPS = {"human", "unsubscribe", "bounce", "meeting_booked"}


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    flags = [a for a in sys.argv[1:] if a.startswith("--")]
    if not args:
        sys.exit(__doc__)
    binary = args[0]
    here = os.path.dirname(os.path.abspath(__file__))
    tsv = args[1] if len(args) > 1 else os.path.join(here, "..", "..", "shared", "realmail", "realmail.tsv")
    only_lang = next((f.split("=", 1)[1] for f in flags if f.startswith("--lang=")), None)
    only_kind = next((f.split("=", 1)[1] for f in flags if f.startswith("--kind=")), None)
    with_headers = "--headers" in flags
    with open(tsv, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    rows = [r for r in rows if (not only_lang or r["lang"] == only_lang) and (not only_kind or r["kind"] == only_kind)]
    write_to = next((f.split("=", 1)[1] for f in flags if f.startswith("--write=")), None)
    with tempfile.TemporaryDirectory() as tmp:
        if write_to:  # keep the messages (outside the repository), e.g. for `bench classify --corpus`
            os.makedirs(write_to, exist_ok=True)
            tmp = write_to
        for r in rows:
            headers = [
                "From: Someone <someone@example.org>",
                "To: sales@example.test",
                "Subject: Re: Quick question",
                "Message-ID: <%s@realmail.invalid>" % r["id"],
                "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: 8bit",
            ]
            if r["message_date"] != "NONE":  # a few rows have no known date: no Date header
                headers.insert(3, "Date: " + rfc2822(r["message_date"]))
            if with_headers and r["kind"] in ("ooo", "ooo_no_date"):
                headers.append("Auto-Submitted: auto-replied")
            with open(os.path.join(tmp, r["id"] + ".eml"), "w", encoding="utf-8") as out:
                out.write("\r\n".join(headers) + "\r\n\r\n" + r["text"] + "\r\n")
        tz = next((f.split("=", 1)[1] for f in flags if f.startswith("--tz=")), None)
        cmd = [binary, "rules", "explain", "--json"] + (["--tz", tz] if tz else []) + [tmp]
        proc = subprocess.run(cmd,
                              capture_output=True, text=True)
        got = {}
        for line in proc.stdout.splitlines():
            try:
                j = json.loads(line)
            except ValueError:
                continue
            got[os.path.basename(j.get("file", ""))[:-4]] = j
    score(rows, got, "--misses" in flags)


def rfc2822(iso):
    from datetime import datetime
    d = datetime.fromisoformat(iso)
    return d.strftime("%a, %d %b %Y %H:%M:%S %z")


def score(rows, got, show_misses):
    by = collections.defaultdict(lambda: [0, 0, 0])  # (lang or kind) -> n, cat ok, cat+date ok
    confusion = collections.Counter()
    misses = []
    n = cat_ok = all_ok = outcome_ok = person = 0
    n_abs = n_dated = dated_ok = 0
    for r in rows:
        g = got.get(r["id"], {"category": "MISSING"})
        cat, date = g.get("category"), g.get("return_date")
        want_date = None if r["return_date"] == "NONE" else r["return_date"]
        kind = r["kind"]
        if kind in ("ooo", "ooo_no_date"):
            c = cat == "out_of_office"
            a = c and date == want_date
            o = cat in ("out_of_office", "callback") and date == want_date
        elif kind == "callback":
            c = cat == "callback"
            a = c and date == want_date
            o = cat in ("out_of_office", "callback") and date == want_date
        else:
            c = a = o = cat not in ("out_of_office", "callback")
        if kind != "not_ooo":
            n_abs += 1
            person += cat in STOPS
            if want_date:
                n_dated += 1
                dated_ok += a
        n += 1
        cat_ok += c
        all_ok += a
        outcome_ok += o
        for key in ("lang " + r["lang"], "kind " + kind):
            by[key][0] += 1
            by[key][1] += c
            by[key][2] += a
        confusion[(kind, cat)] += 1
        if not a:
            misses.append((r["id"], kind, want_date, cat, date, g.get("rule"), g.get("evidence"), r["text"][:160]))
    pct = lambda a, b: f"{a}/{b} = {100 * a / b:.1f}%" if b else "-"
    print(f"{n} texts: category {pct(cat_ok, n)}, category+date {pct(all_ok, n)}, outcome {pct(outcome_ok, n)}")
    print(f"absence and call-back texts: {n_abs}; dated ones right {pct(dated_ok, n_dated)}; "
          f"read as a person (stops the lead): {pct(person, n_abs)}")
    for key in sorted(by):
        t, c, a = by[key]
        print(f"  {key:16} {t:4}  category {100 * c / t:5.1f}%  +date {100 * a / t:5.1f}%")
    print("confusions (kind -> category):")
    for (k, c), m in sorted(confusion.items()):
        print(f"  {k:12} -> {str(c):14} {m}")
    if show_misses:
        for m in misses:
            print("MISS", *m, sep=" | ")


if __name__ == "__main__":
    main()
