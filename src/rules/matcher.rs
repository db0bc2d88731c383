//! Which of a field's many patterns match a text, fast on real mail.
//!
//! One `RegexSet` over all of a file's patterns builds a lazy DFA whose states carry every
//! pattern at once: on real replies (new words, accents, Japanese) nearly all the time went
//! into building states, not scanning (measured with callgrind: 95% of the set search). Most
//! patterns cannot match most texts, and each needs a word of its own to match at all. So each
//! pattern is compiled alone, and a prefilter decides which to run: the literals every match
//! of a pattern must begin (or else end) with, lowercased, in one Aho-Corasick automaton over
//! the lowercased text. A pattern none of whose literals occurs cannot match and is not run;
//! a pattern without such literals (it may begin and end with a class or a repetition) is
//! always run, in one small set of its own.
//!
//! The prefilter only ever says "cannot match" when that is true for the regex's own case
//! folding, with one exception left on purpose: lowercasing is not Unicode case folding for a
//! few letters whose lowercase depends on context (Greek final sigma), outside the languages
//! the shipped rules read.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::sync::OnceLock;

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use regex_syntax::hir::literal::{ExtractKind, Extractor, Seq};

/// Literals shorter than this (in bytes) filter too little to be worth it: a pattern whose
/// literals include one is always run.
const MIN_LITERAL: usize = 2;

/// A text to match, with its lowercase form for the prefilter: made once per text, whatever
/// the number of rule files whose patterns look at it.
pub(crate) struct Haystack<'a> {
    text: &'a str,
    lower: String,
}

impl<'a> Haystack<'a> {
    pub(crate) fn new(text: &'a str) -> Haystack<'a> {
        Haystack {
            text,
            lower: text.to_lowercase(),
        }
    }
}

/// A field's patterns, in the order given (the indexes [`Matcher::matches`] reports).
#[derive(Debug)]
pub(crate) struct Matcher {
    /// Each pattern alone, compiled the first time the prefilter lets it run (most never
    /// run in a process: compiling them all took half the start-up).
    regexes: Vec<OnceLock<Option<Regex>>>,
    sources: Vec<String>,
    multi_line: bool,
    size_limit: usize,
    /// The prefilter over the lowercased literals, and the pattern each literal belongs to.
    literals: Option<AhoCorasick>,
    literal_owner: Vec<usize>,
    /// The patterns without literals, as one set, and their indexes in `regexes`.
    always: Option<RegexSet>,
    always_idx: Vec<usize>,
    /// Always-run patterns with a Unicode word boundary (one beside a letter beyond ASCII,
    /// `rules::format::ascii_word_boundaries`), each run alone: in the set, such a boundary
    /// makes the regex crate search the whole set with its slow engine on every reply with
    /// a letter beyond ASCII (measured: +17% instructions on real mail for one pattern).
    always_alone: Vec<usize>,
}

impl Matcher {
    /// Compiles `patterns` with the options of the rule sets.
    ///
    /// # Errors
    /// When a pattern does not compile or a limit is exceeded.
    pub(crate) fn new(
        patterns: &[String],
        multi_line: bool,
        size_limit: usize,
    ) -> Result<Matcher, regex::Error> {
        let mut regexes = Vec::with_capacity(patterns.len());
        let mut lits: Vec<String> = Vec::new();
        let mut literal_owner = Vec::new();
        let mut always = Vec::new();
        let mut always_idx = Vec::new();
        let mut always_alone = Vec::new();
        for (idx, pattern) in patterns.iter().enumerate() {
            // The same parse the regex crate does: a pattern that is not a regex is refused
            // here, at load, not when it first runs. Its syntax also tells whether a word
            // boundary in it stayed Unicode.
            let hir = regex_syntax::ParserBuilder::new()
                .case_insensitive(true)
                .multi_line(multi_line)
                .build()
                .parse(pattern)
                .map_err(|e| regex::Error::Syntax(e.to_string()))?;
            regexes.push(OnceLock::new());
            match required_literals(pattern) {
                Some(found) => {
                    for lit in found {
                        lits.push(lit);
                        literal_owner.push(idx);
                    }
                }
                None if hir.properties().look_set().contains_word_unicode() => always_alone.push(idx),
                None => {
                    always.push(pattern.as_str());
                    always_idx.push(idx);
                }
            }
        }
        let literals = if lits.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .build(&lits)
                    .map_err(|e| regex::Error::Syntax(e.to_string()))?,
            )
        };
        let always = if always.is_empty() {
            None
        } else {
            Some(
                RegexSetBuilder::new(always)
                    .case_insensitive(true)
                    .multi_line(multi_line)
                    .size_limit(size_limit)
                    .dfa_size_limit(size_limit)
                    .build()?,
            )
        };
        Ok(Matcher {
            regexes,
            sources: patterns.to_vec(),
            multi_line,
            size_limit,
            literals,
            literal_owner,
            always,
            always_idx,
            always_alone,
        })
    }

    /// Puts the index of every pattern that matches `hay` into `out` (cleared first), in
    /// ascending order.
    pub(crate) fn matches(&self, hay: &Haystack<'_>, out: &mut Vec<usize>) {
        let text = hay.text;
        out.clear();
        if let Some(set) = &self.always {
            out.extend(
                set.matches(text)
                    .iter()
                    .filter_map(|i| self.always_idx.get(i).copied()),
            );
        }
        for &idx in &self.always_alone {
            if self.regex(idx).is_some_and(|re| re.is_match(text)) {
                out.push(idx);
            }
        }
        if let Some(ac) = &self.literals {
            let mut candidates: Vec<usize> = ac
                .find_overlapping_iter(&hay.lower)
                .filter_map(|m| self.literal_owner.get(m.pattern().as_usize()).copied())
                .collect();
            candidates.sort_unstable();
            candidates.dedup();
            for idx in candidates {
                if self.regex(idx).is_some_and(|re| re.is_match(text)) {
                    out.push(idx);
                }
            }
        }
        out.sort_unstable();
    }
}

