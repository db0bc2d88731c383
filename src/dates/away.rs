//! Whether the writer says they are away, with or without a date: "I'm on vacation and will
//! reply when I'm back", "Estoy de vacaciones", "Chiuso per ferie", "本日臨時休業".
//!
//! A reply that no absence rule recognised but in which the writer says they are away must
//! not be taken for a person's answer, which would stop the lead for good (DESIGN "Replies",
//! point 7). So the absence words of every language (the cue lexicon the return dates use)
//! are read once more, for the writer's own present or coming absence:
//!
//! - the clause's subject is the writer: a first-person word at most [`SUBJECT_GAP`] tokens
//!   before the absence word ("I'm currently on leave", "wir sind im Betriebsurlaub"), or no
//!   subject at all because the absence word opens its sentence (a notice: "On vacation!",
//!   "Closed for the holidays", "Out of office");
//! - nobody else's absence, no question, no wish ("Happy holidays"), no negation ("not on
//!   holiday"), no past ("I was on leave", "ich war im Urlaub", "sono rientrato dalle ferie");
//! - only the unambiguous absence words count; "off", "out", "busy" and their kind need a
//!   date to say anything (see [`crate::dates::extract_return_date`]).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::dates::cues::{self, CueKind};
use crate::dates::subject;
use crate::dates::tokens::{self, Folded, Kind};
use crate::dates::Lang;

/// How many tokens may stand between the first-person word and the absence word; the
/// tokens of a date between them do not count (see [`window_start`]).
const SUBJECT_GAP: usize = 5;

/// The first token of the stretch before token `at` in which its subject is looked for:
/// [`SUBJECT_GAP`] tokens and one more, not counting the numbers, dots, slashes, dashes,
/// months and weekdays of a date, so that a verb-last clause reads as far back over "dem 14.
/// Dezember" ("ich bin nicht vor dem 14. Dezember im Büro") as over "Montag".
fn window_start(f: &Folded, at: usize) -> usize {
    let mut budget = SUBJECT_GAP + 1;
    let mut k = at;
    while k > 0 && budget > 0 {
        k -= 1;
        let free = f.toks.get(k).is_some_and(|tok| match tok.kind {
            Kind::Num => true,
            // "I'm" is three tokens: its apostrophe and "m" are one word's.
            Kind::Punct(b'.' | b'/' | b'-' | b'\'') => true,
            Kind::Word => {
                tok.lex.month > 0
                    || tok.lex.weekday > 0
                    || (tok.f_end == tok.f_start + 1 && f.is_punct(k.wrapping_sub(1), b'\''))
                    || f.is_any(k, WINDOW_FILLERS)
                    || (f.is_any(k, PERIOD_NOUNS) && f.is_any(k.wrapping_sub(1), &["a", "an"]))
                    || (f.is_word(k, "of") && f.is_any(k.wrapping_sub(1), PERIOD_NOUNS))
                    || (f.is_any(k, &["a", "an"]) && f.is_any(k + 1, PERIOD_NOUNS))
            }
            _ => false,
        });
        if !free {
            budget -= 1;
        }
    }
    k
}

/// Words between the writer and their absence that neither name anyone nor deny it ("I am
/// currently on extended leave"): adverbs of time and manner and the absence's own
/// adjectives. They do not count against [`SUBJECT_GAP`].
const WINDOW_FILLERS: &[&str] = &[
    "currently",
    "presently",
    "still",
    "now",
    "unfortunately",
    "also",
    "actually",
    "extended",
    "prolonged",
];

/// Greetings that open a message before its first sentence's comma ("Hi John,", "Hola,").
pub(crate) const GREETINGS: &[&str] = &[
    "dobry",
    "dzien",
    "guten",
    "goedemorgen",
    "goedemiddag",
    "goedendag",
    "griass",
    "gruss",
    "gruezi",
    "gruzi",
    "hi",
    "hello",
    "hey",
    "dear",
    "hiya",
    "morning",
    "bonjour",
    "salut",
    "hallo",
    "hoi",
    "hola",
    "buenos",
    "buenas",
    "ciao",
    "buongiorno",
    "salve",
    "ola",
    "oi",
    "moin",
    "servus",
    "hej",
    "hei",
    "ahoj",
    "merhaba",
];

/// "A period of", "a spell of", "a stretch of" before an absence ("on a period of extended
/// leave"): its noun phrase, free of the window as the fillers are.
const PERIOD_NOUNS: &[&str] = &["period", "spell", "stretch"];

/// A return cue at `at` denied until a day ("ich bin nicht vor dem 14. im Büro", "ik ben
/// niet voor maandag op kantoor", "not back until Monday"): a negation in the clause before
/// it, and an "until" or "before" between the negation and a few tokens past the cue (or
/// with its day right before the negation: see [`denied_until`]). It says the writer is away
/// until then, as plainly as an absence word.
pub(crate) fn negated_return(f: &Folded, at: usize) -> bool {
    (window_start(f, at)..at)
        .rev()
        .any(|k| f.is_any(k, NEGATION) && denied_until(f, k, at))
}

/// The negation at `k` denies the return cue at `at` until a day: an "until" or "before"
/// follows it within a few tokens past the cue, or, in German and Dutch order, stands with
/// its day right before the negation, in the same clause ("ich bin bis 16.01. nicht
/// erreichbar", "ik ben tot vrijdag niet bereikbaar"; not "Bis morgen! Ich bin nicht ...").
fn denied_until(f: &Folded, k: usize, at: usize) -> bool {
    let day_before = || {
        (k.saturating_sub(5)..k).any(|j| {
            cues::until_at(f, j)
                && (j + 1..k).any(|n| f.is_num(n) || f.toks[n].lex.weekday > 0 || f.toks[n].lex.month > 0)
                && (j + 1..k).all(|n| {
                    !matches!(
                        f.toks.get(n).map(|t| t.kind),
                        Some(Kind::Punct(b',' | b';' | b':' | b'!' | b'?'))
                    )
                })
        })
    };
    ((k + 1..at + 5).any(|j| cues::until_at(f, j)) || day_before()) && cues::return_cue_at(f, at)
}

/// How many tokens an open-ended marker ("until further notice") may stand from the
/// absence word it makes plain.
const OPEN_ENDED_REACH: usize = 6;

/// Absence words too common in other senses to stand without a date.
const WEAK: &[&str] = &[
    "off",
    "out",
    "raus",
    "busy",
    "fora",
    "fuera",
    "afuera",
    "fuori",
    "trip",
    "training",
    "workshop",
    "seminar",
    "expo",
    "summit",
    "paused",
    "pausing",
    "closed",
    "ferme",
    "fermee",
    "cerrado",
    "chiuso",
    "gesloten",
    "fechado",
    "travel",
    "kurs",
    "salon",
    "formation",
    "messe",
    "break",
];

/// Closure words: weak in a sentence ("we closed the deal"), plain at its start ("Cerrado
/// por vacaciones", "Closed for the holidays", "Chiuso per ferie").
pub(crate) const CLOSURES: &[&str] = &[
    "closed",
    "encerrado",
    "encerrada",
    "encerrados",
    "encerradas",
    "ferme",
    "fermee",
    "cerrado",
    "cerrada",
    "chiuso",
    "chiusa",
    "gesloten",
    "fechado",
    "fechada",
    "geschlossen",
    "closure",
    "shutdown",
    "shut",
    // Nordic, Polish, Czech, Finnish, Turkish: "Kontoret är stängt", "Sklep nieczynny",
    // "Ordinace je zavřena", "Toimisto on suljettu", "Mağazamız kapalı"
    "stangt",
    "stangd",
    "stangda",
    "lukket",
    "stengt",
    "zamkniete",
    "zamkniety",
    "zamknieta",
    "nieczynne",
    "nieczynny",
    "nieczynna",
    "zavreno",
    "zavrena",
    "zavreny",
    "uzavreno",
    "uzavrena",
    "uzavreny",
    "suljettu",
    "suljettuna",
    "kiinni",
    "kapali",
    "kapalidir",
    "kapaliyiz",
];

/// A word that says a place is closed: one of [`CLOSURES`], an Italian "chiuso/chiusa/chiusi",
/// or a Nordic compound that ends in one ("sommarstängt", "ferielukket", "julestengt").
pub(crate) fn closure_word(word: &str) -> bool {
    suspension_word(word)
        || CLOSURES.contains(&word)
        || word.starts_with("chius")
        || ["stangt", "lukket", "stengt"]
            .iter()
            .any(|end| word.ends_with(end))
}

/// A business staying open through a season, or open at its hours: "tijdens het bouwverlof
/// blijft de winkel gewoon open", "la secretaría permanecerá abierta
/// durante las vacaciones", "unser Büro ist zwischen den Jahren ganz normal besetzt", "open
/// 9-3 between Christmas and New Year". Not a reopening ("wieder geöffnet ab dem 5.", "open again on
/// Monday"), which is the end of a closure.
static OPEN_AS_USUAL_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?x-u)\b(?:
        (?:stays?|remains?|will\ (?:stay|remain)|is\ still|are\ still)\ (?:\w+\ ){0,2}open | open\ as\ usual | open\ (?:throughout|all\ through)
        | open\ \d | open\ (?:from\ )?\d
        | (?:bleibt|bleiben)\ (?:\w+\ ){0,3}(?:geoffnet|offen|besetzt) | (?:ganz\ )?normal\ (?:besetzt|geoffnet) | wie\ (?:gewohnt|immer)\ (?:geoffnet|besetzt|fur\ sie\ da)
        | durchgehend\ (?:geoffnet|besetzt)
        | (?:blijft|blijven)\ (?:\w+\ ){0,4}open | gewoon\ open | normaal\ open
        | (?:reste|restera|restent|resteront|demeure|demeurera)\ (?:\w+\ ){0,2}ouvert\w* | ouvert\w*\ (?:normalement|comme\ d'?\ ?habitude|aux\ horaires\ habituels)
        | (?:permanece|permanecera|permaneceran|permanecen|sigue|seguira|siguen|seguiran)\ (?:\w+\ ){0,2}abiert[oa]s? | abiert[oa]s?\ (?:como\ siempre|con\ normalidad|normalmente|en\ horario\ habitual)
        | (?:resta|restera|restano|resteranno|rimane|rimarra|rimangono|rimarranno)\ (?:\w+\ ){0,2}apert[oaie] | (?:regolarmente|normalmente)\ apert[oaie] | apert[oaie]\ (?:regolarmente|normalmente|come\ sempre)
        | (?:permanece|permanecera|permanecem|fica|ficara|ficam|continua|continuara)\ (?:\w+\ ){0,2}abert[oa]s? | abert[oa]s?\ (?:normalmente|como\ sempre)
        )",
    )
    .ok()
});

/// The text says a business of the writer's stays open (see [`OPEN_AS_USUAL_RE`]) and names
/// no closure: a season or a holiday told of, nobody away. With `date_at` (a byte offset of
/// `text`), only when the day read there stands in the sentence that says so ("open 10-4 from
/// 27 to 31 Dec"); a day elsewhere may be the writer's own return ("Back from vacation on
/// Monday; the shop stays open meanwhile").
pub fn open_as_usual(text: &str, date_at: Option<usize>) -> bool {
    let text = tokens::cap(text);
    // Most replies say nothing of being open: a look at the bytes first spares them a second
    // folding of the text.
    let lower = text.to_ascii_lowercase();
    if ![
        "open", "offen", "ffnet", "besetzt", "ouvert", "abiert", "apert", "abert",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return false;
    }
    let f = tokens::fold(text);
    let Some(re) = OPEN_AS_USUAL_RE.as_ref() else {
        return false;
    };
    let sentences = cues::sentences(&f);
    let date_sentence = date_at.map(|at| {
        let k = f.toks.iter().position(|t| t.o_end > at).unwrap_or(f.toks.len());
        sentences.get(k).copied()
    });
    let said = re.find_iter(&f.text).any(|m| {
        date_sentence.is_none_or(|sentence| {
            sentence.is_some() && sentences.get(f.tok_at(m.start())).copied() == sentence
        })
    });
    said && !(0..f.toks.len()).any(|k| f.is_a_word(k) && closure_word(f.word(k)) && !at_an_hour(&f, k))
}

/// A closure at an hour ("schließen wir bereits um 12 Uhr", "we close at 2 pm", "chiudiamo
/// alle 13"): the day's opening hours, not days closed.
fn at_an_hour(f: &Folded, k: usize) -> bool {
    (k + 1..k + 4)
        .any(|j| f.is_any(j, &["um", "at", "om", "alle", "as", "a", "des", "ab"]) && f.is_num(j + 1))
}

/// "Suspended", "suspendu", "sospeso", "interrotto", "unterbrochen", "opgeschort": a service,
/// classes or a project stopped for a while. Weak like a closure ("we suspended the trial
/// account" is a person's business), plain where a closure would be, or in the first person
/// plural that says the writer's own house does it ("suspendemos las clases", "iremos
/// interromper nossos serviços", "sospendiamo le attività").
fn suspension_word(word: &str) -> bool {
    [
        "suspend",
        "suspens",
        "sospes",
        "sospend",
        "interromp",
        "interrump",
        "unterbr",
        "opgeschort",
    ]
    .iter()
    .any(|stem| word.starts_with(stem))
}

/// A verb form of the first person plural in the Romance languages ("suspendemos",
/// "sospendiamo", "suspendons", "iremos", "vamos"): the writer's own house acting.
fn we_form(word: &str) -> bool {
    word.len() >= 5
        && ["emos", "amos", "imos", "iamo", "ons"]
            .iter()
            .any(|end| word.ends_with(end))
}

