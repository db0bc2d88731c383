//! Letters a mailer lost: text whose accented letters became U+FFFD (the replacement
//! character) before it reached us, as when a responder stores a Latin-1 notice as UTF-8
//! ("Ich kehre zur\u{FFFD}ck am 9.", "R\u{FFFD}ckkehr"). The bytes are gone, so no decoding
//! gets them back (`parse` already reads a misdeclared charset when it still has them).
//! Every pattern and date word misses such a word; an absence notice would read as a
//! person's reply and stop the lead.
//!
//! The words are mended from the words the rules themselves look for: each rule pattern's
//! runs of letters that hold an accented letter ("zurück", "rückkehr", "congés", "días"),
//! plus the accented month and weekday names of the date grammar. A word with lost letters
//! takes the one known word of its length that agrees with every letter it kept and has an
//! accented letter where it lost one; a word that fits none, or several, is left as it is.

use std::collections::{HashMap, HashSet};

/// U+FFFD, what a lost letter shows as.
const LOST: char = char::REPLACEMENT_CHARACTER;

/// Accented month and weekday names, whose date words are folded and so not in the rules.
const DATE_WORDS: &[&str] = &[
    "märz",
    "février",
    "août",
    "décembre",
    "sábado",
    "miércoles",
    "lunedì",
    "martedì",
    "mercoledì",
    "giovedì",
    "venerdì",
    "março",
    "terça",
    "pondělí",
    "úterý",
    "středa",
    "čtvrtek",
    "pátek",
    "září",
    "říjen",
    "únor",
    "březen",
    "květen",
    "červen",
    "červenec",
    "söndag",
    "lördag",
    "måndag",
    "søndag",
    "lørdag",
];

/// The known words with an accented letter, by length in chars.
#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    by_len: HashMap<usize, Vec<Vec<char>>>,
}

impl Lexicon {
    /// The words of `sources` (rule patterns) and [`DATE_WORDS`].
    pub(crate) fn new<'a>(sources: impl Iterator<Item = &'a str>) -> Lexicon {
        let mut seen: HashSet<String> = HashSet::new();
        for source in sources.chain(DATE_WORDS.iter().copied()) {
            for word in source.split(|c: char| !c.is_alphabetic()) {
                if word.chars().count() >= 2 && !word.is_ascii() {
                    seen.insert(word.to_lowercase());
                }
            }
        }
        let mut by_len: HashMap<usize, Vec<Vec<char>>> = HashMap::new();
        for word in seen {
            let chars: Vec<char> = word.chars().collect();
            by_len.entry(chars.len()).or_default().push(chars);
        }
        for words in by_len.values_mut() {
            words.sort();
        }
        Lexicon { by_len }
    }

    /// The one known word `word` (lowercase, with at least one [`LOST`]) can be.
    fn mend(&self, word: &[char]) -> Option<&[char]> {
        let mut found: Option<&[char]> = None;
        for known in self.by_len.get(&word.len())? {
            let fits = word.iter().zip(known).all(|(&w, &k)| {
                if w == LOST {
                    !k.is_ascii() && k.is_alphabetic()
                } else {
                    w == k
                }
            });
            if fits {
                if found.is_some() {
                    return None;
                }
                found = Some(known);
            }
        }
        found
    }

    /// `text` with the words whose letters were lost mended, or `None` when it has none
    /// (the common case costs one scan for U+FFFD).
    pub(crate) fn repair(&self, text: &str) -> Option<String> {
        if !text.contains(LOST) {
            return None;
        }
        let mut out = String::with_capacity(text.len());
        let mut word: Vec<char> = Vec::new();
        let flush = |word: &mut Vec<char>, out: &mut String| {
            let lowered: Vec<char> = word
                .iter()
                .map(|&c| c.to_lowercase().next().unwrap_or(c))
                .collect();
            let kept = word.iter().filter(|&&c| c != LOST).count();
            let mended = (kept >= 2 && word.contains(&LOST))
                .then(|| self.mend(&lowered))
                .flatten();
            match mended {
                Some(known) => {
                    // A word written in capitals keeps them ("ZUR\u{FFFD}CK").
                    let upper = word
                        .iter()
                        .filter(|c| c.is_alphabetic())
                        .all(|c| c.is_uppercase());
                    for (&w, &k) in word.iter().zip(known) {
                        match w {
                            LOST if upper => out.extend(k.to_uppercase()),
                            LOST => out.push(k),
                            _ => out.push(w),
                        }
                    }
                }
                None => out.extend(word.iter()),
            }
            word.clear();
        };
        for c in text.chars() {
            if c.is_alphabetic() || c == LOST {
                word.push(c);
            } else {
                flush(&mut word, &mut out);
                out.push(c);
            }
        }
        flush(&mut word, &mut out);
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        Lexicon::new(
            [
                r"(zurück|wieder) (am|ab)",
                r"nach meiner rückkehr",
                r"en (congés?|vacances)",
                r"(estaré|estará) fuera",
                r"für|über",
            ]
            .into_iter(),
        )
    }

    #[test]
    fn lost_letters_are_mended_from_the_known_words() {
        let lex = lexicon();
        let cases = [
            ("Bin ab 9.2. zur\u{FFFD}ck.", "Bin ab 9.2. zurück."),
            ("Nach meiner R\u{FFFD}ckkehr", "Nach meiner Rückkehr"),
            ("ZUR\u{FFFD}CK AM 9.", "ZURÜCK AM 9."),
            ("Je suis en cong\u{FFFD}s.", "Je suis en congés."),
            (
                "\u{DC}ber Ostern nicht im B\u{FFFD}ro",
                "\u{DC}ber Ostern nicht im B\u{FFFD}ro",
            ),
            ("Ab 2. M\u{FFFD}rz wieder da", "Ab 2. März wieder da"),
        ];
        for (text, want) in cases {
            assert_eq!(lex.repair(text).as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn words_that_fit_none_or_several_stay_as_they_are() {
        let lex = lexicon();
        // "estar?" fits "estaré" and "estará": which one is not known.
        assert_eq!(
            lex.repair("Estar\u{FFFD} bien, gracias").as_deref(),
            Some("Estar\u{FFFD} bien, gracias")
        );
        // No known word: the lost letter stays; a lone lost letter too.
        assert_eq!(
            lex.repair("Verst\u{FFFD}ndnis \u{FFFD} x").as_deref(),
            Some("Verst\u{FFFD}ndnis \u{FFFD} x")
        );
        // A lost letter only where the known word has an accented one.
        assert_eq!(lex.repair("f\u{FFFD}r").as_deref(), Some("für"));
        assert_eq!(lex.repair("fu\u{FFFD}").as_deref(), Some("fu\u{FFFD}"));
        assert_eq!(lex.repair("nothing lost here"), None);
    }
}
