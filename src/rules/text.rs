//! Text preparation: from a reply body to the reply's own words.
//!
//! Quoted history (our own step, most of the time), forwarded messages and signatures are cut
//! off, so that neither the category nor the return date can come from text we wrote. The
//! forms recognised are the ones common clients write in the languages we support (en de fr
//! es it nl pt pl sv da no fi cs tr ja):
//! attribution lines ("On ... wrote:", "Am ... schrieb ...:", "Le ... a écrit :", ...),
//! Outlook's header block ("From:/Sent:", "Von:/Gesendet:", "De :/Envoyé :", ...), separator
//! lines ("-----Original Message-----", "-------- Ursprüngliche Nachricht --------"), `>`
//! quoting and the "-- " signature line.
//!
//! **Invariant:** pure, and linear in the size of the input; at most [`MAX_TEXT_BYTES`] of a
//! body are looked at, so a 5 MB signature is cut, not choked on.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{Regex, RegexSet};

/// How many bytes of a body are considered at most.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// How many bytes of a subject are considered at most.
pub const MAX_SUBJECT_BYTES: usize = 1024;

/// Lines that start quoted history or a signature: everything from there on is cut.
static CUT_LINES: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new([
        // Signature separator (RFC 3676 "-- ", and the "--" many clients leave after trimming).
        r"^--\s*$",
        // Separator lines of Outlook, Thunderbird and webmailers, in the supported languages.
        r"(?i)^\s*-{2,}\s*(original message|ursprüngliche nachricht|originalnachricht|message d'origine|message original|mensaje original|messaggio originale|messaggio inoltrato|oorspronkelijk bericht|origineel bericht|mensagem original|forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado|doorgestuurd bericht|mensagem encaminhada)\s*-{2,}\s*$",
        r"(?i)^\s*-{2,}\s*(wiadomość oryginalna|oryginalna wiadomość|przekazana wiadomość|wiadomość przekazana|ursprungligt meddelande|originalmeddelande|vidarebefordrat meddelande|oprindelig meddelelse|oprindelig besked|videresendt meddelelse|videresendt besked|opprinnelig melding|videresendt melding|alkuperäinen viesti|välitetty viesti|původní zpráva|přeposlaná zpráva|původní e-mail|přeposlaný e-mail|özgün [iİ]leti|orijinal [iİ]leti|orijinal mesaj|[iİ]letilen [iİ]leti|yönlendirilen [iİ]leti|yönlendirilmiş [iİ]leti|yönlendirilmiş mesaj|元のメッセージ|転送メッセージ|転送されたメッセージ)\s*-{2,}\s*$",
        r"(?i)^\s*(begin forwarded message|anfang der weitergeleiteten nachricht|début du message réenvoyé|début du message transféré|inicio del mensaje reenviado|inizio messaggio inoltrato|begin doorgestuurd bericht|início da mensagem reencaminhada|início da mensagem encaminhada)\s*:\s*$",
        // Mobile client signatures.
        r"(?i)^\s*(sent from my|von meinem \S+ gesendet|gesendet von meinem|envoyé de mon|enviado desde mi|inviato da(l mio)? |verzonden (vanaf|met) mijn|verstuurd vanaf mijn|enviado do meu|enviado a partir do meu)",
        r"(?i)^\s*(wysłane z|wysłano z|skickat från min|skickades från min|sendt fra min|lähetetty \S*(iphone|ipad|android|outlook|samsung)|odesláno z|iphone.{0,6}dan gönderildi|ipad.{0,6}den gönderildi|android.{0,12}gönderildi|iphoneから送信|ipadから送信|androidから送信)",
    ])
    // Constant patterns; `cut_patterns_compile` in the tests below proves they compile.
    .expect("constant cut patterns compile")
});

/// Attribution lines that start quoted history ("On <date>, <name> wrote:"), each ending in
/// a colon. Kept apart from [`CUT_LINES`] and run only on a line that ends in one (with the
/// lines on every line with a colon or a link, they took a quarter of the time of reading
/// list mail, callgrind). Written for the regex crate's lazy DFA: `.*` rather than counted
/// spans (a line is at most 400 bytes anyway, see `is_cut_line`), and ASCII word boundaries
/// before the verbs, which all begin with an ASCII letter (a Unicode one sends any line with
/// an accent to a far slower engine).
static ATTRIBUTION_LINES: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new([
        // Attribution lines: "On <date>, <name> wrote:" and its translations.
        r"(?i)^\s*(on|am|le|el|il|op|em|in)\s.*(?-u:\b)(wrote|writes|schrieb|a écrit|escribió|escribio|ha scritto|schreef|geschreven|escreveu)[^:]*:\s*$",
        r"(?i)^.*[@\d].*(?-u:\b)(wrote|schrieb|a écrit|escribió|escribio|ha scritto|schreef|geschreven|escreveu)\s*:\s*$",
        // The same in Polish, Swedish, Danish, Norwegian, Finnish, Czech and Turkish
        // ("W dniu ... napisał(a):", "Den ... skrev ...:", "... kirjoitti:", "Dne ... napsal(a):",
        // "... tarihinde şunu yazdı:").
        r"(?i)^.*[@\d].*(?-u:\b)(napisał|napisała|napisał\(a\)|pisze|skrev|kirjoitti|napsal|napsala|napsal\(a\)|yazdı)\s*:\s*$",
        r"(?i)^\s*(w dniu|dnia|den|dne)\s.*(?-u:\b)(napisał|napisała|pisze|skrev|napsal|napsala)[^:]*:\s*$",
        r"(?i)^.*\d.*(?-u:\b)(skrev|napsal|napsala)[^:]*[@<][^:]*:\s*$",
        // Japanese Gmail: "2026年12月1日(火) 10:00 Sales <s@x.test>:".
        r"^\s*\d{4}年\d{1,2}月\d{1,2}日.*<[^<>\s]+@[^<>\s]+>\s*[:：]\s*$",
    ])
    // Constant patterns; `cut_patterns_compile` in the tests below proves they compile.
    .expect("constant attribution patterns compile")
});