/// "We're closed from Monday", "we will be closed from tomorrow", "nous sommes fermés à
/// partir de lundi", "estamos cerrados desde mañana", "wij zijn gesloten vanaf maandag": the
/// closure word `at` after the writer's own "we" and a form of "be" (no other word between
/// but "all", "also", "then"), which a business says of itself ("we closed the deal" has no
/// "be").
/// "Hollow Bark Books is temporarily closed", "Café Rosa bleibt geschlossen": a closure
/// word after "is" (and maybe "temporarily", "now") whose subject is a name of two or more
/// capitalised words: a business, the writer's (people are not closed).
fn named_business_closed(f: &Folded, text: &str, at: usize) -> bool {
    let mut k = at;
    let mut be = false;
    while k > 0 && at - k < 5 {
        k -= 1;
        if f.is_any(k, BE)
            || f.is_any(k, IS)
            || f.is_any(k, &["remains", "stays", "bleibt", "blijft", "reste"])
        {
            be = true;
            continue;
        }
        if be {
            // "Acme Tools is closed", "A Junta de Freguesia estará encerrada": two capitalised
            // words, or two joined by "de", "of", "von".
            let cap = |j: usize| f.is_a_word(j) && subject::written_capitalised(f, text, j);
            let joined = k >= 2 && f.is_any(k - 1, subject::NAME_JOINS) && cap(k - 2);
            return k >= 1 && cap(k) && (cap(k - 1) || joined);
        }
        if !f.is_any(
            k,
            &[
                "temporarily",
                "currently",
                "now",
                "still",
                "vorubergehend",
                "momentan",
            ],
        ) {
            return false;
        }
    }
    false
}

/// Czech and Polish "máme zavřeno", "mamy zamknięte" (we have it closed): the "we have"
/// right before the closure at `at`, whose ending is the writer's "we".
fn we_have_before(f: &Folded, at: usize) -> bool {
    f.is_any(at.wrapping_sub(1), &["mame", "mamy"])
}

fn we_are_closed(f: &Folded, at: usize) -> bool {
    let mut k = at;
    let mut be = false;
    while k > 0 && at - k < 5 {
        k -= 1;
        if f.is_any(k, cues::WE) || f.is_word(k, "we're") {
            return be || f.is_word(k, "we're");
        }
        if k + 1 == at && we_have_before(f, at) {
            return true;
        }
        // "Le cabinet est fermé", "der Laden ist geschlossen", "la tienda está cerrada": a
        // place of the writer's own names itself with "is".
        if subject::own_place(f, k) {
            return be;
        }
        if f.is_any(k, BE) || f.is_any(k, IS) || f.is_punct(k, b'\'') {
            be = be || f.is_any(k, BE) || f.is_any(k, IS);
            continue;
        }
        if !f.is_any(
            k,
            &["all", "also", "then", "still", "now", "temporarily", "gerade"],
        ) {
            return false;
        }
    }
    false
}

/// "Le cabinet est fermé pour congés", "Der Blog geht in eine Frühjahrspause", "Dit project
/// staat op pauze": the clause of the absence at `at` opens with a place or thing of the
/// writer's own (after an article at most), which speaks for the writer as "we" does.
fn place_subject(f: &Folded, at: usize, sentences: &[u32]) -> bool {
    let Some(&sentence) = sentences.get(at) else {
        return false;
    };
    // The clause: "Maintenance mode: this repo is paused", "Hi all, the blog is paused".
    let start = (0..at)
        .rev()
        .take_while(|&k| sentences.get(k) == Some(&sentence) && !f.is_punct(k, b':') && !f.is_punct(k, b','))
        .last()
        .unwrap_or(at);
    let mut words = (start..at).filter(|&k| f.is_a_word(k));
    // Or a place with its article just before the cue: "wegen eines Trauerfalls bleibt die
    // Werkstatt vorübergehend geschlossen", "por la contingencia la tienda cierra".
    // Languages without articles name the place bare before a closure: "biuro obsługi
    // klienta jest chwilowo nieczynne" (people are not closed).
    let closed = closure_word(f.word(at));
    let near = (at.saturating_sub(if closed { 5 } else { 3 }).max(start + 1)..at)
        .any(|k| subject::own_place(f, k) && (closed || f.is_any(k - 1, PLACE_ARTICLES)));
    near || match words.next() {
        Some(k) if subject::own_place(f, k) => true,
        Some(k) if f.is_any(k, PLACE_ARTICLES) => words.next().is_some_and(|k| subject::own_place(f, k)),
        _ => false,
    }
}

/// Articles and possessives of ours before a place ("the office", "le cabinet", "unser
/// Laden", "onze winkel").
const PLACE_ARTICLES: &[&str] = &[
    "the", "our", "my", "der", "die", "das", "unser", "unsere", "mein", "meine", "le", "la", "l", "les",
    "notre", "nos", "mon", "el", "los", "las", "nuestro", "nuestra", "mi", "il", "lo", "gli", "nostro",
    "nostra", "de", "het", "ons", "onze", "mijn", "o", "os", "a", "as", "nosso", "nossa", "vores", "var",
    "vart", "nasz", "nasza", "nase", "nas",
    // demonstratives: "this blog", "dieses Projekt", "ce site", "questo blog", "este blog"
    "this", "dieser", "diese", "dieses", "ce", "cet", "cette", "questo", "questa", "este", "esta", "deze",
    "dit", "tento", "ten", "ta",
];

/// The singular "is" (and "will be") of a place that says it is closed: "the office is
/// closed", "le cabinet est fermé", "die Praxis ist geschlossen", "la tienda está cerrada", "il
/// negozio è chiuso", "de winkel is gesloten", "a loja está fechada", "kontoret är stängt",
/// "biuro jest zamknięte", "kancelář je zavřena", "toimisto on kiinni".
const IS: &[&str] = &[
    "is",
    "est",
    "sera",
    "ist",
    "bleibt",
    "wird",
    "esta",
    "estara",
    "permanece",
    "e",
    "resta",
    "rimane",
    "rimarra",
    "sara",
    "blijft",
    "wordt",
    "ficara",
    "fica",
    "ar",
    "er",
    "blir",
    "jest",
    "bedzie",
    "je",
    "bude",
    "on",
    "olacak",
    "remains",
];

/// The forms of "be" and "remain" that stand between "we" and a closure word ("we are",
/// "we're", "we will be", "nous serons", "siamo", "estaremos", "wij blijven").
const BE: &[&str] = &[
    "are",
    "re",
    "will",
    "be",
    "remain",
    "stay",
    "sind",
    "bleiben",
    "haben",
    "werden",
    "sommes",
    "serons",
    "restons",
    "resterons",
    "siamo",
    "saremo",
    "restiamo",
    "resteremo",
    "estamos",
    "estaremos",
    "permanecemos",
    "permaneceremos",
    "zijn",
    "blijven",
    "somos",
    "ficamos",
    "ficaremos",
];

/// Token `at` is the first word of its sentence (or paragraph).
fn opens_sentence(f: &Folded, at: usize, sentences: &[u32]) -> bool {
    at == 0
        || sentences.get(at - 1) != sentences.get(at)
        || f.toks.get(at).is_some_and(|t| t.para)
        || !(0..at)
            .rev()
            .take_while(|&k| sentences.get(k) == sentences.get(at))
            .any(|k| f.is_a_word(k))
}

/// Past-tense and "back from" words: an absence told in the past is over.
const PAST: &[&str] = &[
    "was",
    "were",
    "been",
    "had",
    "returned",
    "came",
    "went",
    "got",
    "flew",
    "moved",
    "war",
    "waren",
    "gewesen",
    "hatte",
    "hatten",
    "etais",
    "etait",
    "ete",
    "etions",
    "estaba",
    "estuve",
    "estuvimos",
    "estuvo",
    "ero",
    "era",
    "eravamo",
    "stato",
    "stata",
    "stati",
    "rientrato",
    "rientrata",
    "tornato",
    "tornata",
    "geweest",
    "estava",
    // spoken Brazilian "tava" (estava): "eu tava doente ontem"
    "tava",
    "tavam",
    "estive",
    "esteve",
    "estivemos",
    "voltei",
    "voltou",
    "regressei",
    "regressou",
    "fui",
    "foi",
    "bylem",
    "bylam",
    "byl",
    "byla",
    "var",
    // the Nordic perfect of "be": "jag har varit på semester", "jeg har været syg", "jeg har
    // vært på ferie"
    "varit",
    "vaeret",
    "vaert",
    "olin",
    "oli",
    "zpet",
    "zpatky",
    "spat",
    // Finnish "olen palannut lomalta", "palasin": returned.
    "palannut",
    "palanneet",
    "palasin",
    "palasimme",
    "back",
    "zuruck",
    "terug",
    "retour",
    "rientro",
    "spent",
    "spend",
    "took",
    "verbracht",
    // Turkish "geçen hafta izindeydim" (last week): before the absence it dates
    "gecen",
    // the Nordic perfect of coming: "jeg er lige kommet hjem fra ferie", "jag har kommit
    // tillbaka från semestern" (see `over_word` for the future perfect after "when")
    "kommet",
    "kommit",
    "passe",
    "pase",
    "passato",
    "doorgebracht",
    "passei",
    // Just back: "je reviens de congés", "je rentre de vacances", "he vuelto de vacaciones".
    "andato",
    "andata",
    "andati",
    "andate",
    "ging",
    "gingen",
    "hadden",
    "fuimos",
    "fueron",
    "fomos",
    "reviens",
    "rentre",
    "rentree",
    "revenu",
    "revenue",
    "vuelto",
    "volvi",
    "regresado",
    "regrese",
    "ritornato",
    "ritornata",
    "retornei",
    "zuruckgekommen",
    "zurueckgekommen",
    "teruggekomen",
];

/// Words that, right before the first-person subject, make the clause a condition or a plan
/// not yet decided ("if I'm away", "when I am on holiday", "before I go on holiday").
const CONDITIONAL: &[&str] = &[
    // "before I go on holiday on the 25th": a time told by what is still ahead, not now.
    "before", "bevor", "voordat", "innan", "inden", "ennen", "if", "when", "whenever", "wenn", "falls", "si",
    "quand", "lorsque", "cuando", "se", "quando", "als", "indien", "wanneer", "jesli", "kiedy", "om", "nar",
    "jos", "kun", "pokud", "kdyz", "eger",
];

/// The writer's own present or coming absence: the span of its absence word in `text`, or
/// `None`. Pure; linear in the (capped) text.
pub fn writer_away(text: &str) -> Option<Range<usize>> {
    let text = tokens::cap(text);
    let f = tokens::fold(text);
    let sentences = cues::sentences(&f);
    writer_away_in(text, &f, &sentences, &cues::find(&f), None)
}

/// A title in the raw text ([`owner_away`] asks it first: most replies name no title, and
/// the text need not be folded and its cues read again).
pub(crate) static OWNER_TITLE_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        // (ASCII word boundaries: a Unicode one sends every text to a slower engine)
        r"(?i)(?-u:\b)(?:dr|dra|drs|mr|mrs|ms|prof|frau|herr|mme|madame|monsieur|m\.|sr|sra|se[nñ]or|se[nñ]ora|sig|sigra|signora|signor|dott|mevrouw|meneer|dhr|mevr|ir|ing|mag|dipl|lic|ldo|lda|eng|arq|avv|arch|geom|rag|ma[iî]tre|pan|pani|p\.)(?:(?-u:\b)|\.)",
    )
    .ok()
});

/// "El Sr. Molina está de baja médica y no atiende este correo", "Dr. Smith is on leave until
/// the 14th": the text's absence is a titled person's, said in the third person in a notice
/// that speaks of nobody as "I" (see [`subject::titled_owner`]): the mailbox owner's, which a
/// rule's veto of someone else's absence ("la Lic. Castillo se encuentra de vacaciones", "my
/// colleague Dr. Weber is away") does not read as a colleague's.
///
/// `writer`: the sender's names (see [`crate::dates::writer_names`]): one who signs with a
/// name of two words or more is a colleague ("Herr Schulz ist diese Woche krank" from Katrin
/// Wagner).
pub fn owner_away(text: &str, writer: &[String]) -> bool {
    if !OWNER_TITLE_RE.as_ref().is_none_or(|re| re.is_match(text)) {
        return false;
    }
    let text = tokens::cap(text);
    let f = tokens::fold(text);
    let sentences = cues::sentences(&f);
    cues::find(&f).iter().any(|cue| {
        cue.kind == CueKind::Absence
            && !cue.recurring
            && !over_by_then(&f, cue.end)
            && !after_it(&f, cue.start)
            && !subject::question(&f, cue.start, &sentences)
            // "Dr. Smith was on leave last week": over.
            && !(cue.start.saturating_sub(8)..cue.start).any(|k| f.is_any(k, PAST))
            && subject::titled_owner(&f, cue.start, &sentences, None, writer)
    })
}

