#!/usr/bin/env python3
"""Blind evaluation: run `cadenced rules explain --json` on every .eml under DIR with the
expected tz, compare category, return_date and language with the .json beside it."""
import json, subprocess, sys, os, glob, collections
BIN = sys.argv[1]; DIR = sys.argv[2]
files = sorted(glob.glob(os.path.join(DIR, '**', '*.eml'), recursive=True))
ok_cat = ok_all = ok_lang = 0
fails = []
confusion = collections.Counter()
# One `rules explain` run per timezone (the binary compiles its rules once per run).
by_tz = collections.defaultdict(list)
expected = {}
for f in files:
    exp = json.load(open(f[:-4] + '.json'))
    expected[f] = exp
    by_tz[exp.get('tz') or 'Europe/Berlin'].append(f)
results = {}
for tz, group in by_tz.items():
    out = subprocess.run([BIN, 'rules', 'explain', '--json', '--tz', tz] + group, capture_output=True, text=True)
    for line in out.stdout.splitlines():
        try:
            j = json.loads(line)
        except ValueError:
            continue
        results[os.path.abspath(j.get('file', ''))] = j
for f in files:
    exp = expected[f]
    got = results.get(os.path.abspath(f), {'category': 'ERROR (no output)'})
    cat_ok = got.get('category') == exp['category']
    date_ok = (got.get('return_date') == exp.get('return_date')) if exp['category'] in ('out_of_office', 'callback') else True
    lang_ok = got.get('language') == exp.get('language')
    ok_cat += cat_ok; ok_all += cat_ok and date_ok; ok_lang += lang_ok
    confusion[(exp['category'], got.get('category'))] += 1
    if not (cat_ok and date_ok):
        fails.append((os.path.relpath(f, DIR), exp['category'], got.get('category'), exp.get('return_date'), got.get('return_date'), got.get('rule'), got.get('evidence'), exp.get('note')))
n = len(files)
print(f"{n} messages: category {ok_cat}/{n} = {100*ok_cat/n:.1f}%, category+date {ok_all}/{n} = {100*ok_all/n:.1f}%, language {ok_lang}/{n}")
for (e, g), c in sorted(confusion.items()):
    if e != g: print(f"  {e} -> {g}: {c}")
for x in fails:
    print("FAIL", x)