/// Quoted history run into the reply's own line, as a client that flattens a message (or a
/// copy of one into a web form or a ticket) leaves it: "Thx. Sent from my iPhone > On Mar 2,
/// 2026, at 9:14 AM, Jordan <j@x.test> wrote: > Hi", "Merci. Le 6 juil. 2027 à 10:12, Paul a
/// écrit : > Bonjour", "I'm back now. From: Sales Sent: Monday ...", "Saluti ----- Risposta
/// automatica del 08/06 ...". An attribution or header block needs a digit or an address in
/// it (a date, a time), as on its own line, and an attribution its capital ("... out on
/// vacation until the 16th ... wrote:" is no "On ... wrote:").
static INLINE_QUOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\s(?:>\s*)?(?:On|Am|Le|El|Il|Op|Em|W dniu|Den|Dne)\s[^\n?!]{4,160}?\s(?i:wrote|schrieb|a écrit|escribió|escribio|ha scritto|schreef|escreveu|napisał\(a\)|napisała|napisał|skrev|kirjoitti|napsal\(a\)|napsala|napsal)\s?:",
        r"|(?i)\s(?:>\s*)?\*?(?:from|von|de|da|van|od|från|fra|kimden)\s?\*?:\s[^\n]{1,160}?\s\*?(?:sent|gesendet|envoyé|enviado|inviato|verzonden|date|datum|wysłano|skickat|sendt|odesláno|gönderildi)\s?\*?:",
        r"|(?i)\s-{3,}\s*(?:original message|ursprüngliche nachricht|message d'origine|mensaje original|messaggio originale|oorspronkelijk bericht|mensagem original|forwarded message|automatic reply|risposta automatica|réponse automatique|respuesta automática|automatische antwort|resposta automática)",
    ))
    // Constant pattern; proven by `cut_patterns_compile`.
    .expect("constant inline quote pattern compiles")
});

/// Where quoted history begins inside `line`, after some words of the reply's own (see
/// [`INLINE_QUOTE`]), or `None`.
fn inline_quote_start(line: &str) -> Option<usize> {
    // A quick filter: every form has a colon or a run of dashes.
    if line.len() < 24 || !(line.contains(':') || line.contains("---")) {
        return None;
    }
    let found = INLINE_QUOTE.find(line)?;
    // The date of a header block follows its "Sent:".
    let text = line
        .as_bytes()
        .get(found.start()..(found.end() + 40).min(line.len()))
        .unwrap_or_default();
    let dated = found.as_str().contains("---") || text.iter().any(|b| b.is_ascii_digit() || *b == b'@');
    (dated && !line[..found.start()].trim().is_empty()).then_some(found.start())
}

/// `line` (trimmed) is a cut line of [`CUT_LINES`], or ends in a colon and is an attribution
/// line of [`ATTRIBUTION_LINES`].
fn cut_pattern(line: &str) -> bool {
    CUT_LINES.is_match(line) || (line.trim_end().ends_with([':', '：']) && ATTRIBUTION_LINES.is_match(line))
}

/// The first line of an Outlook header block ("From:" and its translations).
static OUTLOOK_FROM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*\*?(from|von|de|da|van|från|fra|od|lähettäjä|kimden|差出人)\s?\*?\s?[:：]")
        // Constant pattern; proven by `cut_patterns_compile`.
        .expect("constant outlook pattern compiles")
});

/// A later line of an Outlook header block ("Sent:", "Date:" and their translations).
static OUTLOOK_NEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*\*?(sent|date|gesendet|datum|envoyé|date d'envoi|enviado|enviada|fecha|inviato|data|verzonden|verstuurd|to|an|à|para|a|aan|subject|betreff|objet|asunto|oggetto|onderwerp|assunto|wysłano|wysłane|do|temat|skickat|till|ämne|sendt|til|emne|dato|lähetetty|vastaanottaja|aihe|päivämäärä|odesláno|komu|předmět|gönderildi|gönderilme tarihi|tarih|kime|konu|送信日時|宛先|件名|日付)\s?\*?\s?[:：]",
    )
    // Constant pattern; proven by `cut_patterns_compile`.
    .expect("constant outlook pattern compiles")
});

/// A footer line of a mailing list, a newsletter or a company (or our own unsubscribe footer
/// copied into a reply without `>`): it names an unsubscribe word together with a link, a
/// "click here", a second-person "you" or "this list". Such lines say how one *could*
/// unsubscribe and are never the writer asking to (DESIGN "Replies", point 7); the prepared
/// text leaves them out.
static FOOTER_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(unsubscri|abmelden|abbestellen|austragen|d[ée]sabonn|d[ée]sinscri|de baja|cancelar (la |su )?suscripci|disiscri|cancellarti|cancellazione|afmelden|uitschrijven|descadastr|descredenciar|cancelar (a )?(sua )?inscri|wypisa|avregistrera|afmeld|avmeld|peruuta tilaus|odhl[áa]s|abonelikten|opt[- ]out|配信停止|登録解除|stop receiving|no longer (wish|want) to receive|keine (e-?mails|nachrichten|newsletter|informationen) mehr (erhalten|empfangen|bekommen)|ne (plus|souhaitez plus|voulez plus) recevoir|no (desea|quiere) recibir m[áa]s|(non|più) (desidera|vuole|desideri|vuoi) (più )?ricevere|geen (e-?mails|mails|berichten|nieuwsbrieven) meer (van ons )?ontvangen|(não|nao) (deseja|quer) (mais )?receber|deixar de receber)",
    )
    // Constant pattern; proven by `cut_patterns_compile`.
    .expect("constant footer pattern compiles")
});