/// [`writer_away`] over a text already capped and folded, with its sentences and cues: for
/// the readings below that fold the text for their own questions first. `hint` is the
/// language a rule read, for a text too short to tell its own (Czech "je" is "is", not
/// French "I").
fn writer_away_in(
    text: &str,
    f: &Folded,
    sentences: &[u32],
    found: &[cues::Cue],
    hint: Option<Lang>,
) -> Option<Range<usize>> {
    let lang: Option<Lang> = crate::dates::detect_in(text, f).or(hint);
    let open_ended = cues::open_ended(f);
    // Asked once, and only of a cue that reaches the question.
    let behalf = std::cell::OnceCell::new();
    for cue in found {
        // "Te escribo a la vuelta", "ti rispondo al rientro", "I'll reply when I'm back": the
        // writer's return still to come says they are away now.
        // (Only a return cue has an opener.)
        if let Some(opener) = cues::writers_coming_back(f, cue) {
            let Some(&sentence) = sentences.get(cue.start) else {
                continue;
            };
            let past = (opener..cue.start).any(|k| f.is_any(k, PAST));
            let clause_start = (0..opener)
                .rev()
                .take_while(|&k| sentences.get(k) == Some(&sentence))
                .last()
                .unwrap_or(opener);
            let past_before = (clause_start..opener).any(|k| f.is_any(k, PAST) || f.is_any(k, NEGATION));
            // "Al rientro dalle ferie ho trovato la tua mail", "when I'm back I have found":
            // the main clause after it in the past tells of a return that happened.
            let past_after = (cue.end..)
                .take_while(|&k| sentences.get(k) == Some(&sentence))
                .any(|k| {
                    f.is_any(k, PAST)
                        || (f.is_any(k, PERFECT_AUXILIARIES) && f.is_a_word(k + 1) && !f.is_word(k + 1, "to"))
                });
            if past || past_before || past_after || subject::question(f, cue.start, sentences) {
                continue;
            }
            let start = f.toks.get(opener)?.o_start;
            let end = f.toks.get(cue.end.checked_sub(1)?)?.o_end;
            return Some(start..end);
        }
        if cue.kind != CueKind::Absence
            || cue.recurring
            || over_by_then(f, cue.end)
            || after_it(f, cue.start)
            || thanked_for_cover(f, cue.start, sentences)
            || called_off(f, cue.start, cue.end)
        {
            continue;
        }
        // "The shop is closed until further notice", "bis auf Weiteres geschlossen": an
        // absence with no end in sight, in the cue's own sentence, makes even a weak word one.
        let endless = open_ended.iter().any(|&at| {
            at.abs_diff(cue.start) <= OPEN_ENDED_REACH && sentences.get(at) == sentences.get(cue.start)
        });
        let word = f.word(cue.start);
        let suspended = suspension_word(word);
        let business_closed = closure_word(word) && named_business_closed(f, text, cue.start);
        if cue.end == cue.start + 1
            && (WEAK.contains(&word) || suspended)
            && !endless
            && !first_person_off(f, cue.start)
            && !off_notice(f, cue.start, sentences)
            && !romance_away(f, cue.start)
            && !(closure_word(word)
                && (opens_sentence(f, cue.start, sentences) || we_are_closed(f, cue.start)))
            && !business_closed
            // "The blog is paused", "this project is on a break", "the shop is closed": a
            // place or a work of the writer's, stopped.
            && !((closure_word(word) || word.starts_with("paus") || word == "break")
                && place_subject(f, cue.start, sentences))
            && !(suspended && (we_form(word) || cue.start.checked_sub(1).is_some_and(|k| we_form(f.word(k)))))
        {
            continue;
        }
        // (A relative's notice tells the owner's absence in the third person: see
        // `subject::on_behalf`.)
        let behalf = *behalf.get_or_init(|| subject::on_behalf(f));
        if subject::someone_else(f, text, cue.start, sentences, lang, &[]) && !behalf
            || subject::question(f, cue.start, sentences)
        {
            continue;
        }
        // Japanese puts the verb last and leaves the subject out ("4月16日から暫くの間、休業
        // いたします"): its absence word never opens the sentence, and says enough at its end.
        // "La libreria resterà chiusa", "the office will remain closed": a business staying
        // closed is the writer's, whatever its name (people are not closed).
        let staying_closed = cue.end > cue.start + 1 && (cue.start..cue.end).any(|k| closure_word(f.word(k)))
            || business_closed
            || closing_phrase(f, cue);
        let notice = if crate::dates::verb_last(f, cue.start)
            || turkish_i_am(f, cue.end)
            || staying_closed
            || endless
            || place_subject(f, cue.start, sentences)
            || suspended
        {
            Notice::Any
        } else {
            Notice::Opening
        };
        if !writers_clause(f, cue.start, sentences, notice) && !behalf {
            continue;
        }
        let start = f.toks.get(cue.start)?.o_start;
        let end = f.toks.get(cue.end.checked_sub(1)?)?.o_end;
        return Some(start..end);
    }
    None
}

/// The absence word at `at` is what something comes after ("open again after the summer
/// break", "weer open na de zomersluiting", "nach der Sommerpause wieder da"): a time named,
/// no absence said.
pub(crate) fn after_it(f: &Folded, at: usize) -> bool {
    // "before the holidays", "vor den Ferien", "avant les vacances", "prima delle ferie": a
    // time told by the absence still ahead, the same way.
    const AFTER: &[&str] = &[
        "after", "na", "nach", "apres", "dopo", "depois", "despues", "tras", "efter", "etter", "before",
        "vor", "avant", "antes", "prima", "voor",
    ];
    const BETWEEN: &[&str] = &[
        "the", "my", "our", "de", "der", "dem", "den", "les", "le", "la", "las", "los", "il", "lo", "mijn",
        "onze", "min", "mina", "mitt", "mine", "meinem", "meiner", "unserem", "unserer", "mes", "nos", "do",
        "da", "das", "dos", "del", "delle", "della", "mis", "nuestras", "nuestros", "i",
    ];
    let mut k = at;
    for _ in 0..3 {
        let Some(prev) = k.checked_sub(1) else {
            return false;
        };
        // Dutch "na" only before its article ("na de zomersluiting"): it is "on" in the
        // Slavic languages ("ya na bolnichnom", "jsem na dovolené").
        if f.is_any(prev, AFTER)
            && (!f.is_word(prev, "na") || f.is_any(prev + 1, &["de", "het", "mijn", "onze"]))
        {
            return true;
        }
        if !f.is_any(prev, BETWEEN) {
            return false;
        }
        k = prev;
    }
    false
}

/// A business closing in the third person ("la tienda cierra temporalmente", "il negozio
/// chiude per ferie", "unser Laden bleibt zu"): people do not close, so the place is the
/// writer's, whatever its name.
fn closing_phrase(f: &Folded, cue: &cues::Cue) -> bool {
    f.is_any(
        cue.start,
        &[
            "cierra",
            "cierran",
            "chiude",
            "chiudono",
            "fecha",
            "fecham",
            "schliesst",
            "schliessen",
        ],
    ) || (f.is_any(cue.start, &["bleibt", "bleiben"]) && f.is_word(cue.end.wrapping_sub(1), "zu"))
}

/// Turkish puts the person in the verb after the absence word: "izinde olduğum için",
/// "tatilde olacağım", "yurt dışında bulunmaktayım". One of those first-person forms of
/// "to be" in the two words after it says the absence is the writer's.
fn turkish_i_am(f: &Folded, end: usize) -> bool {
    // The cue's own last word too: "bir süre ofiste olmayacağım" (I will not be in the office).
    (end.saturating_sub(1)..end + 2).any(|k| {
        f.is_a_word(k) && {
            let w = f.word(k);
            (w.starts_with("ol") || w.starts_with("bulun"))
                && [
                    "um", "im", "umdan", "imdan", "uz", "iz", "yum", "yim", "umuz", "imiz",
                ]
                .iter()
                .any(|end| w.ends_with(end))
                && w.len() > 4
        }
    })
}

/// "My leave on Friday was cancelled", "Cancelei as férias de setembro", "mein Urlaub wurde
/// abgesagt", "j'ai annulé mes congés": the absence from `start` to `end`, called off by a
/// word a few tokens before or after it, is none.
pub(crate) fn called_off(f: &Folded, start: usize, end: usize) -> bool {
    let off = |k: usize| {
        f.toks.get(k).is_some_and(|t| t.kind == Kind::Word) && {
            // Only a form that says it was done: "please cancel the call, I'm on vacation" and
            // "I had to cancel our meeting" keep the absence, and a postponed absence is still
            // one.
            let w = f.word(k);
            let cancelled = w.starts_with("cancel")
                && (w.ends_with("ed") || w.ends_with("ei") || w.ends_with('e') || w.contains("lad"));
            let annulled =
                w.starts_with("annul") && (w.ends_with('e') || w.ends_with("es") || w.contains("at"));
            cancelled
                || annulled
                || ["storniert", "geannul", "odwolan", "zrusen"]
                    .iter()
                    .any(|p| w.starts_with(p))
                || ["abgesagt", "gestrichen", "afgezegd"].contains(&w)
        }
    };
    let stop = |k: usize| {
        matches!(
            f.toks.get(k).map(|t| t.kind),
            Some(Kind::Punct(b'.' | b';' | b'!' | b'?'))
        )
    };
    (start.saturating_sub(4)..start)
        .rev()
        .take_while(|&k| !stop(k))
        .any(off)
        || (end..end + 5).take_while(|&k| !stop(k)).any(off)
}

/// "Thanks to Paul for handling the issues during my absence", "merci à Élodie d'avoir géré
/// pendant mon absence", "Danke an Paul für die Vertretung während meiner Abwesenheit": the
/// absence word at `at`, said as "during my absence", after a thanks in its sentence, is one
/// the writer is back from. Not a thanks for the reader's mail or patience ("Thank you for
/// your message. During my absence ...", "thanks for your patience during my absence"),
/// which auto-replies say before the absence.
fn thanked_for_cover(f: &Folded, at: usize, sentences: &[u32]) -> bool {
    const DURING: &[&str] = &[
        "during", "in", "pendant", "durant", "durante", "wahrend", "tijdens", "under", "aikana",
    ];
    const MY: &[&str] = &[
        "my", "mon", "ma", "mi", "mia", "meiner", "mijn", "minha", "meu", "min", "mitt",
    ];
    const THANKS: &[&str] = &[
        "thanks", "thank", "merci", "gracias", "danke", "dank", "grazie", "obrigado", "obrigada", "bedankt",
        "tack", "takk", "tak", "kiitos",
    ];
    const NOT_COVER: &[&str] = &[
        "message",
        "messages",
        "mail",
        "email",
        "e",
        "courriel",
        "nachricht",
        "mensaje",
        "correo",
        "messaggio",
        "mensagem",
        "bericht",
        "patience",
        "understanding",
        "comprehension",
        "geduld",
        "paciencia",
        "pazienza",
        "verstandnis",
        "begrip",
        "compreensao",
        "comprension",
        "writing",
        "contacting",
        "reaching",
    ];
    let mut k = at;
    if f.is_any(k.wrapping_sub(1), &["la", "il", "de", "der"]) && f.is_any(k.wrapping_sub(2), MY) {
        k -= 1;
    }
    // "during my absence", "durante la mia assenza" (the article before the possessive).
    let my = k.wrapping_sub(1);
    let during = if f.is_any(my.wrapping_sub(1), &["la", "il"]) {
        my.wrapping_sub(2)
    } else {
        my.wrapping_sub(1)
    };
    if !(f.is_any(my, MY) && f.is_any(during, DURING)) {
        return false;
    }
    let Some(&sentence) = sentences.get(at) else {
        return false;
    };
    (0..during)
        .rev()
        .take_while(|&j| sentences.get(j) == Some(&sentence))
        .take_while(|&j| !f.is_any(j, NOT_COVER))
        .any(|j| f.is_any(j, THANKS))
}

/// "We met at the conference last week", "nos vimos en la feria la semana pasada", "auf der
/// Messe letzte Woche": a past time right after the absence word dates an event that is
/// over, whatever the verb (which the past-tense lists cannot all hold). Not after "since"
/// ("sick since yesterday" is still sick). So does a past "was" of its own clause after the
/// absence named as a thing: "our holiday in France was great", "las vacaciones fueron
/// cortas", "die Ferien waren schön".
fn over_by_then(f: &Folded, end: usize) -> bool {
    for k in end..end + PAST_TIME_REACH {
        if !f.is_a_word(k) || f.is_any(k, SINCE) || f.is_any(k, CLAUSE_LINKS) {
            return false;
        }
        let word = f.word(k);
        let last = matches!(
            word,
            "last" | "letzte" | "letzten" | "letzter" | "vorige" | "afgelopen"
        ) && f.is_a_word(k + 1);
        // "over" ends its clause when it says the absence is done ("the closure is over."),
        // not when a time follows ("limited availability over the break").
        let over = OVER.contains(&word)
            && (word != "over" || !f.is_a_word(k + 1) || f.is_any(k + 1, &["and", "now", "so", "but"]));
        if last || PAST_TIMES.contains(&word) || PAST_COPULAS.contains(&word) || over {
            return true;
        }
    }
    false
}

/// Words that say the absence named before them is over: "the summer closure is over", "der
/// Urlaub ist vorbei", "les vacances sont finies", "le ferie sono finite", "las vacaciones se
/// acabaron", "de vakantie is voorbij", "as férias acabaram", "se sont bien passées".
const OVER: &[&str] = &[
    "over",
    "vorbei",
    "finies",
    "fini",
    "finie",
    "finis",
    "terminees",
    "terminee",
    "finite",
    "finito",
    "terminate",
    "acabaron",
    "acabo",
    "terminaron",
    "termino",
    "voorbij",
    "afgelopen",
    "acabaram",
    "acabou",
    "terminaram",
    "passees",
    "passee",
    "passes",
    // Turkish puts the verb after the absence it comes back from: "izinden yeni döndüm".
    "dondum",
    "donduk",
];