impl Matcher {
    /// The patterns as written, in order: their words mend lost letters (`rules::letters`).
    pub(crate) fn sources(&self) -> &[String] {
        &self.sources
    }

    /// Pattern `idx`, compiled on first use. `None` only if it exceeds the size limit, which
    /// the parse at load cannot tell (64 MiB of automaton for one pattern of a rule file):
    /// such a pattern never matches.
    fn regex(&self, idx: usize) -> Option<&Regex> {
        let cell = self.regexes.get(idx)?;
        cell.get_or_init(|| {
            let source = self.sources.get(idx)?;
            RegexBuilder::new(source)
                .case_insensitive(true)
                .multi_line(self.multi_line)
                .size_limit(self.size_limit)
                .build()
                .map_err(|e| tracing::debug!(pattern = %source, error = %e, "A rule pattern is too large to run; it never matches."))
                .ok()
        })
        .as_ref()
    }
}

/// Lowercased literals one of which every match of `pattern` begins with (or else ends
/// with), or `None` when there are no such literals worth filtering on.
fn required_literals(pattern: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).ok()?;
    let best = [ExtractKind::Prefix, ExtractKind::Suffix]
        .into_iter()
        .filter_map(|kind| {
            let seq = Extractor::new().kind(kind.clone()).extract(&hir);
            let lits = literal_strings(&seq, kind.is_prefix())?;
            let shortest = lits.iter().map(String::len).min()?;
            (shortest >= MIN_LITERAL).then_some((shortest, lits))
        })
        .max_by_key(|(shortest, _)| *shortest)?;
    Some(best.1)
}