/// What makes a line with an unsubscribe word a footer rather than a request.
static FOOTER_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&ascii_boundaries(r"(?i)(https?://|www\.|mailto:|\bclick|\bklick|\bcliqu|\bclic\b|\bclicca|\bklik|\bclique|\bhere\b|\bhier\b|\bici\b|\baqu(í|i\b)|\bqui\b|\blink|\byou\b|\byour\b|\bvous\b|\bvotre\b|\busted\b|\bpreferences|\bthis (list|group|newsletter|mailing|e-?mail)|\bmanage\b|^\s*(to )?unsubscribe\s*([:|]|from\b)|^\s*to (unsubscribe|opt[- ]out|stop receiving)\b|\bsend (an? )?(blank )?(e-?mail|message)\b|[\w.+]-(leave|unsubscribe|request|off)@|\bsie (können|koennen|erhalten)|\bdiese[nr]? (newsletter|e-?mail|nachricht)|\b(wilt|als|kunt) u\b|\bdesea\b|\bdesidera\b|\bdeseja\b|\b(our|unse?re[mn]?|notre|nos|nuestros?|nuestras?|nostr[aoei]|onze|nossos?|nossas?) (newsletters?|nieuwsbrie(f|ven)|bolet(í|i)n|infolettre|lettre d.information|mailings?|mailinglijst))"),
    )
    // Constant pattern; proven by `cut_patterns_compile`.
    .expect("constant footer pattern compiles")
});

/// First-person words: a line with one is the writer speaking ("please unsubscribe me from
/// your list"), not a footer.
static FIRST_PERSON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&ascii_boundaries(r"(?i)\b(i|me|my|mine|we|ich|mich|mir|meine?|je|moi|mes|yo|io|ik|mij|mijn|eu|meu|minha)\b|\b(unsubscribe|remove|delete|take) us\b"))
        // Constant pattern; proven by `cut_patterns_compile`.
        .expect("constant first-person pattern compiles")
});

/// A polite request ("please", "bitte", "merci de", "por favor", ...): with one, a line
/// that names an unsubscribe word and an address ("Please unsubscribe kim@example.com from
/// your list") is the writer asking, unless it also points at a link or says "if you"
/// (see [`FOOTER_ADDRESSED`]): footers say "please click here to unsubscribe".
static REQUEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&ascii_boundaries(r"(?i)\b(please|pls|plz|kindly|bitte|merci de|veuillez|por favor|per favore|graag|alsjeblieft|alstublieft|prosze|snälla|venligst|vennligst|prosím|lütfen|lutfen)\b|\bproszę"))
        // Constant pattern; proven by `cut_patterns_compile`.
        .expect("constant request pattern compiles")
});

/// What a footer has and a request does not: a link, something to click, or a condition
/// put to the reader ("if you no longer wish ...", "wenn Sie ...", "si vous ...").
static FOOTER_ADDRESSED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&ascii_boundaries(r"(?i)(https?://|www\.|mailto:|\bclick|\bklick|\bcliqu|\bclic\b|\bclicca|\bklik|\bclique|\bhere\b|\bhier\b|\bici\b|\baqu(í|i\b)|\bqui\b|\blink|\bpreferences|\bmanage\b|\bif you\b|\bshould you\b|\bwenn sie\b|\bfalls sie\b|\bsi vous\b|\bsi (usted|no desea)\b|\bse (non )?(desidera|desideri|vuoi)\b|\bals u\b|\bcaso (não|nao)?\s?(deseje|queira)\b|^\s*to (unsubscribe|opt[- ]out|stop receiving)\b)"))
        // Constant pattern; proven by `cut_patterns_compile`.
        .expect("constant footer-addressed pattern compiles")
});

/// `pattern` with ASCII word boundaries (`(?-u:\b)`) for its `\b`: a Unicode word boundary
/// keeps the regex crate's lazy DFA off any line with a non-ASCII letter, and the slow engine
/// it falls back to took a quarter of the time of reading list mail (callgrind). Every `\b`
/// of the footer patterns stands next to an ASCII letter ("proszę" and "aquí" are written
/// without one after their last letter), where both kinds of boundary agree.
fn ascii_boundaries(pattern: &str) -> String {
    pattern.replace(r"\b", r"(?-u:\b)")
}

/// Lines longer than this are read sentence by sentence for a footer (see
/// [`without_footer_sentences`]); a footer line of its own is shorter.
const FOOTER_SENTENCES_FROM: usize = 200;

/// `line` without its sentences that are footers about unsubscribing (see
/// [`is_footer_line`]): a sentence ends at a stop, "!" or "?" before a space, or at a rule
/// of dashes.
fn without_footer_sentences(line: &str) -> String {
    let mut kept = String::with_capacity(line.len());
    let mut start = 0;
    let bytes = line.as_bytes();
    let mut ends = Vec::new();
    for (at, &b) in bytes.iter().enumerate() {
        let stop = matches!(b, b'.' | b'!' | b'?') && bytes.get(at + 1).is_none_or(|&n| n == b' ');
        let rule = b == b'-' && bytes.get(at + 1) == Some(&b'-') && bytes.get(at + 2) == Some(&b'-');
        if stop || rule {
            ends.push(at + 1);
        }
    }
    ends.push(line.len());
    for end in ends {
        if end <= start {
            continue;
        }
        let Some(sentence) = line.get(start..end) else {
            continue;
        };
        if !is_footer_line(sentence.trim()) {
            kept.push_str(sentence);
        }
        start = end;
    }
    kept
}

/// Whether `line` is a list or company footer about unsubscribing (see [`FOOTER_WORD`]).
fn is_footer_line(line: &str) -> bool {
    line.len() < 1000
        && FOOTER_WORD.is_match(line)
        && FOOTER_MARK.is_match(line)
        && !FIRST_PERSON.is_match(line)
        && (!REQUEST.is_match(line) || FOOTER_ADDRESSED.is_match(line))
}

/// Reply prefixes that may stand before an auto-reply's or a forward's own ("RE: Automatic
/// reply:", "AW: WG:"): the subject patterns below look past them.
const REPLY_CHAIN: &str = r"((re|aw|sv|antw|odp|r|ris)\s*:\s*)*";