/// The past of "to be" after the absence as a thing ("the holiday was great").
const PAST_COPULAS: &[&str] = &[
    "was", "were", "war", "waren", "etait", "fue", "fueron", "fu", "furono", "foi", "foram",
];

/// How many words after an absence word a past time is looked for ("la semana pasada", "an
/// der Ostsee war").
const PAST_TIME_REACH: usize = 4;

/// Words that date something in the past on their own: "yesterday", "ago", "gestern",
/// "ayer", "ieri", "gisteren", "ontem", and the "last" after the noun of the Romance
/// languages ("la semaine dernière", "la semana pasada", "la settimana scorsa").
const PAST_TIMES: &[&str] = &[
    // Japanese "半年の休止を経て" (after half a year paused): gone through, over.
    "hete",
    "yesterday",
    "ago",
    "gestern",
    "vorgestern",
    "vergangene",
    "vergangenen",
    "ayer",
    "pasada",
    "pasado",
    "ieri",
    "scorsa",
    "scorso",
    "gisteren",
    "geleden",
    "ontem",
    "passada",
    "passado",
    "derniere",
    "dernier",
];

/// "Since", after which a past day starts something still going ("sick since yesterday").
const SINCE: &[&str] = &[
    "since", "seit", "depuis", "desde", "da", "dal", "dalla", "sinds", "sedan", "od",
];

/// Someone else's absence told by a writer who is there: "Maria ist bis zum 14. im Urlaub,
/// ich leite Ihre Mail an sie weiter", "María está de vacaciones hasta el 14, le paso tu
/// correo". Every absence word of the text is someone else's (not one of `writer`, the
/// names of the sender), at least one is, the writer says nothing of being away, and the
/// writer speaks in the first person or passes the message on. A colleague's answer, for the
/// rep: it neither pauses nor speaks for the absent person's return (DESIGN "Replies",
/// point 7). A notice about its own mailbox's owner written in the third person ("Maria
/// Müller ist bis zum 14. nicht im Büro. Ihre Nachricht wird nicht weitergeleitet") has
/// neither, and stays an absence.
///
/// `hint` is the language of the rule that read the text, for a text too short for its own
/// words to tell ("I messaggi non saranno inoltrati": Italian "i" is no English "I").
pub fn colleague_reply(text: &str, writer: &[String], hint: Option<Lang>) -> bool {
    let text = tokens::cap(text);
    let f = tokens::fold(text);
    // A relative or someone writing on the owner's behalf tells the owner's absence.
    if subject::on_behalf(&f) {
        return false;
    }
    let sentences = cues::sentences(&f);
    let lang: Option<Lang> = crate::dates::detect_in(text, &f).or(hint);
    // "不在中は私が対応いたします": the absence the writer covers, and what they do about it,
    // are no cue of theirs.
    // Nor is the answer the writer promises ("jag återkommer i veckan"): no return of theirs.
    let mut found = cues::find(&f);
    found.retain(|cue| {
        let stand_in = || {
            lang == Some(Lang::Ja)
                && f.toks
                    .get(cue.start)
                    .is_some_and(|t| subject::in_japanese_stand_in(text, t.o_start))
        };
        !(cue.promise || stand_in())
    });
    let mut someone = false;
    for cue in &found {
        if cue.recurring {
            continue;
        }
        // "unser Einkaufsleiter Herr Pohl ist erst ab 3.11. wieder da, aber ich kann Ihnen
        // jetzt schon sagen ...": someone else's return tells of their absence too; the
        // writer's own ("ich bin erst wieder im Büro erreichbar") of the writer's.
        if matches!(cue.kind, CueKind::Absence | CueKind::Return) {
            if !subject::someone_else(&f, text, cue.start, &sentences, lang, writer) {
                return false;
            }
            someone = true;
        }
    }
    // English "I" is an article or "and" elsewhere ("i battenti", "i tak").
    // Polish and Czech "ja" / "já" (I) is German and Dutch "yes".
    let present = (0..f.toks.len()).any(|k| {
        ((f.is_any(k, WRITER_PRESENT) || f.is_any(k, subject::PASSING_ON) || f.is_any(k, subject::SERVING))
            && !subject::foreign_homograph(&f, k, lang))
            || (f.is_word(k, "ja") && matches!(lang, None | Some(Lang::Pl | Lang::Cs)))
    }) || (lang == Some(Lang::Ja) && subject::japanese_stands_in(text));
    someone && present && writer_away_in(text, &f, &sentences, &found, lang).is_none()
}

/// "Sorry for the late answer, I was on holiday last week", "¿Y si luego nos vamos de
/// vacaciones, se puede pausar?", "Estivemos de férias em junho": every absence the text
/// speaks of is over, or asked about, and the writer says nowhere that they are away. A
/// person's reply that mentions an absence, for the rep (DESIGN "Replies", point 7, read the
/// other way: nothing in it pauses). At least one absence word, each one in a question or
/// after a past word of its own clause ([`PAST`], "last week" after it), or in the clause of
/// an absence word before it told as over ("fuori sede fino a ieri per una fiera"). `date_at`, the
/// byte offset of a date read for the text, must stand in one of those clauses ("we were
/// away in June"): a date elsewhere may be an absence still to come ("... and we close
/// again in August").
pub fn absence_mentioned(text: &str, date_at: Option<usize>) -> bool {
    let text = tokens::cap(text);
    let f = tokens::fold(text);
    let sentences = cues::sentences(&f);
    // The clauses of the absences told of, as token ranges.
    let mut told: Vec<Range<usize>> = Vec::new();
    let found = cues::find(&f);
    // The end of the last absence told as over: a cue after it in its clause tells the same
    // absence ("sono stato fuori sede fino a ieri per una fiera a Rimini").
    let mut over_until: Option<usize> = None;
    // The clause a cue tells of, from its subject's reach to the clause's break.
    let clause_of = |cue: &cues::Cue| {
        let sentence = sentences.get(cue.start);
        let clause_end = (cue.end..f.toks.len())
            .find(|&k| clause_break(&f, &sentences, k, sentence))
            .unwrap_or(f.toks.len());
        window_start(&f, cue.start)..clause_end
    };
    // "Just back from annual leave", "jeg er tilbage fra ferie nu", "net terug van vakantie",
    // "jetzt bin ich wieder da": a return made (joined into one cue with the absence it ends,
    // or told after it) tells the absence as over.
    let returned = |cue: &cues::Cue| {
        cue.kind == CueKind::Return
            && ((cue.undated
                && (f.is_any(cue.start.wrapping_sub(1), JUST) || f.is_any(cue.end, cues::RETURNED_NOW)))
                || now_back(&f, &sentences, cue))
    };
    let back_after = |at: usize| found.iter().any(|other| other.start >= at && returned(other));
    for cue in &found {
        if returned(cue) {
            told.push(clause_of(cue));
            continue;
        }
        if cue.kind != CueKind::Absence || cue.recurring {
            continue;
        }
        let sentence = sentences.get(cue.start);
        let same_clause = over_until.is_some_and(|end| {
            end <= cue.start && (end..cue.start).all(|k| !clause_break(&f, &sentences, k, sentence))
        });
        // "jeg er tilbage fra ferie nu", "nu är jag tillbaka från semestern", "ik ben net terug
        // van vakantie": back from it, now or just.
        let back_now = (cue.start.saturating_sub(3)..cue.start).any(|k| {
            (f.is_any(k, RETURN_WORDS) || f.is_any(k, NORDIC_BACK))
                && (f.is_any(k.wrapping_sub(1), JUST)
                    || f.is_any(cue.end, cues::RETURNED_NOW)
                    || (k.saturating_sub(4)..k).any(|j| f.is_any(j, cues::RETURNED_NOW)))
        });
        let over = past_clause(&f, cue.start, &sentences)
            || over_by_then(&f, cue.end)
            || same_clause
            || back_now
            || back_after(cue.end);
        if !(over
            || subject::question(&f, cue.start, &sentences)
            || thanked_for_cover(&f, cue.start, &sentences)
            || called_off(&f, cue.start, cue.end))
        {
            return false;
        }
        if over {
            over_until = Some(cue.end);
        }
        told.push(clause_of(cue));
    }
    let date_told = date_at.is_none_or(|at| {
        f.toks
            .iter()
            .position(|t| t.o_end > at)
            .is_some_and(|k| told.iter().any(|clause| clause.contains(&k)))
    });
    !told.is_empty() && date_told && writer_away_in(text, &f, &sentences, &found, None).is_none()
}

/// "Jetzt bin ich wieder da", "now I'm back", "ahora estoy de vuelta": a return cue with a
/// word of "now" a word or two before it in its clause (no absence between: "away now, back
/// Monday" is cut by its comma) and no day anywhere in its clause ("ab Montag bin ich jetzt
/// wieder da" is still to come). "Already" is not "now": "el lunes ya estoy de vuelta".
fn now_back(f: &Folded, sentences: &[u32], cue: &cues::Cue) -> bool {
    const NOW: &[&str] = &[
        "now",
        "jetzt",
        "nun",
        "maintenant",
        "ahora",
        "ora",
        "adesso",
        "nu",
        "agora",
    ];
    let sentence = sentences.get(cue.start);
    let now_before = (cue.start.saturating_sub(3)..cue.start).any(|k| {
        f.is_any(k, NOW)
            && (k..cue.start).all(|j| !f.is_punct(j, b',') && !clause_break(f, sentences, j, sentence))
    });
    // (A spaced dash opens a clause too: "... (bis 06.01.) im Postfach – jetzt bin ich wieder da".)
    let clause_start = (0..cue.start)
        .rev()
        .find(|&k| clause_break(f, sentences, k, sentence) || f.is_punct(k, b'-') && !f.glued(k))
        .map_or(0, |k| k + 1);
    now_before
        && (clause_start..f.toks.len())
            .take_while(|&k| k < cue.end || !clause_break(f, sentences, k, sentence))
            .all(|k| {
                f.toks[k].kind != Kind::Num
                    && f.toks[k].lex.month == 0
                    && f.toks[k].lex.weekday == 0
                    && f.toks[k].lex.rel_day.is_none()
                    && !f.toks[k].lex.next
            })
}

/// "Just" before a return made a moment ago, which makes it over whatever tense the "back"
/// is in ("just back from", "net terug van", Swedish "precis tillbaka", Danish "lige
/// tilbage"); "only", Dutch "pas" and Italian "appena" are not ("only back on 12 May").
const JUST: &[&str] = &["just", "newly", "freshly", "net", "precis", "lige"];

/// The Nordic "back" before "from" and the absence ("tilbage fra ferie", "tillbaka från
/// semestern"), beside [`RETURN_WORDS`], which names the others.
const NORDIC_BACK: &[&str] = &["tilbage", "tillbaka", "tilbake"];

/// "I was on holiday last week and I'm off again until Monday", "ich war im Urlaub und bin
/// jetzt krankgeschrieben", "sono appena tornata da Milano e stasera riparto, starò via tre
/// giorni": something over (a past word), then the writer's own absence said in the present
/// in a clause of its own. A rule's veto of the first ("I was on holiday", "appena
/// tornata") does not speak for the second. The present absence is the writer's own
/// ([`writer_away`]) or, failing that, the day read for the writer at byte `date_at`, whose
/// clause holds no past word.
pub fn away_again(text: &str, date_at: Option<usize>) -> bool {
    let text = tokens::cap(text);
    let f = tokens::fold(text);
    let sentences = cues::sentences(&f);
    let Some(at) = writer_away_in(text, &f, &sentences, &cues::find(&f), None)
        .map(|away| away.start)
        .or(date_at)
    else {
        return false;
    };
    let Some((t_at, clause_start)) = clause_of(&f, &sentences, at) else {
        return false;
    };
    let over = |k: usize| over_word(&f, k);
    !(clause_start..t_at).any(over) && (0..clause_start).any(over)
}

/// "Je suis absent du 4 au 22 août", "estoy fuera del 4 al 22": the clause of the date at
/// byte `at` says in the first person (a pronoun or a verb of the first person, not a
/// possessive: "my colleague is away") that the writer is the one away. A rule's veto of
/// someone else's absence in another sentence ("ma collègue sera absente du 25 août ...")
/// does not speak for it; a notice without a subject might be the colleague's.
pub fn said_in_first_person(text: &str, at: usize) -> bool {
    let text = tokens::cap(text);
    let f = tokens::fold(text);
    let sentences = cues::sentences(&f);
    first_person_at(text, &f, &sentences, at)
}

/// [`said_in_first_person`], said of people: not when the sentence of byte `at` closes a
/// place (a closure word, see `closure_word`): "No feriado de 7 de setembro estaremos
/// fechados", "am 1. Mai haben wir geschlossen". A "we" there is the house, whatever person
/// its verb takes: people are not closed.
pub fn said_in_person(text: &str, at: usize) -> bool {
    let text = tokens::cap(text);
    let f = tokens::fold(text);
    let sentences = cues::sentences(&f);
    let Some(t_at) = f.toks.iter().position(|t| t.o_end > at) else {
        return false;
    };
    let sentence = sentences.get(t_at);
    let closed = || {
        (0..f.toks.len()).any(|k| sentences.get(k) == sentence && f.is_a_word(k) && closure_word(f.word(k)))
    };
    first_person_at(text, &f, &sentences, at) && !closed()
}

