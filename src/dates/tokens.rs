//! Folding and tokenising: the text becomes a folded ASCII copy (lowercase, accents removed)
//! for matching, and a list of tokens that remember where they stand in the original, so the
//! evidence span handed back always points into the caller's text.
//!
//! Quoted lines (starting with `>`) are dropped here, and the input is cut at
//! [`MAX_TEXT_BYTES`], so nothing downstream ever sees more than a bounded amount of text.

use crate::dates::lexicon::{self, Lex};

/// Only this many bytes of a reply are considered: return dates live at the top of a reply.
pub const MAX_TEXT_BYTES: usize = 16 * 1024;

/// What a token is made of: words, numbers and punctuation are matched differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A run of ASCII letters.
    Word,
    /// A run of digits.
    Num,
    /// One punctuation byte.
    Punct(u8),
}

/// One token of the folded text.
#[derive(Debug, Clone)]
pub struct Tok {
    /// Letters, digits or one punctuation byte.
    pub kind: Kind,
    /// Start of the token in the folded text.
    pub f_start: usize,
    /// End of the token in the folded text.
    pub f_end: usize,
    /// Start of the token in the original text.
    pub o_start: usize,
    /// End of the token in the original text.
    pub o_end: usize,
    /// Whitespace stands between this token and the previous one.
    pub gap: bool,
    /// The whitespace before this token holds a blank line (a paragraph break).
    pub para: bool,
    /// Numeric value of a `Num` token (saturating), 0 otherwise.
    pub value: u32,
    /// Number of digits of a `Num` token.
    pub digits: u32,
    /// Lexicon entry of a `Word` token.
    pub lex: Lex,
    /// The original word begins with a capital letter (a name: "I'm in Japan until ...").
    pub upper: bool,
}

/// A reply folded to pure ASCII and split into tokens, each with its offsets in the original.
#[derive(Debug, Default)]
pub struct Folded {
    /// Folded, pure-ASCII text.
    pub text: String,
    /// Its tokens in text order: cues and expressions refer to them by index.
    pub toks: Vec<Tok>,
    /// The text holds kana: Japanese, which has no capitals, so an emoji there ends its
    /// sentence whatever follows (see `cues::sentences`).
    pub kana: bool,
}

impl Folded {
    /// The folded text of token `i`.
    pub fn word(&self, i: usize) -> &str {
        match self.toks.get(i) {
            Some(tok) => self.text.get(tok.f_start..tok.f_end).unwrap_or(""),
            None => "",
        }
    }

    /// Token `i` is the word `w`.
    pub fn is_word(&self, i: usize, w: &str) -> bool {
        matches!(self.toks.get(i), Some(tok) if tok.kind == Kind::Word) && self.word(i) == w
    }

    /// Token `i` is the word `w` or one of `ws`.
    pub fn is_any(&self, i: usize, ws: &[&str]) -> bool {
        match self.toks.get(i) {
            Some(tok) if tok.kind == Kind::Word => ws.contains(&self.word(i)),
            _ => false,
        }
    }

    /// Token `i` is the punctuation byte `p`.
    pub fn is_punct(&self, i: usize, p: u8) -> bool {
        matches!(self.toks.get(i), Some(tok) if tok.kind == Kind::Punct(p))
    }

    /// Token `i` is a number.
    pub fn is_num(&self, i: usize) -> bool {
        matches!(self.toks.get(i), Some(tok) if tok.kind == Kind::Num)
    }

    /// Token `i` is a word.
    pub fn is_a_word(&self, i: usize) -> bool {
        matches!(self.toks.get(i), Some(tok) if tok.kind == Kind::Word)
    }

    /// Token `i` directly follows token `i - 1` with no whitespace.
    pub fn glued(&self, i: usize) -> bool {
        matches!(self.toks.get(i), Some(tok) if !tok.gap) && i > 0
    }

    /// Index of the first token starting at or after folded offset `pos`.
    pub fn tok_at(&self, pos: usize) -> usize {
        self.toks.partition_point(|tok| tok.f_start < pos)
    }
}