/// Auto-reply prefixes of a subject ("Automatic reply:", "Réponse automatique :",
/// "自動返信:"), in every supported language.
const AUTO_PREFIXES: &str = "auto|automatic reply|auto reply|autoreply|automatische antwort|réponse automatique|respuesta automática|respuesta automatica|risposta automatica|automatisch antwoord|resposta automática|resposta automatica|automatyczna odpowiedź|odpowiedź automatyczna|automatiskt svar|autosvar|automatisk svar|automatisk besked|automaattinen vastaus|automaattivastaus|automatická odpověď|automatická odpoveď|otomat[iİ]k yanıt|otomat[iİ]k cevap|otomat[iİ]k yanit|自動応答|自動返信|自動送信";

/// Reply and auto-reply prefixes of a subject: when one is present, the rest is the original
/// subject (ours), not the writer's words.
static SUBJECT_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^\s*(re|aw|sv|antw|antwort|fw|fwd|wg|tr|rif|r|ris|enc|rv|res|{AUTO_PREFIXES}|odp|pd|vs|vl|vb|vast|ynt|cvp|[iİ]lt)\s*(\[\d+\])?\s*[:：]",
    ))
    // Constant pattern; proven by `cut_patterns_compile`.
    .expect("constant subject pattern compiles")
});

/// An auto-reply prefix first, maybe after reply prefixes ("Automatic reply: Re: ...").
static AUTO_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^\s*{REPLY_CHAIN}({AUTO_PREFIXES})\s*(\[\d+\])?\s*[:：]"
    ))
    // Constant pattern; proven by `cut_patterns_compile`.
    .expect("constant auto-reply subject pattern compiles")
});

/// The subject says a machine answered ("Automatic reply: Quick question"): Outlook and
/// most responders title their replies so even when they set no header.
pub fn machine_subject(subject: &str) -> bool {
    AUTO_SUBJECT.is_match(subject)
}

/// Forward prefixes of a subject ("Fwd:", "WG:", "TR:", "RV:", "I:", ...): the message is
/// someone else's, passed on.
static FORWARD_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^\s*{REPLY_CHAIN}(fw|fwd|wg|tr|rv|enc|i|doorst|pd|vs|vb|vl|přep|prep|ilt|[iİ]lt|転送)\s*(\[\d+\])?\s*[:：]"
    ))
    // Constant pattern; proven by `cut_patterns_compile`.
    .expect("constant forward prefix pattern compiles")
});

/// A separator line that announces a forwarded message ("---------- Forwarded message
/// ---------", "Begin forwarded message:", "-------- Weitergeleitete Nachricht --------",
/// "-----Original Message-----", Outlook's underscore rule, ...).
static FORWARD_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(-{2,}\s*(forwarded message|original message|weitergeleitete nachricht|ursprüngliche nachricht|message transféré|message d'origine|mensaje reenviado|mensaje original|messaggio inoltrato|messaggio originale|doorgestuurd bericht|oorspronkelijk bericht|mensagem encaminhada|mensagem original|przekazana wiadomość|wiadomość przekazana|vidarebefordrat meddelande|videresendt (meddelelse|besked|melding)|välitetty viesti|přeposlaná zpráva|[iİ]letilen [iİ]leti|転送メッセージ)\s*-{2,}|(begin forwarded message|anfang der weitergeleiteten nachricht|début du message réenvoyé|début du message transféré|inicio del mensaje reenviado|inizio messaggio inoltrato|begin doorgestuurd bericht|início da mensagem (reencaminhada|encaminhada))\s*:|_{10,})\s*$",
    )
    // Constant pattern; proven by `cut_patterns_compile`.
    .expect("constant forward mark pattern compiles")
});

/// The "Subject:" line of a forwarded header block, in the supported languages.
static FORWARD_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*\*?(subject|betreff|objet|asunto|oggetto|onderwerp|assunto|temat|ämne|emne|aihe|předmět|konu|件名)\s?\*?\s?[:：]")
        // Constant pattern; proven by `cut_patterns_compile`.
        .expect("constant forward subject pattern compiles")
});

/// The sender and subject of a message forwarded inline: the header block ("From: ...",
/// "Subject: ...", in any order, in the supported languages) that follows a forward separator
/// line, or that opens the forwarded part when `subject` carries a forward prefix ("Fwd:",
/// "WG:", ...; Outlook writes no separator). `None` when the body forwards nothing.
///
/// The prepared text cuts forwarded messages off (they are not the writer's words), so this
/// is how a bounce that a person forwarded stays a bounce: the rules see the block as the
/// `:forwarded-from` and `:forwarded-subject` pseudo-headers (see `rules::parse`).
/// Reads the first [`MAX_TEXT_BYTES`] and the first header block only.
pub fn forwarded_header_block(body: &str, subject: &str) -> Option<(String, String)> {
    let body = truncate(body, MAX_TEXT_BYTES);
    let mut marked = FORWARD_PREFIX.is_match(truncate(subject, MAX_SUBJECT_BYTES));
    let lines: Vec<&str> = body.lines().take(2000).collect();
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim_start_matches('>').trim();
        if FORWARD_MARK.is_match(line) {
            marked = true;
            continue;
        }
        if !marked || !(OUTLOOK_FROM.is_match(line) || FORWARD_SUBJECT.is_match(line)) {
            continue;
        }
        // The block: this line and the header-like lines right after it.
        let (mut from, mut subj) = (String::new(), String::new());
        for field in lines[i..].iter().take(12) {
            let field = field.trim_start_matches('>').trim();
            if field.is_empty() && (!from.is_empty() || !subj.is_empty()) {
                break;
            }
            let value = || {
                field
                    .split_once([':', '：'])
                    .map(|(_, v)| truncate(v.trim(), 512).to_string())
                    .unwrap_or_default()
            };
            if from.is_empty() && OUTLOOK_FROM.is_match(field) {
                from = value();
            } else if subj.is_empty() && FORWARD_SUBJECT.is_match(field) {
                subj = value();
            }
        }
        if from.is_empty() && subj.is_empty() {
            return None;
        }
        return Some((from, subj));
    }
    None
}

/// Cuts `s` to at most `max` bytes, at a character boundary.
pub fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// How long a body's only line must be, opening with `>`, to be read as flattened text
/// rather than dropped as quoted history (see [`prepare`]): longer than any wrapped quote.
const FLATTENED_QUOTE_BYTES: usize = 120;