/// Some absence the text tells, or with `returns` some return, is said in the first person
/// ("I'll be offline a couple of times ... as I'll be in China", "je ne serai de retour que
/// le lundi 14"), wherever it stands (see [`said_in_first_person`]).
pub fn away_in_first_person(text: &str, returns: bool) -> bool {
    let text = tokens::cap(text);
    let f = tokens::fold(text);
    let sentences = cues::sentences(&f);
    cues::find(&f)
        .iter()
        // (An answer promised, "nous répondons sous 48h", is no return.)
        .filter(|cue| cue.kind == CueKind::Absence || returns && cue.kind == CueKind::Return && !cue.promise)
        // (Nor is a house's answering time, "nous répondons aux e-mails sous 48h", "we answer
        // emails within 24 hours".)
        .filter(|cue| {
            !(cue.kind == CueKind::Return
                && (cue.start..cue.end).any(|k| f.is_any(k, MAIL_WORDS))
                && f.is_any(cue.end, ANSWERING_WITHIN))
        })
        // (Nor a closure, "estaremos fechados": the house's "we", see [`said_in_person`].)
        .filter(|cue| {
            !(cue.kind == CueKind::Absence && (cue.start..cue.end).any(|k| closure_word(f.word(k))))
        })
        .any(|cue| {
            f.toks
                .get(cue.start)
                .is_some_and(|t| first_person_at(text, &f, &sentences, t.o_start))
        })
}

/// Words of "within" that make an answer's length a house's answering time ("sous 48h",
/// "within 24 hours", "binnen 2 werkdagen", "innerhalb von 24 Stunden", "entro 48 ore",
/// "dentro de 24 horas", "inom två dagar"; not Portuguese "até", which is also "until").
const ANSWERING_WITHIN: &[&str] = &[
    "sous",
    "within",
    "binnen",
    "innerhalb",
    "entro",
    "dentro",
    "inom",
    "indenfor",
    "innen",
];

/// The mail a house answers: a return cue that holds one is an answer's ("nous répondons aux
/// e-mails sous 48h"), not a person coming back ("I'll be back within two weeks").
const MAIL_WORDS: &[&str] = &[
    "emails",
    "email",
    "mails",
    "mail",
    "messages",
    "message",
    "courriels",
    "correos",
    "mensajes",
    "mensagens",
    "messaggi",
    "berichten",
    "nachrichten",
];

/// [`said_in_first_person`] over a text already capped (`text`) and folded (`f`, its
/// `sentences`).
fn first_person_at(text: &str, f: &Folded, sentences: &[u32], at: usize) -> bool {
    let Some((t_at, clause_start)) = clause_of(f, sentences, at) else {
        return false;
    };
    let first = |k: usize| subject::first_person(f, k) && subject::speaks_as_writer(f, k);
    // "jeg har været på ferie de sidste tre uger": a perfect or a past is over.
    let past = |k: usize| f.is_any(k, PAST) || f.is_word(k, "ollut");
    // Japanese leaves the subject out of every notice: its sentence is the writer's unless
    // its topic is someone else ("担当の佐藤は").
    let sentence_text = f
        .toks
        .iter()
        .zip(sentences)
        .filter(|(_, s)| Some(*s) == sentences.get(t_at))
        .map(|(t, _)| t.o_start..t.o_end)
        .reduce(|a, b| a.start..b.end)
        .and_then(|r| text.get(r))
        .unwrap_or("");
    let japanese = sentence_text.chars().any(crate::dates::is_kana);
    if japanese {
        return !subject::japanese_third_party(f, text, t_at, sentences);
    }
    // A day put first, its verb and subject after it ("Vom 20.–24. April bin ich auf der
    // Messe", "Op 22 mei ben ik ..."): the writer a few words on, in the same clause.
    let sentence = sentences.get(t_at);
    let after = || {
        (t_at..(t_at + 10).min(f.toks.len()))
            .take_while(|&k| k == t_at || !clause_break(f, sentences, k, sentence))
    };
    let fronted = after().any(first) && !after().any(past);
    (clause_start..t_at).any(first) && !(clause_start..t_at).any(past) || fronted
}

/// The token at byte `at` of the text folded in `f`, and the first token of its clause (see
/// [`clause_break`]).
fn clause_of(f: &Folded, sentences: &[u32], at: usize) -> Option<(usize, usize)> {
    let t_at = f.toks.iter().position(|t| t.o_end > at)?;
    let sentence = sentences.get(t_at);
    let clause_start = (0..t_at)
        .rev()
        .find(|&k| clause_break(f, sentences, k, sentence))
        .map_or(0, |k| k + 1);
    Some((t_at, clause_start))
}

/// Token `k` ends the clause of a word in `sentence` (or stands outside it): another
/// sentence, a comma, semicolon or colon, or a conjunction ("and", "but", "e", "y", "et").
fn clause_break(f: &Folded, sentences: &[u32], k: usize, sentence: Option<&u32>) -> bool {
    sentences.get(k) != sentence
        || matches!(
            f.toks.get(k).map(|t| t.kind),
            Some(Kind::Punct(b',' | b';' | b':'))
        )
        || f.is_any(k, CLAUSE_LINKS)
        || f.is_any(k, &["e", "y", "et"])
}

/// A past word in the clause before the absence word at `at` ("I was on holiday", "siamo
/// andati in ferie", "ik was vorige week op vakantie"): within the subject's reach, the same
/// sentence, not across a comma or a conjunction. German and Dutch put the participle of
/// the perfect at the clause's end: "ik ben twee weken op vakantie geweest", "ich bin zwei
/// Wochen im Urlaub gewesen" are over too.
fn past_clause(f: &Folded, at: usize, sentences: &[u32]) -> bool {
    let sentence = sentences.get(at);
    (window_start(f, at)..at)
        .rev()
        .take_while(|&k| {
            sentences.get(k) == sentence
                && !matches!(
                    f.toks.get(k).map(|t| t.kind),
                    Some(Kind::Punct(b',' | b';' | b':'))
                )
                && !f.is_any(k, CLAUSE_LINKS)
        })
        .any(|k| over_word(f, k))
        || closed_by_participle(f, at, sentences)
}

/// The clause of the absence word at `at` ends with a participle of [`CLOSING_PARTICIPLES`].
fn closed_by_participle(f: &Folded, at: usize, sentences: &[u32]) -> bool {
    let sentence = sentences.get(at);
    (at..f.toks.len())
        .take_while(|&k| !clause_break(f, sentences, k, sentence))
        .any(|k| f.is_any(k, CLOSING_PARTICIPLES))
}

/// Participles that close a German or Dutch perfect of being or spending time ("gewesen",
/// "geweest", "verbracht", "doorgebracht"): the absence before them in their clause is over.
const CLOSING_PARTICIPLES: &[&str] = &["gewesen", "geweest", "verbracht", "doorgebracht"];

/// Token `k` is a past word that closes what it tells of ([`PAST`] but not [`NOT_OVER`]),
/// or a return word just made, said before what it comes back from ("just back from two
/// weeks of parental leave", "net terug van vakantie"): "back in the office on Monday" is
/// still to come. The Nordic perfect of coming ("jeg er lige kommet hjem fra ferie", "jag har
/// kommit tillbaka") is over but after "when" ("når jeg er kommet tilbage": a future perfect).
pub(super) fn over_word(f: &Folded, k: usize) -> bool {
    // (Not "only", Dutch "pas", Italian "appena": "only back from leave on 12 May", "pas
    // terug van vakantie op 12 mei", "appena rientro dalle ferie" are still to come.)
    // (the "from" of the English and Dutch words above)
    const FROM: &[&str] = &["from", "van", "uit"];
    let future_perfect = f.is_any(k, &["kommet", "kommit"])
        && (k.saturating_sub(3)..k).any(|j| f.is_any(j, &["nar", "naar", "when"]));
    f.is_any(k, PAST)
        && !future_perfect
        && (!f.is_any(k, NOT_OVER)
            || f.is_any(k, RETURN_WORDS) && f.is_any(k.wrapping_sub(1), JUST) && f.is_any(k + 1, FROM))
}

/// Words of [`PAST`] that name the return itself ("back", "zurück", "rientro"), before a cue
/// of being back ("back in the office next week").
const RETURN_WORDS: &[&str] = &[
    "back", "zuruck", "terug", "retour", "rientro", "zpet", "zpatky", "spat",
];

/// Words of [`PAST`] that leave the absence open: a return still to come ("I will be back
/// at work after two weeks off", "je rentre le 5", "rientro lunedì") and the perfect that
/// runs on to now ("I have been on leave since March").
const NOT_OVER: &[&str] = &[
    "back", "zuruck", "terug", "retour", "rientro", "zpet", "zpatky", "spat", "been", "reviens", "rentre",
    "rentree", "spend",
];

/// Words by which a writer who is there speaks: a first-person subject, "vou" ("vou
/// encaminhar"), the writer as the one to turn to meanwhile ("nel frattempo può fare
/// riferimento a me", "please send your questions to me"), and the verbs of
/// [`subject::PASSING_ON`].
///
/// Also Czech "jsem" and Polish "jestem", the first person's "am" (and Czech's past: "předal
/// jsem", I passed it on), the Nordic "me" ("du kan ta dette med meg", "kontakta mig"), and
/// the writer able to help meanwhile ("posso ajudar", "puedo ayudarle").
const WRITER_PRESENT: &[&str] = &[
    "i", "ich", "je", "moi", "j", "ik", "eu", "io", "yo", "jag", "jeg", "mina", "vou", "me", "mir", "mich",
    "mnie", "mne", "jsem", "jestem", "meg", "mig", "posso", "puedo", "ben", "bana", "benimle", "ilettim",
    "comigo", "conmigo",
];

/// "I'll be off for the same dates", "I am off next week", "we're off from Monday": "off"
/// right after the writer's own "be" is time off (not "off to a meeting", which `cues`
/// drops, nor "turn it off"); so is "out" said of now ("I'm out right now", "I'm currently
/// out").
fn first_person_off(f: &Folded, at: usize) -> bool {
    // "I'm off again until Monday", "I'm off now until after Christmas": the time after
    // "again" or "now".
    let next = if f.is_any(at + 1, &["again", "now"]) {
        at + 2
    } else {
        at + 1
    };
    let off = f.is_word(at, "off") && (f.is_any(next, TIME_OFF) || f.is_any(next, &["the", "sick", "work"]));
    // "I'll be out for a few days", "I'm out all week", "we're out from Monday": "out" after
    // the writer's "be" with a length or a time after it ("out of ideas" has neither).
    let out_for = f.is_word(at, "out") && f.is_any(next, TIME_OFF);
    // "I'm out right now", "I'm out at the moment", "I'm currently out": away now.
    let out_now = f.is_word(at, "out")
        && (f.is_word(at + 1, "right") && f.is_word(at + 2, "now")
            || f.is_word(at + 1, "at") && f.is_word(at + 2, "the") && f.is_word(at + 3, "moment")
            || f.is_any(at + 1, &["currently", "atm"]));
    let before = if f.is_any(at.wrapping_sub(1), &["currently", "still", "now"]) {
        at.wrapping_sub(2)
    } else {
        at.wrapping_sub(1)
    };
    let currently_out = f.is_word(at, "out") && before != at.wrapping_sub(1) && !f.is_word(at + 1, "of");
    (off || out_for || out_now || currently_out) && cues::english_first_person_be(f, before)
}

/// "Out for an appointment, back at 3", "Off until Monday": "out" or "off" opening its
/// sentence with a length or a time after it is a notice of time away ("Off the top of my
/// head" has neither).
fn off_notice(f: &Folded, at: usize, sentences: &[u32]) -> bool {
    f.is_any(at, &["out", "off"]) && f.is_any(at + 1, TIME_OFF) && opens_sentence(f, at, sentences)
}

/// "Estoy fuera unos días", "sono fuori fino a lunedì", "estou fora esta semana": "away"
/// after the writer's own "be" in Spanish, Italian or Portuguese, not followed by what it is
/// out of ("fuera de mí", "fuori di testa", "fora do projeto").
fn romance_away(f: &Folded, at: usize) -> bool {
    // Out of town, of the office or of the country is away ("ando fuera de la ciudad",
    // "sono fuori città", "estou fora do escritório").
    let place = (at + 1..at + 4).any(|k| {
        f.is_any(
            k,
            &[
                "ciudad",
                "citta",
                "cidade",
                "oficina",
                "ufficio",
                "escritorio",
                "pais",
                "paese",
                "sede",
            ],
        )
    });
    f.is_any(at, &["fuera", "afuera", "fuori", "fora"])
        && f.is_any(at.wrapping_sub(1), cues::ROMANCE_BE_FIRST_PERSON)
        && (place
            || !f.is_any(
                at + 1,
                &[
                    "de", "del", "di", "dal", "dalla", "dallo", "dei", "della", "da", "do", "dos", "das",
                    "mi",
                ],
            ))
}

/// Auxiliaries of the perfect ("ho trovato", "he visto", "j'ai vu", "ich habe gesehen",
/// "ik heb gezien", "I have seen"): with a word after them, a past tense.
const PERFECT_AUXILIARIES: &[&str] = &[
    "ho", "abbiamo", "he", "hemos", "ai", "avons", "habe", "hab", "haben", "heb", "hebben", "have", "had",
];

/// Words that follow "off" or "out" when they are time away: a length, a day or a stretch
/// ("off for two weeks", "out until Monday", "out all week"; "off" also takes "the", "off the
/// rest of the week", which after "out" is a door).
const TIME_OFF: &[&str] = &[
    "for", "from", "until", "till", "through", "thru", "next", "this", "today", "tomorrow", "on", "all",
];

