#!/usr/bin/env python3
"""Scores `cadenced rules explain --json` on a folder of real mail labelled by kind.

    python3 eval/mailcorpus.py BIN DIR LABELS.tsv [--misses] [--kind=K]

DIR holds the .eml files (any depth); LABELS.tsv (kept outside the repository, like the mail)
has a header line and the columns `path` (relative to DIR), `kind` and an optional `note`.
Kinds and the categories that count as right for them:

    bounce      bounce                      a delivery failure, however it arrives
    delay       auto_reply                  "still trying" warnings (never a bounce, never a person)
    auto_reply  auto_reply, out_of_office   responders, ticket acknowledgements, unmonitored boxes
    notice      auto_reply, bounce          other mail-system notices (quota, frozen, filter errors)
    human       human, out_of_office, callback, meeting_booked
                                            a person's mail: never a bounce, auto-reply or unsubscribe
    unsubscribe unsubscribe
    other       (not scored)                spam, reports, newsletters: shown in the table only

`rules explain` runs once over DIR. Prints per-kind accuracy, the confusion table (kind ->
category), and every miss with the rule that decided it. The worst misses are listed first:
a bounce, auto-reply or notice read as a person (it stops the lead as if they had answered),
and a person read as a bounce or unsubscribe (it suppresses a live address).
"""
import collections
import csv
import json
import os
import subprocess
import sys

RIGHT = {
    'bounce': {'bounce'},
    'delay': {'auto_reply'},
    'auto_reply': {'auto_reply', 'out_of_office'},
    'notice': {'auto_reply', 'bounce'},
    'human': {'human', 'out_of_office', 'callback', 'meeting_booked'},
    'unsubscribe': {'unsubscribe'},
}


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    opts = [a for a in sys.argv[1:] if a.startswith('--')]
    if len(args) != 3:
        sys.exit(__doc__)
    binary, folder, labels_path = args
    only_kind = next((o.split('=', 1)[1] for o in opts if o.startswith('--kind=')), None)
    show_all_misses = '--misses' in opts or only_kind is not None

    labels = {}
    with open(labels_path, newline='', encoding='utf-8') as f:
        for row in csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE):
            path = os.path.abspath(os.path.join(folder, row['path']))
            labels[path] = (row['kind'], row.get('note') or '')

    out = subprocess.run([binary, 'rules', 'explain', '--json', folder],
                         capture_output=True, text=True)
    results = {}
    for line in out.stdout.splitlines():
        try:
            j = json.loads(line)
        except ValueError:
            continue
        # An mbox-looking file answers as FILE#1, FILE#2...: the first message is the one.
        name = j.get('file', '')
        base = name.split('#', 1)[0] if '#' in name and not os.path.exists(name) else name
        results.setdefault(os.path.abspath(base), j)
    skipped = [l for l in out.stderr.splitlines() if 'skip' in l.lower() or 'not a mail' in l.lower()]

    per_kind = collections.Counter()
    right = collections.Counter()
    confusion = collections.Counter()
    misses = []
    for path, (kind, note) in sorted(labels.items()):
        if only_kind and kind != only_kind:
            continue
        got = results.get(path)
        category = (got or {}).get('category') or ('ERROR: ' + (got or {}).get('error', 'no output'))
        confusion[(kind, category)] += 1
        if kind not in RIGHT:
            continue
        per_kind[kind] += 1
        if category in RIGHT[kind]:
            right[kind] += 1
        else:
            worst = (kind in ('bounce', 'auto_reply', 'notice', 'delay') and category == 'human') or \
                    (kind == 'human' and category in ('bounce', 'unsubscribe', 'auto_reply'))
            misses.append((not worst, kind, category, (got or {}).get('rule'),
                           os.path.relpath(path, folder), note, (got or {}).get('evidence')))

    total = sum(per_kind.values())
    total_right = sum(right.values())
    print(f"{total} scored messages ({len(labels) - total} 'other' not scored): "
          f"{total_right}/{total} = {100 * total_right / max(total, 1):.1f}% right")
    for kind in RIGHT:
        if per_kind[kind]:
            print(f"  {kind:<12} {right[kind]:>4}/{per_kind[kind]:<4} {100 * right[kind] / per_kind[kind]:5.1f}%")
    machine_as_person = sum(1 for m in misses if not m[0] and m[1] != 'human')
    person_as_machine = sum(1 for m in misses if not m[0] and m[1] == 'human')
    bounce_as_person = sum(1 for m in misses if m[1] == 'bounce' and m[2] == 'human')
    print(f"  bounces read as a person: {bounce_as_person}; machine mail read as a person: "
          f"{machine_as_person}; persons read as bounce/unsubscribe/auto-reply: {person_as_machine}")
    print("confusion (kind -> category: count):")
    for (kind, category), count in sorted(confusion.items()):
        print(f"  {kind:<12} -> {category:<16} {count}")
    if skipped:
        print(f"skipped or refused by rules explain: {len(skipped)}")
        for line in skipped:
            print("  " + line)
    misses.sort()
    for _, kind, category, rule, path, note, evidence in misses if show_all_misses else misses[:200]:
        print(f"MISS {kind} -> {category} (rule {rule}) {path} [{note}] {evidence or ''}")


if __name__ == '__main__':
    main()