/// Turns a plain-text body into the reply's own words.
///
/// Looks at the first [`MAX_TEXT_BYTES`] only; normalises line ends and non-breaking spaces;
/// drops `>`-quoted lines and unsubscribe footers; cuts at the first attribution line, separator, Outlook header block
/// or signature. Leading and trailing blank lines are removed.
pub fn prepare(body: &str) -> String {
    let body = truncate(body, MAX_TEXT_BYTES);
    let mut out = String::with_capacity(body.len().min(8192));
    let lines: Vec<&str> = body
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    // A body of one long line that opens with a quote mark is text flattened from a web page
    // or a tracker's comment ("> Heads-up: most maintainers are on summer break from 12 July
    // ..."): mail quoting history wraps its lines and comes after the reply or its
    // attribution. Its words are read, not dropped as quoted history.
    let mut nonblank = lines.iter().filter(|l| !l.trim().is_empty());
    let flattened = match (nonblank.next(), nonblank.next()) {
        (Some(only), None) => only.trim_start().starts_with('>') && only.len() >= FLATTENED_QUOTE_BYTES,
        _ => false,
    };
    let mut idx = 0;
    while idx < lines.len() {
        let line = lines[idx];
        // The quote marks of the flattened lines go, the one before the text and those
        // inside it ("> [!WARNING] > This project is on hiatus").
        let unquoted;
        let line = if flattened {
            unquoted = line
                .trim_start()
                .trim_start_matches(['>', ' '])
                .replace(" > ", " ");
            unquoted.as_str()
        } else {
            line
        };
        let trimmed = line.trim_start();
        if trimmed.starts_with('>') {
            idx += 1;
            continue;
        }
        if is_cut_line(line, lines.get(idx + 1).copied(), &lines[idx + 1..]) {
            break;
        }
        if line.len() <= FOOTER_SENTENCES_FROM && is_footer_line(line) {
            idx += 1;
            continue;
        }
        // A notice written as one long line (its breaks lost, or never made) may end in a
        // footer's sentence ("... Camille, Responsable des ventes. Conformément au RGPD, vous
        // pouvez vous désinscrire à tout moment."): that sentence goes, the rest stays.
        let unfooted;
        let line = if line.len() > FOOTER_SENTENCES_FROM && FOOTER_WORD.is_match(line) {
            unfooted = without_footer_sentences(line);
            unfooted.as_str()
        } else {
            line
        };
        // A flattened quote keeps its inner quote marks ("> [!WARNING] > This project is on
        // hiatus"): the whole line was quoted, none of it is history after a reply.
        let quoted_from = if flattened { None } else { inline_quote_start(line) };
        let line = quoted_from.map_or(line, |at| &line[..at]);
        for ch in line.chars() {
            out.push(match ch {
                '\u{a0}' | '\u{202f}' | '\t' => ' ',
                '\u{200b}' | '\u{feff}' => continue,
                c => c,
            });
        }
        out.push('\n');
        if quoted_from.is_some() {
            break;
        }
        idx += 1;
    }
    let kept = out.trim_matches(|c: char| c == '\n' || c == ' ');
    if kept.len() == out.len() {
        return out;
    }
    kept.to_string()
}

/// Whether `line` starts quoted history or a signature. `next` is the following line (an
/// attribution line may wrap onto it), `rest` all lines after `line`.
fn is_cut_line(line: &str, next: Option<&str>, rest: &[&str]) -> bool {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return false;
    }
    // A quick filter: every cut form has one of these characters or words.
    let candidate = trimmed.contains(':')
        || trimmed.starts_with('-')
        || trimmed.starts_with('_')
        || next.is_some_and(|n| n.trim_end().ends_with(':'));
    if !candidate && !looks_like_mobile_signature(trimmed) {
        return false;
    }
    if trimmed.len() > 400 {
        return false;
    }
    let norm = trimmed.replace(['\u{a0}', '\u{202f}'], " ");
    if cut_pattern(&norm) {
        return true;
    }
    // "On Mon, 1 Jun 2026 at 10:00, Jane Doe <" + "jane@example.com> wrote:" wrapped by Gmail.
    if let Some(next) = next {
        let next = next.trim();
        if !next.is_empty() && next.len() < 200 && next.ends_with(':') {
            let joined = format!("{norm} {}", next.replace(['\u{a0}', '\u{202f}'], " "));
            if cut_pattern(&joined) {
                return true;
            }
        }
    }
    // A line of underscores followed by an Outlook block.
    if trimmed.len() >= 10 && trimmed.chars().all(|c| c == '_' || c == '-') {
        return rest
            .iter()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| OUTLOOK_FROM.is_match(l));
    }
    // Outlook's header block: "From:" followed within a few lines by "Sent:"/"To:"/... .
    if OUTLOOK_FROM.is_match(&norm) {
        return rest.iter().take(4).filter(|l| OUTLOOK_NEXT.is_match(l)).count() >= 1;
    }
    false
}

/// A cheap check for "Sent from my iPhone" and its translations, which have no colon.
fn looks_like_mobile_signature(trimmed: &str) -> bool {
    trimmed.len() < 80
        && (trimmed.contains("iPhone")
            || trimmed.contains("iPad")
            || trimmed.contains("Android")
            || trimmed.contains("Outlook")
            || trimmed.contains("mobile")
            || trimmed.contains("Samsung"))
}

/// The subject the rules see: when it carries a reply or auto-reply prefix, only the prefix
/// ("Re:", "Automatic reply:"), since the rest is our own subject and must not decide the
/// category (a campaign titled "Plan your vacation" must not make every reply a vacation
/// notice); else the whole subject.
///
/// A delivery failure forwarded or answered by a person ("Fwd: Undelivered Mail Returned to
/// Sender", "Re: Unzustellbar: ...") keeps its whole subject: after the prefixes stands the
/// mail system's subject, not ours, and it is what says the message bounced.
pub fn rule_subject(subject: &str) -> &str {
    let Some(prefix) = SUBJECT_PREFIX.find(subject) else {
        return subject;
    };
    let mut rest = &subject[prefix.end()..];
    while let Some(next) = SUBJECT_PREFIX.find(rest) {
        rest = &rest[next.end()..];
    }
    if DSN_SUBJECT.is_match(rest) {
        return rest.trim_start();
    }
    prefix.as_str()
}