/// The clause before the absence word at `at` has the writer as subject (or none at all),
/// and is neither negated, nor past, nor a condition.
pub(crate) fn writers_clause(f: &Folded, at: usize, sentences: &[u32], notice: Notice) -> bool {
    let Some(&sentence) = sentences.get(at) else {
        return false;
    };
    let sentence_start = (0..at)
        .rev()
        .take_while(|&k| sentences.get(k) == Some(&sentence) && !f.toks.get(k + 1).is_some_and(|t| t.para))
        .last()
        .unwrap_or(at);
    // A notice: the absence word opens its sentence ("On vacation!", "Closed today"), maybe
    // after a greeting and its comma and an adverb of time ("Hi John, currently at hospital").
    let from = if f.is_any(sentence_start, GREETINGS) {
        (sentence_start..at)
            .rev()
            .find(|&k| f.is_punct(k, b','))
            .map_or(sentence_start, |comma| comma + 1)
    } else {
        sentence_start
    };
    let words_before = (from..at)
        .filter(|&k| f.is_a_word(k) && !f.is_any(k, WINDOW_FILLERS))
        .count();
    // "Status: on hiatus.", "Update: closed until Monday": a heading of a few words and its
    // colon, then the notice opening its clause.
    let after_heading = (sentence_start..at)
        .rev()
        .find(|&k| f.is_punct(k, b':'))
        .filter(|&colon| (sentence_start..colon).filter(|&k| f.is_a_word(k)).count() <= 3)
        .is_some_and(|colon| (colon + 1..at).filter(|&k| f.is_a_word(k)).count() <= 1);
    // "Cerraremos por vacaciones", "nous fermons": the verb's ending is the writer's "we".
    let mut first_person = f.is_any(at, cues::WE_CLOSE).then_some(at);
    if first_person.is_none() && we_have_before(f, at) {
        first_person = Some(at - 1);
    }
    // "Per qualche giorno mi assento", "scusa se sparisco, sto via": a cue that opens with
    // its own first person ("mi", "me", "sto") is the writer's, whatever stands before it.
    if first_person.is_none() && subject::first_person(f, at) {
        first_person = Some(at);
    }
    // "... y no atenderé el correo": so does the verb right after the cue's own negation.
    if first_person.is_none() && f.is_any(at, &["no", "non", "nao"]) && subject::first_person(f, at + 1) {
        first_person = Some(at + 1);
    }
    // The writer as the subject of the clause that ends at token `end`, within `reach` words
    // back: the "I" a clause without a subject of its own goes on.
    let subject_before = |end: usize, reach: usize| {
        (sentence_start..end)
            .rev()
            .take_while(|&j| {
                !matches!(
                    f.toks.get(j).map(|t| t.kind),
                    Some(Kind::Punct(b',' | b';' | b':'))
                )
            })
            .take(reach)
            .find(|&j| f.is_any(j, I_SUBJECTS))
    };
    let window = window_start(f, at);
    for k in (window..at).rev() {
        if k < sentence_start {
            break;
        }
        if matches!(
            f.toks.get(k).map(|t| t.kind),
            Some(Kind::Punct(b',' | b';' | b':'))
        ) {
            // "Adesso sono di corsa, in giro per fiere", "I'm swamped, at a trade fair all
            // week": an absence with no verb of its own right after a comma goes on the
            // clause before it, whose writer it is (the verb itself, "sono", "I'm", not a
            // possessive or an object pronoun of it).
            if f.is_punct(k, b',') && first_person.is_none() && k + 1 == at {
                first_person = subject_before(k, 6);
            }
            break;
        }
        // "I've been away since July and will be back on the 24th": the clause of the cue
        // begins after the conjunction; what came before it is another clause. Its subject
        // still speaks for a cue whose clause has none of its own ("I'm burned out and
        // stepping away from the project", "ich bin krank und liege flach"): the "I" of the
        // clause before, nothing else of it (its past or negation is its own).
        // Dutch "maar" after a verb is "only" ("ik kan maar af en toe mijn mail lezen"), no
        // "but".
        let only = f.is_word(k, "maar")
            && f.is_any(
                k.wrapping_sub(1),
                &[
                    "kan", "kun", "kunnen", "lees", "ben", "zijn", "is", "heb", "hebben", "zal", "mag",
                    "moet", "wil", "kijk", "check",
                ],
            );
        // Dutch "en" (and) before the writer's verb ("ik zit in Noorwegen en kan maar af en toe
        // ..."); elsewhere "en" is "in" ("je suis en congé").
        let dutch_and = f.is_word(k, "en")
            && f.is_any(
                k + 1,
                &[
                    "kan", "ben", "ga", "heb", "zal", "lees", "kom", "zit", "werk", "blijf", "probeer",
                ],
            );
        if (f.is_any(k, CLAUSE_LINKS) || dutch_and) && !only {
            if first_person.is_none() && !(k + 1..at).any(|j| f.is_any(j, SUBJECTS)) {
                first_person = subject_before(k, 9);
            }
            break;
        }
        // A negation before a return that runs until a day is the absence itself ("je ne
        // suis pas de retour avant le 20", "not available until Monday"); "not available on
        // Tuesday, but Wednesday" is a person's agenda, and before anything else a negation
        // denies the absence. Dutch "pas weer" is "only again", no negation.
        // The return cue is looked up (a regex search) only behind a negation.
        let dutch_pas = || f.is_word(k, "pas") && f.is_any(k + 1, &["weer", "vanaf", "op", "na", "per"]);
        // Polish "jestem już po urlopie": already after the leave, over.
        let already_after = f.is_word(k, "po") && f.is_word(k.wrapping_sub(1), "juz");
        // "I've been called up for jury duty", "I have been sent to the Lagos office": a
        // passive of being sent away, which still holds.
        let sent_away = f.is_word(k, "been") && f.is_any(k + 1, SENT_AWAY);
        // Japanese "先週は出張で不在にしており" (last week I was away): a past time before
        // the absence, not "先週から" (since last week, still away).
        let japanese_past =
            f.is_any(k, &["senshuu", "sengetsu", "sakunen", "kinou"]) && !f.is_word(k + 1, "kara");
        // "back in the office next week": a return word before the return cue is the same
        // return, still to come when its day is (the date decides), not a past.
        let returning = f.is_any(k, RETURN_WORDS) && f.is_a_word(k + 1);
        if (f.is_any(k, PAST) && !sent_away && !returning)
            || already_after
            || japanese_past
            || (f.is_any(k, NEGATION)
                && !dutch_pas()
                && !portuguese_in(f, k)
                && !french_ne_of_cue(f, k, at)
                && !denied_until(f, k, at)
                && !cues::french_only(f, k, at, 6))
        {
            return false;
        }
        if first_person.is_none() && subject::first_person(f, k) {
            first_person = Some(k);
        }
    }
    // "ik ben twee weken op vakantie geweest": the perfect closes at the clause's end.
    if closed_by_participle(f, at, sentences) {
        return false;
    }
    // "Domani parto per le ferie", "je pars en vacances": a verb of setting off whose ending
    // is the writer; "Leaving for holidays soon", "heading off on holiday": one that opens
    // its sentence, the writer's own notice.
    let setting_off = (window.max(sentence_start)..at).any(|k| match cues::leaving_verb(f, k) {
        Some(true) => true,
        Some(false) => !(sentence_start..k).any(|w| f.is_a_word(w)),
        None => false,
    });
    // "Will be out 2-3 weeks", "Am away until Monday", "Lig thuis met griep", "Sitze im Zug
    // nach München": a note that leaves out its "I" before a first-person verb (not "Ben je
    // ...", "Bist du ...", which ask).
    // Danish, Norwegian and Swedish "Er på ferie", "Är på semester": "am" before a place or
    // a state, not German "Er ist im Urlaub" (he is).
    // After a greeting, the note starts after its comma ("Griaß Sie, bin die Woche ...").
    let opener = if from < at { from } else { sentence_start };
    let nordic_am = f.is_any(opener, &["er", "ar"]) && f.is_any(opener + 1, NORDIC_STATES);
    let elided_i = (f.is_any(opener, ELIDED_I_VERBS) && !f.is_any(opener + 1, ASKED_PERSONS))
        || nordic_am
        || (f.is_any(opener, &["will", "shall", "gonna"]) && f.is_word(opener + 1, "be"));
    match first_person {
        Some(k) => !f.is_any(k.wrapping_sub(1), CONDITIONAL),
        None => {
            notice == Notice::Any
                || words_before <= 1
                || after_heading
                || setting_off
                || elided_i
                || subject::doubted_return(f, at)
        }
    }
}

/// French "ne" whose "pas" (or "plus", "jamais") stands in the cue at `at` right after its
/// verb: the negation is the absence itself ("je ne consulte pas ma messagerie jusqu'au 14"),
/// not a denial of it ("je ne suis pas absent").
fn french_ne_of_cue(f: &Folded, k: usize, at: usize) -> bool {
    f.is_any(k, &["ne", "n"]) && (at + 1..at + 3).any(|j| f.is_any(j, &["pas", "plus", "jamais"]))
}

/// The writer as the subject of a clause, or a verb form that carries it ("I", "ich",
/// "je", "yo", "io", "ik", "eu", "we"; "bin", "suis", "sono", "estoy"): not the possessives,
/// which open someone else's subject as often ("my colleague is ill and away").
const I_SUBJECTS: &[&str] = &[
    "i", "we", "ich", "wir", "je", "j", "nous", "yo", "io", "ik", "wij", "eu", "bin", "suis", "sommes",
    "sono", "siamo", "estoy", "estamos", "estou", "ben", "im",
];

/// Subjects that give a clause its own: pronouns of any person and the writer's ("he", "she",
/// "they", "er", "sie", "il", "elle", "lui", "lei", "hij", "zij", "ze", "ele", "ela").
const SUBJECTS: &[&str] = &[
    "i", "we", "he", "she", "they", "ich", "wir", "er", "sie", "je", "nous", "il", "elle", "ils", "elles",
    "yo", "el", "ella", "io", "lui", "lei", "ik", "wij", "hij", "zij", "ze", "eu", "ele", "ela",
];

/// First-person verbs that open a note without their "I" ("Am away", "Ben tot vrijdag weg",
/// "Zit in de bergen", "Lig thuis met griep", "Bin bis Freitag im Urlaub", "Sitze im Zug").
const ELIDED_I_VERBS: &[&str] = &[
    "am", "ben", "zit", "lig", "sta", "bin", "sitze", "liege", "stecke",
];

/// Past participles of being sent away after "been" ("I've been called up for jury duty"):
/// a passive whose state holds now, not a past absence.
const SENT_AWAY: &[&str] = &[
    "called",
    "summoned",
    "sent",
    "posted",
    "seconded",
    "drafted",
    "assigned",
    "deployed",
    "asked",
    "picked",
    "selected",
    "chosen",
    "empanelled",
    "empaneled",
    "impanelled",
    "impaneled",
    "stationed",
    "rostered",
    "scheduled",
    "admitted",
    "hospitalised",
    "hospitalized",
    "signed",
    "laid",
];

/// Words after a Nordic "er" / "är" that opens a note with its "I" left out ("Er på ferie",
/// "Er ute på oppdrag", "Är ledig"): a place, being out, or a state of being away.
const NORDIC_STATES: &[&str] = &[
    "pa",
    "i",
    "ute",
    "ude",
    "borte",
    "borta",
    "vaek",
    "syk",
    "syg",
    "sjuk",
    "ledig",
    "bortreist",
    "bortrejst",
    "bortrest",
    "hjemme",
    "hemma",
    "ikke",
    "inte",
];

/// Persons after a verb that opens a question ("Ben je ...", "Bist du ...", "Sind Sie ..."):
/// no elided "I".
const ASKED_PERSONS: &[&str] = &[
    "je", "jij", "u", "du", "sie", "er", "ihr", "jullie", "hij", "ze", "zij", "you",
];

/// Conjunctions that open a new clause ("and", "but", "und", "aber", "mais", "pero", "ma",
/// "maar", "mas").
const CLAUSE_LINKS: &[&str] = &[
    "and", "but", "und", "aber", "sondern", "mais", "pero", "sino", "ma", "maar", "mas", "men", "ale",
];

/// Which clauses without a first-person subject count as the writer's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Notice {
    /// Only a notice whose absence word opens the sentence ("On vacation!"): an absence
    /// without a date must be said plainly.
    Opening,
    /// Any clause without a subject of its own ("Maintainer away until 24 August", "the
    /// shop stays closed until the 12th"): a date tied to the absence says enough.
    Any,
}

/// Negations that, before an absence word, deny it ("not on holiday", "nicht im Urlaub",
/// "pas en vacances", "no estoy de vacaciones").
/// Portuguese "no" is "in the" ("no momento estou afastado", "no escritório"), not the
/// Spanish and English negation: the noun after it tells.
fn portuguese_in(f: &Folded, k: usize) -> bool {
    f.is_word(k, "no")
        && f.is_any(
            k + 1,
            &[
                "momento",
                "escritorio",
                "periodo",
                "dia",
                "proximo",
                "mes",
                "final",
                "inicio",
            ],
        )
}

pub(super) const NEGATION: &[&str] = &[
    "not", "nt", "never", "nicht", "kein", "keine", "pas", "jamais", "no", "non", "niet", "geen", "nao",
    "nie", "inte", "ikke", "ei", "ne",
];