/// Cuts `text` to [`MAX_TEXT_BYTES`] on a char boundary.
pub fn cap(text: &str) -> &str {
    if text.len() <= MAX_TEXT_BYTES {
        return text;
    }
    let mut end = MAX_TEXT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Folds and tokenises `text` (which the caller has already capped).
pub fn fold(text: &str) -> Folded {
    let mut folded = Folded {
        text: String::with_capacity(text.len() + 16),
        toks: Vec::new(),
        kana: false,
    };
    // Orig offset of the char that produced each folded byte, plus one past the end.
    let mut origin: Vec<u32> = Vec::with_capacity(text.len() + 1);
    let mut line_start = 0usize;
    for line in text.split_inclusive('\n') {
        let quoted = line.trim_start().starts_with('>');
        if quoted {
            folded.text.push('\n');
            origin.push(line_start as u32);
        } else {
            let mut prev = None;
            let mut skip_to = 0;
            for (at, c) in line.char_indices() {
                if at < skip_to {
                    continue;
                }
                // Japanese words the grammar knows become ASCII words with spaces around
                // them; the words point at the phrase, the closing space past it.
                // (Only a character from U+3000 on, or "(", can begin one: the test keeps the
                // call off the common path.)
                let japanese = (c >= '\u{3000}' || c == '(')
                    .then(|| lexicon::japanese(&line[at..], prev))
                    .flatten();
                if let Some((word, len)) = japanese {
                    origin.push((line_start + at) as u32);
                    folded.text.push(' ');
                    folded.text.push_str(word);
                    origin.extend(std::iter::repeat_n((line_start + at) as u32, word.len()));
                    folded.text.push(' ');
                    origin.push((line_start + at + len) as u32);
                    skip_to = at + len;
                    prev = line[..at + len].chars().next_back();
                    continue;
                }
                folded.kana |= crate::dates::is_kana(c);
                let before = folded.text.len();
                lexicon::fold_char(c, &mut folded.text);
                for _ in before..folded.text.len() {
                    origin.push((line_start + at) as u32);
                }
                prev = Some(c);
            }
        }
        line_start += line.len();
    }
    origin.push(text.len() as u32);

    let bytes = folded.text.as_bytes();
    let mut i = 0;
    let mut gap = false;
    let mut newlines = 0u32;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            gap = true;
            if b == b'\n' {
                newlines += 1;
            }
            i += 1;
            continue;
        }
        let start = i;
        let kind = if b.is_ascii_alphabetic() {
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            Kind::Word
        } else if b.is_ascii_digit() {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            Kind::Num
        } else {
            i += 1;
            Kind::Punct(b)
        };
        let (mut value, mut digits) = (0u32, 0u32);
        let mut lex = Lex::default();
        match kind {
            Kind::Num => {
                for &d in &bytes[start..i] {
                    value = value.saturating_mul(10).saturating_add(u32::from(d - b'0'));
                    digits += 1;
                }
            }
            Kind::Word => lex = lexicon::lookup(&folded.text[start..i]),
            Kind::Punct(_) => {}
        }
        let o_start = origin[start] as usize;
        let upper = kind == Kind::Word
            && text
                .get(o_start..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(char::is_uppercase);
        folded.toks.push(Tok {
            kind,
            f_start: start,
            f_end: i,
            o_start,
            o_end: origin[i] as usize,
            upper,
            gap,
            para: newlines >= 2,
            value,
            digits,
            lex,
        });
        gap = false;
        newlines = 0;
    }
    disambiguate(&mut folded);
    folded
}

/// Words whose meaning depends on the next word: Norwegian "neste uke" is next week, but
/// Portuguese "neste mês" is this month.
fn disambiguate(folded: &mut Folded) {
    for i in 0..folded.toks.len() {
        if folded.word(i) == "neste"
            && matches!(
                folded.word(i + 1),
                "semana" | "mes" | "ano" | "trimestre" | "fim" | "momento" | "dia"
            )
        {
            folded.toks[i].lex.next = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::dates::tokens::{cap, fold, Kind, MAX_TEXT_BYTES};

    #[test]
    fn folds_accents_and_keeps_offsets() {
        let text = "Zurück am 3. März";
        let folded = fold(text);
        assert_eq!(folded.text, "zuruck am 3. marz");
        let last = folded.toks.last().map(|t| &text[t.o_start..t.o_end]);
        assert_eq!(last, Some("März"));
        assert_eq!(folded.toks[0].kind, Kind::Word);
        assert_eq!(folded.toks[2].value, 3);
        assert_eq!(folded.toks[3].kind, Kind::Punct(b'.'));
    }

    #[test]
    fn drops_quoted_lines() {
        let folded = fold("back monday\n> on 15 june\nbye");
        let words: Vec<&str> = (0..folded.toks.len()).map(|i| folded.word(i)).collect();
        assert_eq!(words, ["back", "monday", "bye"]);
    }

    #[test]
    fn sharp_s_and_unknown_chars() {
        let text = "einschließlich 日本";
        let folded = fold(text);
        assert_eq!(folded.word(0), "einschliesslich");
        assert_eq!(
            &text[folded.toks[0].o_start..folded.toks[0].o_end],
            "einschließlich"
        );
        assert!(folded.toks[1..].iter().all(|t| t.kind == Kind::Punct(b'^')));
    }

    #[test]
    fn folds_central_european_nordic_and_turkish_letters() {
        let folded = fold("Łódź ŻÓŁW źćńąę Řež ďťňůě ŠČŽÝ Şişli İZMİR ığüöç Ørsted Ægir Åre ä");
        assert_eq!(
            folded.text,
            "lodz zolw zcnae rez dtnue sczy sisli izmir iguoc orsted aegir are a"
        );
        // Decomposed accents and full-width digits.
        assert_eq!(fold("e\u{301}te\u{301} １２．７").text, "ete 12.7");
    }

    #[test]
    fn folds_japanese_date_words_and_keeps_offsets() {
        let text = "12月7日（月）まで不在。明日";
        let folded = fold(text);
        let words: Vec<&str> = (0..folded.toks.len()).map(|i| folded.word(i)).collect();
        assert_eq!(
            words,
            ["12", "gatsu", "7", "nichi", "(", "mon", ")", "made", "fuzai", ".", "ashita"]
        );
        let made = &folded.toks[7];
        assert_eq!(&text[made.o_start..made.o_end], "まで");
        // 月 and 日 are month and day only after a digit.
        let folded = fold("月曜日 今月");
        let words: Vec<&str> = (0..folded.toks.len()).map(|i| folded.word(i)).collect();
        assert_eq!(words, ["monday", "this", "month"]);
    }

    #[test]
    fn paragraph_breaks() {
        let folded = fold("a\nb\n\nc");
        assert!(!folded.toks[1].para);
        assert!(folded.toks[2].para);
    }

    #[test]
    fn cap_respects_char_boundaries() {
        let text = "é".repeat(MAX_TEXT_BYTES);
        let capped = cap(&text);
        assert!(capped.len() <= MAX_TEXT_BYTES);
        assert!(text.is_char_boundary(capped.len()));
    }
}