/// The subjects mail systems give delivery failures, in the supported languages.
static DSN_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(undeliver(able|ed)|returned mail|mail delivery (failed|failure|system)|delivery status notification|failure notice|(delivery|mail) (failure|failed)|delivery has failed|non[- ]?delivery|message not delivered|could not be delivered|unzustellbar|nicht zustellbar|non remis|non distribuable|échec de (la )?remise|no se puede entregar|no entregado|non recapitabile|impossibile recapitare|onbestelbaar|kan niet worden bezorgd|não entregue|nao entregue|não foi possível entregar|niedostarczon|nie można dostarczyć|ej levererbart|olevererbart|kunne ikke leveres|ikke levert|ei voitu toimittaa|nedoručiteln|nedoruceno|teslim edilemedi|iletilemedi)",
    )
    // Constant pattern; proven by `cut_patterns_compile`.
    .expect("constant dsn subject pattern compiles")
});

/// A note in brackets or parentheses ("[out until 12/14]", "(OOO bis 18.12.)").
static BRACKETED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\[(]([^\[\]()]{3,80})[\])]")
        // Constant pattern; proven by `cut_patterns_compile`.
        .expect("constant bracket pattern compiles")
});

/// The subject as the writer wrote it, or `None` when it carries a reply or auto-reply
/// prefix ("Re:", "AW:", "Automatic reply:", ...): then the rest is our own subject and must
/// not give a date, except for a note in brackets that a responder or the writer added to it
/// ("Re: Quick question [out until 12/14]"), which is theirs.
pub fn own_subject(subject: &str) -> Option<Cow<'_, str>> {
    let subject = truncate(subject, MAX_SUBJECT_BYTES).trim();
    if subject.is_empty() {
        return None;
    }
    if !SUBJECT_PREFIX.is_match(subject) {
        return Some(Cow::Borrowed(subject));
    }
    let notes: Vec<&str> = BRACKETED
        .captures_iter(subject)
        .filter_map(|c| c.get(1))
        .map(|m| m.as_str().trim())
        .filter(|note| note.chars().any(char::is_alphabetic))
        .collect();
    (!notes.is_empty()).then(|| Cow::Owned(notes.join(". ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_patterns_compile() {
        assert!(CUT_LINES.len() > 3);
        assert!(ATTRIBUTION_LINES.len() > 3);
        assert!(OUTLOOK_FROM.is_match("From: x"));
        assert!(INLINE_QUOTE.is_match(" On 1 Jun, Sales wrote:"));
        assert!(OUTLOOK_NEXT.is_match("Sent: x"));
        assert!(SUBJECT_PREFIX.is_match("Re: x"));
        assert!(SUBJECT_PREFIX.is_match("Automatische Antwort: x"));
        assert!(machine_subject("Automatic reply: Re: Quick question"));
        assert!(machine_subject("RE: Réponse automatique : Quick question"));
        assert!(!machine_subject("Re: Quick question"));
        assert!(FOOTER_WORD.is_match("unsubscribe"));
        assert!(DSN_SUBJECT.is_match("Undeliverable: x"));
        assert!(FOOTER_MARK.is_match("click"));
        assert!(FIRST_PERSON.is_match("me"));
        assert!(FORWARD_PREFIX.is_match("Fwd: x"));
        assert!(REQUEST.is_match("please"));
        assert!(FOOTER_ADDRESSED.is_match("if you"));
        assert!(FORWARD_MARK.is_match("Begin forwarded message:"));
        assert!(FORWARD_SUBJECT.is_match("Subject: x"));
        assert!(BRACKETED.is_match("[out]"));
    }

    /// The header block of a message passed on inline: after a separator (Gmail, Apple Mail,
    /// Thunderbird, with Subject before From), or right away under a forward subject
    /// (Outlook); nothing in a reply that only quotes, nor in text that merely says "From:".
    #[test]
    fn forwarded_blocks_are_found() {
        let gmail = "See below, can you check?\n\n---------- Forwarded message ---------\nFrom: Mail Delivery Subsystem <mailer-daemon@mx.example.net>\nDate: Tue, 1 Dec 2026\nSubject: Message not accepted\nTo: Ana <ana@example.org>\n\nThe text.";
        assert_eq!(
            forwarded_header_block(gmail, "Fwd: Message not accepted"),
            Some((
                "Mail Delivery Subsystem <mailer-daemon@mx.example.net>".to_string(),
                "Message not accepted".to_string()
            ))
        );
        let thunderbird = "-------- Weitergeleitete Nachricht --------\nBetreff: \tAntwort vom System\nDatum: Tue, 1 Dec 2026\nVon: postmaster@example.de\n\nText";
        assert_eq!(
            forwarded_header_block(thunderbird, "WG: Antwort vom System"),
            Some((
                "postmaster@example.de".to_string(),
                "Antwort vom System".to_string()
            ))
        );
        let outlook = "FYI\n\nFrom: System Administrator <admin@example.com>\nSent: Tuesday, December 1, 2026 10:00\nTo: Bo\nSubject: Not delivered\n\nText";
        assert_eq!(
            forwarded_header_block(outlook, "FW: Not delivered").map(|(f, _)| f),
            Some("System Administrator <admin@example.com>".to_string())
        );
        assert_eq!(forwarded_header_block(outlook, "Re: Quick question"), None);
        assert_eq!(forwarded_header_block("From: the team, thanks!", "Hello"), None);
    }

    #[test]
    fn footers_are_not_the_writer() {
        for footer in [
            "To unsubscribe from this group and stop receiving emails from it, send an email to x+unsubscribe@googlegroups.com.",
            "Unsubscribe: https://lists.example.org/u/abc",
            "If you no longer wish to receive these emails, click here to unsubscribe.",
            "Sie können sich jederzeit hier abmelden: https://example.de/abmelden",
            "Pour vous désabonner, cliquez ici.",
            "Para darse de baja haga clic aquí.",
            "Unsubscribe | Manage preferences",
            "To unsubscribe send an email to partners-leave@lists.example.net",
            "If you would rather not hear from us, please unsubscribe by replying STOP.",
            "Please click here to unsubscribe.",
            "To stop receiving our newsletter, reply STOP.",
            "Wilt u geen e-mails meer van ons ontvangen? Laat het ons weten.",
            "Vous pouvez vous désinscrire à tout moment de nos communications.",
            "Uitschrijven voor onze nieuwsbrief?",
            "Vom Newsletter abmelden: unseren Newsletter können Sie jederzeit abbestellen.",
        ] {
            assert!(is_footer_line(footer), "{footer}");
        }
        for request in [
            "Please unsubscribe me from your list.",
            "Unsubscribe",
            "Bitte tragen Sie mich aus Ihrem Verteiler aus, ich möchte mich abmelden.",
            "Je veux me désabonner.",
            "Please unsubscribe us from your mailing list.",
            "Please unsubscribe lee@example.net from your list.",
            "Bitte austragen: lee@example.de, danke.",
            "Unsubscribe lee@example.net",
        ] {
            assert!(!is_footer_line(request), "{request}");
        }
    }

    fn check(body: &str, expect: &str) {
        assert_eq!(prepare(body), expect, "body: {body:?}");
    }

    /// Quoted history run into the reply's line is cut where it begins; an "on" of the
    /// reply's own words, or a colon with no date after it, is not a quote.
    #[test]
    fn inline_quotes() {
        check(
            "Sounds good, send it. Sent from my phone > On Tue, 2 Jun 2026 at 10:00, Sales <s@x.test> wrote: > Hi Kim",
            "Sounds good, send it. Sent from my phone",
        );
        check(
            "Volontiers. Le 2 juin 2026 à 10:00, Sales a écrit : > Bonjour",
            "Volontiers.",
        );
        check(
            "I'm back, send the quote. Kim  From: Kim Lee Sent: 01 June 2026 08:10 Subject: Automatic reply > I am away",
            "I'm back, send the quote. Kim",
        );
        check(
            "Sono rientrato, grazie. ----- Risposta automatica del 01/06/2026 ----- Sono in ferie",
            "Sono rientrato, grazie.",
        );
        let own = "I'm out on leave until June 16, can you resend then? Nobody wrote: fine.";
        check(own, own);
        let note = "Note from: the team. Date: later";
        check(note, note);
    }

    #[test]
    fn cuts_table() {
        check(
            "Thanks!\n\nOn Mon, Jun 1, 2026 at 10:00 AM Sales <s@x.test> wrote:\n> Hi",
            "Thanks!",
        );
        check(
            "Thanks!\nOn Mon, Jun 1, 2026 at 10:00 AM Sales <\ns@x.test> wrote:\n> Hi",
            "Thanks!",
        );
        check(
            "Danke\n\nAm 01.06.2026 um 10:00 schrieb Sales <s@x.test>:\n> Hallo",
            "Danke",
        );
        check(
            "Merci\n\nLe lun. 1 juin 2026 à 10:00, Sales <s@x.test> a écrit :\n> Bonjour",
            "Merci",
        );
        check(
            "Gracias\n\nEl lun, 1 jun 2026 a las 10:00, Sales (<s@x.test>) escribió:\n",
            "Gracias",
        );
        check(
            "Grazie\n\nIl giorno lun 1 giu 2026 alle ore 10:00 Sales <s@x.test> ha scritto:\n",
            "Grazie",
        );
        check(
            "Dank\n\nOp ma 1 jun. 2026 om 10:00 schreef Sales <s@x.test>:\n",
            "Dank",
        );
        check(
            "Dank\n\nOp 1 jun. 2026, om 10:00 heeft Sales <s@x.test> het volgende geschreven:\n",
            "Dank",
        );
        check("Ok\n\nOn 12/1/26, 9:00 AM, \"Sales\" <s@x.test> wrote:\n", "Ok");
        check(
            "Ok\n\nLe 01/12/2026 09:00, « Sales » <s@x.test> a écrit :\n",
            "Ok",
        );
        check("Ok\n-----Ursprüngliche Nachricht-----\nVon: x\nGesendet: y", "Ok");
        check(
            "Obrigado\n\nEm seg., 1 de jun. de 2026 às 10:00, Sales <s@x.test> escreveu:\n",
            "Obrigado",
        );
        check(
            "Ok\n\nFrom: Sales <s@x.test>\nSent: Monday, June 1, 2026 10:00 AM\nTo: a\nSubject: b",
            "Ok",
        );
        check(
            "Ok\n\nVon: Sales <s@x.test>\nGesendet: Montag, 1. Juni 2026 10:00\nAn: a",
            "Ok",
        );
        check(
            "Ok\n\nDe : Sales <s@x.test>\nEnvoyé : lundi 1 juin 2026 10:00\nÀ : a",
            "Ok",
        );
        check(
            "Ok\n________________________________\nDe: Sales\nEnviado: lunes\nPara: a",
            "Ok",
        );
        check("Ok\n-----Original Message-----\nFrom: x", "Ok");
        check("Ok\n-------- Ursprüngliche Nachricht --------\nVon: x", "Ok");
        check("Ok\n\n-- \nJane Doe\nCEO, June 15 Inc", "Ok");
        check("Ok\n\nSent from my iPhone", "Ok");
        check("Ok\n\nVon meinem iPhone gesendet", "Ok");
        check("> quoted\nmine\n> more\nalso mine", "mine\nalso mine");
        check(
            "Dzięki\n\npon., 1 gru 2026 o 10:00 Sales <s@x.test> napisał(a):\n> Cześć",
            "Dzięki",
        );
        check(
            "Dzięki\n\nW dniu 1.12.2026 o 10:00, Sales pisze:\n> Cześć",
            "Dzięki",
        );
        check(
            "Tack\n\nDen tis 1 dec. 2026 kl 10:00 skrev Sales <s@x.test>:\n> Hej",
            "Tack",
        );
        check(
            "Takk\n\ntir. 1. des. 2026 kl. 10:00 skrev Sales <s@x.test>:\n> Hei",
            "Takk",
        );
        check(
            "Kiitos\n\nti 1.12.2026 klo 10.00 Sales (s@x.test) kirjoitti:\n> Hei",
            "Kiitos",
        );
        check(
            "Díky\n\nút 1. 12. 2026 v 10:00 odesílatel Sales <s@x.test> napsal:\n> Dobrý den",
            "Díky",
        );
        check(
            "Teşekkürler\n\nSal, 1 Ara 2026 tarihinde 10:00 saatinde Sales <s@x.test> şunu yazdı:\n> Merhaba",
            "Teşekkürler",
        );
        check(
            "ありがとうございます。\n\n2026年12月1日(火) 10:00 Sales <s@x.test>:\n> こんにちは",
            "ありがとうございます。",
        );
        check(
            "Ok\n\nOd: Sales <s@x.test>\nWysłano: wtorek, 1 grudnia 2026 10:00\nDo: a\nTemat: b",
            "Ok",
        );
        check(
            "Ok\n\nFrån: Sales <s@x.test>\nSkickat: den 1 december 2026 10:00\nTill: a\nÄmne: b",
            "Ok",
        );
        check(
            "Ok\n\nFra: Sales <s@x.test>\nSendt: 1. december 2026 10:00\nTil: a\nEmne: b",
            "Ok",
        );
        check(
            "Ok\n\nLähettäjä: Sales <s@x.test>\nLähetetty: tiistai 1. joulukuuta 2026 10.00\nVastaanottaja: a\nAihe: b",
            "Ok",
        );
        check(
            "Ok\n\nOd: Sales <s@x.test>\nOdesláno: úterý 1. prosince 2026 10:00\nKomu: a\nPředmět: b",
            "Ok",
        );
        check(
            "Ok\n\nKimden: Sales <s@x.test>\nGönderildi: 1 Aralık 2026 Salı 10:00\nKime: a\nKonu: b",
            "Ok",
        );
        check(
            "了解です。\n\n差出人: Sales <s@x.test>\n送信日時: 2026年12月1日 10:00\n宛先: a\n件名: b",
            "了解です。",
        );
        check("Ok\n-----Wiadomość oryginalna-----\nOd: x", "Ok");
        check("Ok\n-----Ursprungligt meddelande-----\nFrån: x", "Ok");
        check("Ok\n-----Oprindelig meddelelse-----\nFra: x", "Ok");
        check("Ok\n-----Opprinnelig melding-----\nFra: x", "Ok");
        check("Ok\n-----Alkuperäinen viesti-----\nLähettäjä: x", "Ok");
        check("Ok\n-----Původní zpráva-----\nOd: x", "Ok");
        check("Ok\n-----Özgün İleti-----\nKimden: x", "Ok");
        check("Ok\n-----元のメッセージ-----\n差出人: x", "Ok");
        check("Ok\n\nWysłane z iPhone'a", "Ok");
        check("Ok\n\nSkickat från min iPhone", "Ok");
        check("Ok\n\nLähetetty iPhonesta", "Ok");
        check("Ok\n\niPhone'umdan gönderildi", "Ok");
        check("Ok\n\niPhoneから送信", "Ok");
        check(
            "Meeting at 10:00: fine.\nSee you",
            "Meeting at 10:00: fine.\nSee you",
        );
        check("From my side: fine.\nSee you", "From my side: fine.\nSee you");
    }

    #[test]
    fn huge_input_is_cut() {
        let body = "x".repeat(5 * 1024 * 1024);
        assert!(prepare(&body).len() <= MAX_TEXT_BYTES + 1);
        let multibyte = "é".repeat(MAX_TEXT_BYTES);
        assert!(prepare(&multibyte).len() <= MAX_TEXT_BYTES + 1);
    }

    #[test]
    fn forwarded_bounce_keeps_its_subject() {
        assert_eq!(
            rule_subject("Fwd: Returned mail: see transcript"),
            "Returned mail: see transcript"
        );
        assert_eq!(
            rule_subject("Re: AW: Unzustellbar: Kurze Frage"),
            "Unzustellbar: Kurze Frage"
        );
        assert_eq!(rule_subject("Re: Plan your vacation"), "Re:");
    }

    #[test]
    fn own_subject_table() {
        assert_eq!(own_subject("Re: Quick question"), None);
        assert_eq!(own_subject("AW: Kurze Frage"), None);
        assert_eq!(own_subject("Automatic reply: Quick question"), None);
        assert_eq!(own_subject("Réponse automatique : Question"), None);
        for prefixed in [
            "Odp: Pytanie",
            "Automatyczna odpowiedź: Pytanie",
            "Automatiskt svar: Fråga",
            "Automatisk svar: Spørsmål",
            "VS: Kysymys",
            "Automaattinen vastaus: Kysymys",
            "Automatická odpověď: Dotaz",
            "YNT: Soru",
            "Otomatik yanıt: Soru",
            "OTOMATİK YANIT: Soru",
            "自動応答: ご質問",
            "自動返信：ご質問",
        ] {
            assert_eq!(own_subject(prefixed), None, "{prefixed}");
        }
        assert_eq!(
            own_subject("Out of office until June 15").as_deref(),
            Some("Out of office until June 15")
        );
        assert_eq!(own_subject("Vacation").as_deref(), Some("Vacation"));
        // A note added in brackets to our subject is the writer's (or their responder's).
        assert_eq!(
            own_subject("Re: Quick question [out until 12/14]").as_deref(),
            Some("out until 12/14")
        );
        assert_eq!(
            own_subject("AW: (OOO bis 18.12.) Kurze Frage").as_deref(),
            Some("OOO bis 18.12.")
        );
        assert_eq!(own_subject("Re: [123] Quick question"), None);
    }
}