/// The writer cannot take this now: "ora non riesco", "I'm busy right now", "can't talk now",
/// "ahora no puedo", "gerade passt es nicht", "teraz nie mogę". Said beside a day proposed to
/// talk ("ora non riesco, sentiamoci giovedì"), it puts the reader off until that day, a
/// call-back; without it, "Sentiamoci giovedì" is an interested reply making an appointment.
static UNABLE_NOW_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?x-u)\b(?:
        (?:can'?t|cannot|can\ not|unable\ to)\ (?:talk|speak|chat|do\ it|answer|look\ at\ (?:it|this))\ (?:right\ )?now
        | (?:busy|tied\ up|in\ a\ meeting|driving|swamped|slammed)\ (?:right\ now|now|today|at\ the\ moment|this\ (?:morning|afternoon|week)) | right\ now\ i'?\ ?(?:m|am)\ (?:busy|driving|in\ a\ meeting|tied\ up|swamped)
        | not\ a\ good\ time
        | (?:ora|adesso|in\ questo\ momento)\ non\ (?:riesco|posso|ce\ la\ faccio) | (?:ora|adesso)\ sono\ (?:impegnat\w|in\ riunione|in\ macchina|di\ corsa|fuori)
        | (?:ahora|ahorita|ahora\ mismo|en\ este\ momento)\ no\ (?:puedo|alcanzo|me\ da) | (?:ahora|ahorita)\ (?:estoy|ando)\ (?:ocupad\w|en\ (?:una\ )?reunion|manejando|a\ full)
        | (?:agora|no\ momento|neste\ momento)\ nao\ (?:posso|consigo|da) | agora\ (?:to|tou|estou)\ (?:ocupad\w|em\ reuniao|dirigindo|na\ correria)
        | (?:je\ ne\ peux\ pas|pas\ possible)\ (?:maintenant|pour\ l'?\ ?instant|en\ ce\ moment) | (?:la|maintenant)\ je\ ne\ peux\ pas
        | (?:gerade|jetzt|momentan|im\ moment)\ (?:nicht|keine\ zeit|schlecht|passt\ es\ nicht|ganz\ schlecht) | ich\ kann\ (?:gerade|jetzt|momentan)\ nicht
        | (?:nu|op\ dit\ moment|momenteel)\ (?:even\ )?(?:niet|geen\ tijd) | ik\ kan\ (?:nu|even)\ niet
        | teraz\ (?:nie\ moge|nie\ mam\ czasu|jestem\ zajet\w|som|nemam|nemozem) | ted\ (?:nemam|nemuzu|jsem\ zaneprazdn\w)
        # this week is no good: 'tällä viikolla ei valitettavasti ehdi', 'not this week',
        # 'diese Woche klappt es nicht', 'cette semaine je ne peux pas', 'esta semana no puedo',
        # 'questa settimana non riesco', 'deze week lukt het niet', 'hinner inte den här veckan'
        | (?:talla\ viikolla|nyt)\ ei\ (?:valitettavasti\ )?(?:ehdi|onnistu|pysty|sovi) | not\ this\ week
        | this\ week\ (?:is\ )?(?:no\ good|bad|full|packed|impossible|doesn'?\ ?t\ work)
        | diese\ woche\ (?:klappt\ es\ nicht|geht\ es\ nicht|passt\ es\ nicht|schaffe\ ich\ es\ nicht)
        | cette\ semaine\ (?:je\ ne\ (?:peux|pourrai)\ pas|ce\ n'?\ ?est\ pas\ possible)
        | esta\ semana\ no\ (?:puedo|me\ da|alcanzo) | esta\ semana\ nao\ (?:posso|consigo|da)
        | questa\ settimana\ non\ (?:riesco|posso) | deze\ week\ (?:lukt\ het\ niet|kan\ ik\ niet)
        | (?:hinner|kan)\ (?:jag\ )?inte\ (?:denna|den\ har)\ veckan?
        | denne\ (?:uge|uke|uka)\ (?:kan\ jeg\ ikke|passer\ (?:det\ )?ikke) | denne\ uka\ passer\ (?:det\ )?ikke
        )\b",
    )
    .ok()
});

/// Whether the writer says they cannot take this now (see [`UNABLE_NOW_RE`]).
pub fn unable_now(text: &str) -> bool {
    unable_now_in(&tokens::fold(tokens::cap(text)))
}

/// [`unable_now`] of a text already folded.
pub(crate) fn unable_now_in(f: &Folded) -> bool {
    UNABLE_NOW_RE.as_ref().is_some_and(|re| re.is_match(&f.text))
}

/// "During this time I will have only limited access to my emails", "nur eingeschränkt per
/// E-Mail erreichbar", "Rispondiamo alle mail dal 16 in poi", "acceso limitado al correo": the
/// text says the writer's mail is read late or little for a while, which only an absence
/// notice says. An exhibitor's "visit our stand" beside it is the notice's invitation, not a
/// person's mail (see [`crate::rules::reconsider_absence`]).
static MAIL_LIMITED_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?x-u)\b(?:
        (?:limited|restricted|little|sporadic|intermittent|no)\ (?:access\ to\ (?:my\ |our\ )?(?:e-?mails?|mail|inbox)|e-?mail\ access)
        | (?:nur\ )?eingeschrankt\ (?:per\ (?:e-?mail|mail)\ )?erreichbar | (?:e-?mails?|mails?)\ (?:nur\ )?eingeschrankt
        | beperkt\ (?:bereikbaar|toegang) | acces\ (?:limite|restreint) | accesso\ (?:limitato|ridotto|saltuario)
        | acceso\ (?:limitado|restringido) | acesso\ (?:limitado|restrito)
        | (?:rispondiamo|risponderemo|respondemos|responderemos|repondrons|repondons|beantworten\ wir|antworten\ wir|we\ (?:will\ )?(?:answer|reply))\ (?:a\ |alle\ |aux\ |los\ |as\ |all\ |your\ )?(?:e-?mails?|mails?|messaggi|mensajes|messages|mensagens|correos)
        )\b",
    )
    .ok()
});

/// A house says it is open, as usual, until a closure or around it: "D'ici là, nous restons
/// joignables aux horaires habituels", "Tot die tijd zijn wij gewoon bereikbaar", "Bis dahin
/// sind wir wie gewohnt für Sie da", "Hasta entonces atendemos en horario habitual", "Fino al
/// 31 luglio siamo aperti", "Nos restantes dias funcionamos normalmente".
static OPEN_UNTIL_THEN_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?x-u)\b(?:
        (?:(?:until|till)\ then|bis\ dahin|d'?\ ?ici\ la|jusque-?\ ?la|tot\ die\ tijd|tot\ dan|hasta\ entonces
          |fino\ ad?\ allora|ate\ la|ate\ entao|(?:fino\ al|hasta\ el|jusqu'?\ ?au|bis\ zum|until|ate\ (?:o\ dia\ )?)\ \d{1,2}\.?\ ?\w*)
        [\s,]+(?:\w+\s+){0,5}?
        (?:open|reachable|available|as\ usual|erreichbar|geoffnet|wie\ gewohnt|fur\ sie\ da|joignables?|ouverts?
          |horaires\ habituels|bereikbaar|geopend|abiertos?|atendemos|horario\ habitual|aperti|aperto|raggiungibili
          |orario\ regolare|abertos?|funcionamos|atendemos|normalmente)\b
        | (?:nos\ )?(?:restantes|demais|outros)\ dias\ (?:funcionamos|estamos\ abertos|atendemos)
        | (?:on\ )?(?:all\ )?(?:the\ )?other\ days\ (?:we\ are|we'?\ ?re)\ open
        | an\ den\ (?:ubrigen|anderen)\ tagen\ (?:sind\ wir|haben\ wir)
        # ... or otherwise, the rest of the week: 'open as normal all other days', 'open
        # normal hours the rest of the week', 'ansonsten sind wir wie gewohnt erreichbar',
        # 'verder kunt u ons gewoon bereiken', 'el resto de la semana atendemos con
        # normalidad', 'les autres jours, nous sommes ouverts', 'negli altri giorni siamo aperti'
        | open\ (?:as\ )?(?:normal|usual)(?:\ hours)?\ (?:on\ )?(?:all\ )?(?:the\ )?(?:other\ days|rest\ of\ the\ (?:week|month))
        | (?:all\ )?other\ days\ (?:we\ are\ |we'?\ ?re\ )?open\ as\ (?:normal|usual)
        | ansonsten\ (?:sind\ wir\ |haben\ wir\ )?(?:wie\ gewohnt|normal|regular)\b
        | verder\ (?:kunt\ u\ ons|zijn\ wij|zijn\ we)\ gewoon\b
        | (?:el\ )?resto\ de\ la\ semana\ (?:atendemos|abrimos|estamos\ abiertos|trabajamos)\b
        | (?:les\ )?autres\ jours,?\ ?(?:nous\ sommes|on\ est)\ (?:ouverts|joignables)\b
        | (?:negli|gli)\ altri\ giorni\ (?:siamo\ )?(?:aperti|regolarmente)\b
        )",
    )
    .ok()
});

/// Whether a house says it is open as usual until its closure or on the other days (see
/// [`OPEN_UNTIL_THEN_RE`]): with a closure still to come, it is open now.
pub fn open_until_then(text: &str) -> bool {
    // The stems of its phrases first: folding costs a tenth of a reply's reading.
    const STEMS: &[&str] = &[
        "then",
        "dahin",
        "ici",
        "jusque",
        "tijd",
        "tot dan",
        "entonces",
        "allora",
        "até",
        "ate ",
        "fino al",
        "hasta el",
        "jusqu",
        "bis zum",
        "until",
        "restantes",
        "demais",
        "outros dias",
        "other days",
        "tagen",
        "rest of the",
        "ansonsten",
        "verder",
        "resto de la semana",
        "autres jours",
        "altri giorni",
    ];
    if !names_any(text, STEMS) {
        return false;
    }
    let f = tokens::fold(tokens::cap(text));
    OPEN_UNTIL_THEN_RE.as_ref().is_some_and(|re| re.is_match(&f.text))
}

/// A cheap look before a reading that folds the text: whether the text, in lower case, holds
/// one of `stems` (which name the words that reading looks for).
fn names_any(text: &str, stems: &[&str]) -> bool {
    let lower = text.to_lowercase();
    stems.iter().any(|stem| lower.contains(stem))
}

/// Whether the text says the writer's mail is read late or little for a while (see
/// [`MAIL_LIMITED_RE`]).
pub fn mail_limited(text: &str) -> bool {
    let f = tokens::fold(tokens::cap(text));
    MAIL_LIMITED_RE.as_ref().is_some_and(|re| re.is_match(&f.text))
}

/// The writer, there now, asks for something to be done before an absence that has not
/// begun: "I'll sign it before I leave", "let's aim to sign before the 28th", "mándame la
/// propuesta antes del viernes, que el lunes me voy", "laten we het voor vrijdag afronden",
/// "prima della chiusura estiva", "sooner is better". A person's reply for the rep (an
/// absence notice set early says when the writer is back, not what to do before).
static ACTS_BEFORE_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?x-u)\b(?:
        (?:before|prior\ to|ahead\ of)\ (?:i\ (?:leave|go|head\ off|am\ off|am\ away)|i'?\ ?m\ (?:off|away|gone)|then|that|my\ (?:leave|holiday|holidays|vacation|break|trip|departure)
            |the\ (?:break|holidays?|closure|shutdown|end\ of)|end\ of|(?:mon|tues|wednes|thurs|fri)day|the\ \d|\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)
        | (?:the\ )?sooner\ (?:is|would\ be)\ better | the\ sooner\ the\ better
        | avant\ (?:mon\ |notre\ |le\ |la\ |les\ |de\ )?(?:depart|partir|conges|vacances|fermeture|fin|lundi|mardi|mercredi|jeudi|vendredi|\d)
        | antes\ (?:de|del)\ (?:irme|que\ me\ vaya|mis\ vacaciones|las\ vacaciones|el\ cierre|lunes|martes|miercoles|jueves|viernes|\d|fin)
        | prima\ (?:di\ partire|della\ (?:chiusura|partenza|pausa)|delle\ (?:ferie|vacanze)|di\ (?:lunedi|martedi|mercoledi|giovedi|venerdi|\d)|del\ \d)
        | antes\ (?:de\ (?:eu\ )?(?:sair|viajar|partir)|das\ (?:minhas\ |nossas\ )?ferias|do\ (?:recesso|feriado|fim)|de\ (?:segunda|terca|quarta|quinta|sexta)|do\ dia|de\ \d)
        # 'but before that': 'pero antes podemos vernos', 'mais avant on peut', 'aber vorher'
        | (?:but|pero|mais|ma|mas|aber|maar)\ (?:before|antes|avant|prima|eerder|vorher)\b | men\ innan\b
        | vorher | davor | vor\ (?:meinem|unserem|dem|der)\ (?:urlaub|abflug|betriebsferien|weihnachtsurlaub|\d) | bevor\ ich
        # ('før det' only closing its clause: 'tak for det', 'for det meste' fold the same)
        | innan\ dess | innan\ jag | inden\ da\b | for\ da\b | for\ det\ ?[,.]
        # ... or at the event itself, or from where the writer goes: 'let's meet at your
        # stand', 'se passa allo stand ne parliamo di persona', 'podemos encontrar-nos no
        # stand', 'passez nous voir, de vive voix', 'puedo hacer una videollamada desde allí'
        # (each whole words: 'standard', 'personally' are not these)
        | (?:(?:at|to|by)\ (?:your|our|the)\ (?:stand|booth) | (?:am|an\ \w+)\ stand | (?:au|sur\ \w+)\ stand
          | (?:allo|al\ \w+)\ stand | en\ (?:el|nuestro|su|vuestro)\ (?:stand|estand) | no\ (?:\w+\ )?stand | op\ (?:de|onze|jullie|uw)\ stand
          | pa\ (?:standen|montern|var\ stand|vores\ stand)
          | de\ vive\ voix | di\ persona | en\ persona
          | desde\ (?:alli|ahi) | da\ li | from\ there | von\ dort\ aus | de\ la-?\ ?bas
          | (?:coffee|meet|meet\ up|chat|talk)\ there | desde\ el\ hotel | from\ (?:the|my)\ hotel | dall'?\ ?hotel | do\ hotel
          # a stand's number, Portuguese 'estande'; the writer's laptop along
          | (?:stand|booth|halle|hall)\ \d+ | (?:no|ao)\ estande
          | (?:i'?\ ?ll|i\ will)\ have\ my\ (?:laptop|phone|computer)\ with\ me)\b
        # Italian 'entro': by a day ('facciamolo entro fine marzo', 'meglio entro il 10');
        # Portuguese 'hj' (today) shortened
        | entro\ (?:la\ |il\ |l'?\ ?)?(?:fine|\d|lunedi|martedi|mercoledi|giovedi|venerdi) | hj\b
        | voordat\ ik | daarvoor | voor\ (?:mijn|onze|de)\ (?:vakantie|sluiting|bouwvak) | voor\ (?:maandag|dinsdag|woensdag|donderdag|vrijdag|\d)
        # ... or until then: 'bis dahin könnten wir', 'até lá sigo por aqui', 'd'ici vendredi'
        | until\ then | bis\ dahin | d'?\ ?ici\ (?:la|lundi|mardi|mercredi|jeudi|vendredi|demain|\d) | jusque-?\ ?la
        | hasta\ entonces | fino\ ad?\ allora | ate\ la | tot\ dan | voor\ die\ tijd | voorlopig
        | voor\ de\ (?:zomer|kerst|feestdagen)
        # ... or before closing its clause: 'se riusciamo a vederci prima è meglio',
        # 'queria deixar tudo assinado antes.'
        | (?:before|vorher|avant|antes|prima|eerder)(?:\ ?[.!?,;]|\ e\ meglio|\ ?$)
        # ... or now, this week, before it comes: 'on holiday in August, but this week we can
        # talk', 'je serai en vacances en mars, mais je suis disponible cette semaine'
        # (whole words: 'nowhere', 'number', 'todays' are not these)
        | (?:this\ week | (?:right\ )?now | today | diese\ woche | heute | jetzt | cette\ semaine | aujourd'?\ ?hui | maintenant
          | questa\ settimana | oggi | adesso | esta\ semana | hoy | ahora | hoje | agora | deze\ week | vandaag | nu)\b
        # ... or there all along: 'but I'm staying here in the office', 'ik ben de rest van de
        # week gewoon bereikbaar', 'io comunque sono in ufficio', 'je reste disponible'
        | i'?\ ?m\ (?:staying\ (?:here|in|at|around|put)|still\ (?:here|around|in\ the\ office)|here\ all|around\ all|in\ the\ office\ all)
        | i\ am\ (?:staying\ (?:here|in|at|around|put)|still\ (?:here|around|in\ the\ office))
        | rest\ of\ the\ (?:week|month|summer) | rest\ van\ de\ (?:week|maand|zomer) | reste\ de\ la\ semaine | resto\ della\ settimana
        | resto\ de\ la\ semana | resto\ da\ semana | rest\ der\ woche | all\ summer | tutta\ l'?\ ?estate | todo\ el\ verano | den\ ganzen\ sommer
        | gewoon\ bereikbaar | weiterhin\ erreichbar | normal\ erreichbar | trotzdem\ (?:erreichbar|da|im\ buro)
        | je\ reste\ (?:disponible|joignable|au\ bureau) | comunque\ (?:sono|resto|rimango) | rimango\ (?:disponibile|in\ ufficio|raggiungibile)
        | sigo\ (?:disponible|en\ la\ oficina) | continuo\ (?:disponivel|no\ escritorio)
        )",
    )
    .ok()
});