/// The literals of a finite sequence as lowercase strings, each cut to whole characters (a
/// literal cut by the extractor's length limit may end, or for a suffix begin, inside one).
fn literal_strings(seq: &Seq, prefix: bool) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for lit in seq.literals()? {
        let bytes = lit.as_bytes();
        let text = if prefix {
            match std::str::from_utf8(bytes) {
                Ok(s) => s,
                Err(e) => std::str::from_utf8(bytes.get(..e.valid_up_to())?).ok()?,
            }
        } else {
            let start =
                (0..=bytes.len()).find(|&i| std::str::from_utf8(bytes.get(i..).unwrap_or(&[])).is_ok())?;
            std::str::from_utf8(bytes.get(start..)?).ok()?
        };
        out.push(text.to_lowercase());
    }
    out.sort();
    out.dedup();
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(patterns: &[&str], text: &str) -> Vec<usize> {
        let patterns: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
        let m = Matcher::new(&patterns, true, 1 << 24).expect("compiles");
        let mut out = Vec::new();
        m.matches(&Haystack::new(text), &mut out);
        out
    }

    /// The prefilter never hides a match the set would find: the same answers as one
    /// `RegexSet` over the same patterns, on texts in several scripts and cases.
    #[test]
    fn same_answers_as_a_set() {
        let patterns = [
            r"(?-u:\b)out of (the )?office(?-u:\b)",
            r"nicht im büro",
            r"(^|[.!?]\s*)(currently )?away (until|till)",
            r"\w+ (is|are) on leave",
            r"休暇",
            r"de retour le",
            r"ÉTÉ",
            r"[0-9]{2}\.[0-9]{2}\.",
            // no literal to filter on and a Unicode boundary: run alone, outside the set
            r"(^|[.!?]\s*)tillbaka|\böppet igen",
        ];
        let texts = [
            "I am OUT OF THE OFFICE until Monday.",
            "Ich bin NICHT IM BÜRO bis 12.12. zurück",
            "Away until Friday. Anna is on leave.",
            "現在休暇中です",
            "De Retour le 4 janvier, l'été fini",
            "nothing here at all",
            "Hej! Öppet igen från måndag.",
        ];
        let set = RegexSetBuilder::new(patterns)
            .case_insensitive(true)
            .multi_line(true)
            .build()
            .expect("set");
        for text in texts {
            let want: Vec<usize> = set.matches(text).into_iter().collect();
            assert_eq!(hits(&patterns, text), want, "text: {text}");
        }
    }

    /// Over every pattern of the shipped rules and every mail fixture of the project (whole
    /// files: headers, bodies, quotes, many languages), each field's matcher answers as one
    /// set over the same patterns would.
    #[test]
    fn shipped_rules_answer_as_their_sets() {
        let rules = crate::rules::RuleSet::shipped().expect("shipped rules");
        let mut texts = Vec::new();
        let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("fixtures").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if let Ok(bytes) = std::fs::read(&path) {
                    texts.push(String::from_utf8_lossy(&bytes).into_owned());
                }
            }
        }
        assert!(texts.len() > 100, "fixtures found: {}", texts.len());
        let mut checked = 0;
        let mut out = Vec::new();
        for file in &rules.files {
            for (field, multi_line) in [(&file.subject, false), (&file.body, true), (&file.from, false)] {
                let Some(matcher) = &field.set else { continue };
                let patterns: Vec<&str> = matcher.sources.iter().map(String::as_str).collect();
                let set = RegexSetBuilder::new(&patterns)
                    .case_insensitive(true)
                    .multi_line(multi_line)
                    .size_limit(1 << 26)
                    .dfa_size_limit(1 << 26)
                    .build()
                    .expect("set");
                for text in &texts {
                    matcher.matches(&Haystack::new(text), &mut out);
                    let want: Vec<usize> = set.matches(text).into_iter().collect();
                    assert_eq!(out, want, "{} {:?}", file.name, text.get(..200));
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    #[test]
    fn literals_are_whole_characters() {
        let lits = required_literals("überraschung|äußerst").expect("literals");
        assert!(lits.iter().all(|l| !l.contains('\u{FFFD}')), "{lits:?}");
        assert_eq!(required_literals(r"\w+ away"), Some(vec![" away".to_string()]));
        assert_eq!(required_literals(r".*"), None);
    }
}