/// ... and the request to the reader that goes with it: "send me", "let's", "can you",
/// "envoyez-moi", "mándame", "mi mandi", "me manda", "schicken Sie", "stuur je". A notice
/// to everyone ("the queue gets cleared before my leave starts") asks nothing of the reader
/// and stays an absence.
static ASKS_READER_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?x-u)\b(?:
        send\ (?:me|us|it|over|the) | let'?\ ?s | let\ us | (?:can|could|would)\ (?:you|we) | shall\ we | get\ (?:it|this|everything)\ (?:done|signed|sorted)
        | envoyez | envoie | pouvez-vous | pourriez | qu'?\ ?on\ (?:signe|finalise|boucle|cale) | on\ (?:signe|finalise|boucle)
        | mandame | enviame | envieme | mandeme | podemos | podria[ns]? | puede[ns]?\ (?:enviar|mandar) | hablemos | cerremos | firmemos
        | cerramos | te\ parece | le\ parece
        | mi\ mand[ia] | mandami | inviami | mi\ invi[ia] | potete | puo\ (?:inviar|mandar) | chiudiamo | firmiamo | facciamo\w*
        | me\ mand[ae] | mande | envie | pode\ (?:mandar|enviar|me|ligar) | me\ liga | podemos | fechamos | fechar | consegue
        | il\ faudrait | caler\ (?:la|le|une?)
        | vi\ behover | kan\ (?:vi|du|ni) | skicka | vi\ skal | kan\ (?:vi|du|i)\ sende
        | lassen\ sie\ uns | lass\ uns | (?:konnen|konnten)\ sie | wenn\ wir\ (?:noch|vorher|diese|heute|morgen|gleich|kurz)\b | ware\ es\ (?:super|gut|toll|schon|prima|klasse|ideal|besser)
        | pouvons-?\ ?nous | pourrions-?\ ?nous | podriamos | potremmo | poderiamos | schicken\ sie | senden\ sie | schick\ mir
        | laten\ we | (?:kunt|wilt)\ u | (?:kun|wil)\ je | stuur\ (?:je|me|mij|ons|het|de|even|maar) | stuurt\ u
        # the writer there for the reader meanwhile: we can talk, I'm available
        | we\ (?:can|could) | (?:i'?\ ?m|i\ am)\ (?:available|free|around) | (?:konnen|konnten)\ wir | bin\ ich\ (?:erreichbar|da|verfugbar)
        | kunnen\ we | ben\ ik\ (?:bereikbaar|beschikbaar) | on\ peut | nous\ pouvons | je\ suis\ disponible
        | possiamo | sono\ disponibile | estoy\ disponible | estou\ disponivel
        # a call or a meeting asked for: call me, haben Sie Zeit, bel maar, che ne dice
        | als\ we\ (?:iets|dit|het|wat|samen) | call\ me | ring\ me | haben\ sie\ (?:\w+\ ){0,2}zeit | bel\ (?:maar|me|mij|even) | che\ ne\ dice | (?:vederci|sentirci)
        # a time offered or asked for: 'Wednesday afternoon would work', 'seriez-vous
        # disponible mercredi 5', 'hätten Sie Zeit', 'le vendría bien', 'sarebbe disponibile'
        | (?:would|could|should|does|do|will)\ (?:\w+\ )?work\ (?:for\ (?:you|me|us)|best)? | happy\ to\ (?:have\ a\ )?(?:chat|talk|call|meet)
        | seriez-?\ ?vous | etes-?\ ?vous\ disponible | caler\ un | fixer\ un\ (?:rendez|rdv|creneau|appel)
        | hatten\ sie\ (?:\w+\ ){0,2}zeit | passt\ (?:es\ )?ihnen | estaria\ disponible | estarias\ disponible | le\ vendria\ bien | te\ vendria\ bien
        | sarebbe\ disponibile | saresti\ disponibile | le\ andrebbe\ bene | ti\ andrebbe\ bene | schikt\ het | past\ het\ (?:u|je) | estaria\ disponivel | teria\ disponibilidade
        # sent to the writer, said short: 'shoot me the deck', 'scrivimi pure'; the writer
        # staying at hand: 'je reste disponible', 'rimango disponibile', 'sigo disponible'
        | shoot\ me | drop\ me | scrivimi | scrivetemi | mi\ scriva | je\ reste\ (?:disponible|joignable) | rimango\ disponibile | sigo\ disponible
        # come and see us, does it suit you: 'passez nous voir', 'passer det?', 'har du tid'
        | (?:passez|venez)\ nous\ voir | pass(?:er|ar)\ det | har\ (?:du|ni)\ tid
        | (?:kommen|schauen)\ sie\ (?:doch\ |gern\ |gerne\ )?vorbei | besuchen\ sie\ uns | passa\ la | (?:send|shoot)\ the\ \w+\ over
        | continuo\ disponivel
        # a meeting confirmed to the reader: 'te confirmo la reunión', 'I confirm Tuesday'
        | i\ confirm | (?:te|le|vous|ti|lhe)\ confirm\w* | ich\ bestatige | ik\ bevestig
        # a time preferred, a talk welcomed: 'after the 10th would be best', 'open to a chat'
        | would\ be\ (?:best|ideal|perfect|great|good|fine) | open\ to\ (?:a\ )?(?:chat|call|conversation|meeting)
        # a meeting offered on the reader's wish or proposed: 'if you want to meet', 'how
        # about Thursday', 'que tal dia 8', 'qué tal el martes', 'wie wäre es mit', 'che ne dici di'
        | if\ you(?:'?\ ?d)?\ (?:want|would\ like|wish|like)\ to\ (?:meet|talk|chat|speak|call|catch\ up)
        | how\ about | que\ tal\ (?:el|la|o|a|dia|si|se|na|no|amanha|manana) | wie\ ware\ es | che\ ne\ dici | que\ diriez-?\ ?vous | hoe\ klinkt
        )\b",
    )
    .ok()
});

/// Whether the tokens `from..to` of `f` ask the reader for something ("send me the quote",
/// "can you", "schicken Sie", "mándame"; see [`ASKS_READER_RE`]): a person's request.
pub(crate) fn asks_reader_in(f: &Folded, from: usize, to: usize) -> bool {
    let (Some(first), Some(last)) = (
        f.toks.get(from),
        f.toks.get(to.min(f.toks.len()).saturating_sub(1)),
    ) else {
        return false;
    };
    f.text
        .get(first.f_start..last.f_end)
        .is_some_and(|span| ASKS_READER_RE.as_ref().is_some_and(|re| re.is_match(span)))
}

/// Whether the writer, speaking in the first person, asks the reader for something to be
/// done before an absence (see [`ACTS_BEFORE_RE`], [`ASKS_READER_RE`]); the caller knows the
/// absence has not begun.
pub fn acts_before(text: &str) -> bool {
    // Most replies hold none of the words of "before": a look for them first, since folding
    // the text costs a tenth of a reply's reading.
    const BEFORE_STEMS: &[&str] = &[
        "before",
        "prior to",
        "ahead of",
        "sooner",
        "avant",
        "antes",
        "prima",
        "vorher",
        "davor",
        "bevor",
        "vor ",
        "voor",
        "this week",
        "now",
        "today",
        "diese woche",
        "heute",
        "jetzt",
        "cette semaine",
        "aujourd",
        "maintenant",
        "questa settimana",
        "oggi",
        "adesso",
        "esta semana",
        "hoy",
        "ahora",
        "hoje",
        "agora",
        "deze week",
        "vandaag",
        "nu ",
        "until then",
        "bis dahin",
        "d'ici",
        "d’ici",
        "jusque",
        "entonces",
        "allora",
        "até lá",
        "tot dan",
        "voorlopig",
        "eerder",
        "vóór",
        "innan",
        "inden",
        "før da",
        "før det",
        // at the event, or from where the writer goes (see ACTS_BEFORE_RE)
        "stand",
        "booth",
        "monter",
        "vive voix",
        "persona",
        "desde all",
        "desde ahí",
        "da lì",
        "from there",
        "coffee there",
        "meet there",
        "meet up there",
        "chat there",
        "talk there",
        "hotel",
        "estande",
        "halle",
        "laptop with me",
        "von dort",
        "là-bas",
        "entro",
        "hj",
        // the writer there all along (see ACTS_BEFORE_RE; the phrases, not their common
        // words, so that a notice's "nicht erreichbar" is not folded a second time)
        "staying",
        "still here",
        "still around",
        "rest of",
        "rest van",
        "reste de",
        "resto de",
        "resto da",
        "rest der",
        "all summer",
        "tutta l",
        "todo el verano",
        "ganzen sommer",
        "gewoon bereikbaar",
        "weiterhin erreichbar",
        "normal erreichbar",
        "trotzdem",
        "je reste",
        "comunque",
        "rimango",
        "sigo",
        "continuo",
    ];
    if !names_any(text, BEFORE_STEMS) {
        return false;
    }
    let f = tokens::fold(tokens::cap(text));
    let hit = |re: &LazyLock<Option<Regex>>| re.as_ref().is_some_and(|re| re.is_match(&f.text));
    if !hit(&ACTS_BEFORE_RE) || !hit(&ASKS_READER_RE) {
        return false;
    }
    (0..f.toks.len()).any(|k| subject::first_person(&f, k) && subject::speaks_as_writer(&f, k))
}
