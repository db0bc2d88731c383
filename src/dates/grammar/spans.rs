//! Spans of time counted from now or from a written start: "in two weeks", "for 3 days",
//! "the next two weeks", "2-3 weeks", "kahden viikon päästä", "iki hafta sonra".

#[allow(clippy::wildcard_imports)]
use super::*;

/// An amount of time followed by one of these is a span from now: Finnish "kahden viikon
/// päästä", "kuukauden kuluttua"; Turkish "iki hafta sonra", "iki hafta içinde".
pub(super) const WITHIN_AFTER: &[&str] = &["paasta", "kuluttua", "sonra", "icinde", "zarfinda"];
/// An amount of time followed by one of these is the length of an absence: Finnish "kahden
/// viikon ajan", Turkish "iki hafta boyunca".
pub(super) const FOR_AFTER: &[&str] = &["ajan", "boyunca", "suresince"];
/// Unit words whose case ending already says "for" (Finnish translative "kahdeksi
/// viikoksi", Turkish "iki haftalığına").
pub(super) const FOR_UNITS: &[&str] = &[
    "viikoksi",
    "paivaksi",
    "kuukaudeksi",
    "vuodeksi",
    "haftaligina",
    "gunlugune",
    "ayligina",
];
pub(super) const IN_PREPS: &[&str] = &[
    "in",
    "within",
    "dans",
    "en",
    "tra",
    "fra",
    "over",
    "em",
    "binnen",
    "innerhalb",
    "entro",
    "za",
    "om",
];
pub(super) const FOR_PREPS: &[&str] = &[
    "for", "fur", "fuer", "pendant", "pour", "durante", "per", "voor", "por", "przez", "i", "na",
];
pub(super) const AFTER_UNITS: &[&str] = &[
    "uhr", "h", "hr", "hrs", "hours", "horas", "ore", "uur", "heures", "heure", "pm", "min", "minutes",
    "minuten", "eur", "euro", "euros", "usd", "dollars", "chf", "gbp", "kg", "km", "mb", "gb", "kb",
    "percent", "prozent", "uhrzeit", "godz", "zl", "pln", "kr", "sek", "dkk", "nok", "czk", "kc", "tl",
    // Japanese 時 (o'clock), as folded: "木曜日、14時以降" is no 14th
    "ji",
];

/// An amount of time that a postposition or a case ending makes a span: "kahden viikon
/// päästä", "2 hafta sonra", "kahden viikon ajan", "iki haftalığına", "viikon päästä".
pub(super) fn amount_with_postposition(f: &Folded, i: usize) -> Option<Expr> {
    let (n, unit, end) = match amount(f, i) {
        Some(found) => found,
        // A unit alone is one of it ("viikon päästä", in a week).
        None => {
            let unit = f.toks.get(i).filter(|t| t.kind == Kind::Word)?.lex.unit;
            if unit == Unit::None || !f.is_any(i + 1, WITHIN_AFTER) {
                return None;
            }
            (1, unit, i + 1)
        }
    };
    let val = if f.is_any(end, WITHIN_AFTER) {
        Val::Within(unit, n)
    } else if f.is_any(end, FOR_AFTER) {
        Val::For(unit, n)
    } else if f.is_any(end - 1, FOR_UNITS) {
        return Some(Expr {
            start: i,
            end,
            val: Val::For(unit, n),
            day_first_proof: None,
        });
    } else {
        return None;
    };
    Some(Expr {
        start: i,
        end: end + 1,
        val,
        day_first_proof: None,
    })
}

/// Words before a bare amount of time that make it time gone by or a rhythm, not the length
/// of an absence ("hace dos semanas", "il y a deux semaines", "vor zwei Wochen", "every 2
/// weeks", "seit zwei Wochen", "the last 2 weeks").
/// Words of being away right before "a week" (see [`bare_amount`]).
const AWAY_BEFORE_LENGTH: &[&str] = &[
    "fuera", "afuera", "away", "off", "out", "weg", "afwezig", "absent", "absente", "ausente", "assente",
    "fora", "via", "borta", "borte", "vaek", "poissa", "pryc",
];

const NOT_A_LENGTH_BEFORE: &[&str] = &[
    // "a total of 9 days", Chinese "共9天": the sum of a stretch said before
    "total",
    "hace",
    "ha",
    "y",
    "vor",
    "seit",
    "depuis",
    "desde",
    "sinds",
    "every",
    "each",
    "alle",
    "tous",
    "toutes",
    "cada",
    "ogni",
    "elke",
    "per",
    "last",
    "past",
    "previous",
    "first",
    "from",
    "von",
    "van",
    "since",
    "after",
    "nach",
    "apres",
    "despues",
    "dopo",
    "na",
    "apos",
    "depois",
    "this",
    "these",
    "those",
    "dieser",
    "diese",
    "ces",
    "estas",
    "estos",
    "queste",
    "questi",
    "deze",
    "letzten",
    "dernieres",
    "derniers",
    "ultimas",
    "ultimos",
    "ultime",
    "ultimi",
    "afgelopen",
    "laatste",
    // Nordic, Polish, Czech, Finnish and Turkish "the last": "de sidste tre uger", "ostatnie
    // dwa tygodnie", "son iki hafta".
    "sidste",
    "siste",
    "senaste",
    "sista",
    "ostatnie",
    "ostatnich",
    "posledni",
    "poslednich",
    "viimeiset",
    "viimeisen",
    "son",
    "than",
];

/// Words after a bare amount of time that make it time gone by or a delay ("2 weeks ago",
/// "zwei Wochen später", "due settimane fa", "twee weken geleden").
const NOT_A_LENGTH_AFTER: &[&str] = &[
    "ago", "later", "earlier", "before", "after", "prior", "notice", "old", "late", "fa", "geleden", "atras",
    "depois", "antes", "despues", "dopo", "prima", "danach", "spater", "spaeter", "plus", "apres", "avant",
    "zuvor", "vorher", "eerder", "later", "nachher", "back", "behind", "ahead", "out", "buri",
];

/// "out 2 weeks", "ich bin zwei Wochen im Urlaub", "absent deux semaines", "estaré fuera dos
/// semanas": an amount of time with no preposition is the length of an absence (the cues
/// around it decide whether there is one). Not "2 weeks ago", "every 2 weeks", "il y a deux
/// semaines", "2 weeks' notice".
pub(super) fn bare_amount(f: &Folded, i: usize) -> Option<Expr> {
    let (n, unit, end) = amount(f, i)?;
    // "48h", "24 hours": a time to answer in, not a length away; "a week" alone is too
    // loose ("I may spend a week in Lisbon"), but not "a week of vacation", "una semana de
    // vacaciones", "eine Woche Urlaub": the leave it measures follows.
    // "Estaré fuera una semana", "away a week": right after the word of being away it is
    // the length of the absence too.
    let away_before = f.is_any(i.wrapping_sub(1), AWAY_BEFORE_LENGTH);
    if f.is_any(end.wrapping_sub(1), HOURS)
        || (f.is_any(
            i,
            &[
                "a", "an", "un", "une", "ein", "eine", "una", "uno", "een", "um", "uma",
            ],
        ) && !leave_follows(f, end)
            && !away_before)
    {
        return None;
    }
    let before = i.wrapping_sub(1);
    let elapsed = f.is_any(before, NOT_A_LENGTH_BEFORE)
        || f.is_any(end, NOT_A_LENGTH_AFTER)
        || (f.is_punct(end, b'\'') && f.is_word(end + 1, "notice"))
        || (f.is_word(end, "s") && f.is_punct(end.wrapping_sub(1), b'\''))
        // "半年の休止を経て" (after half a year paused): gone through, some words on.
        || (end..end + 4).any(|k| f.is_word(k, "hete"));
    let counted = f.is_any(before, IN_PREPS) || f.is_any(before, FOR_PREPS) || f.is_any(before, NEXT_AMOUNT);
    (!elapsed && !counted).then_some(Expr {
        start: i,
        end,
        val: Val::For(unit, n),
        day_first_proof: None,
    })
}

/// Nouns of leave that an amount of time may measure ("two weeks of vacation", "una semana
/// de vacaciones", "120 dias de licença", "eine Woche Urlaub", "een week vakantie").
const LEAVE_NOUNS: &[&str] = &[
    "vacation",
    "holiday",
    "holidays",
    "leave",
    "pto",
    "time",
    "break",
    "rest",
    "vacances",
    "conges",
    "conge",
    "repos",
    "vacaciones",
    "descanso",
    "permiso",
    "baja",
    "ferie",
    "vacanza",
    "vacanze",
    "riposo",
    "permesso",
    "ferias",
    "folga",
    "licenca",
    "urlaub",
    "ferien",
    "pause",
    "auszeit",
    "vakantie",
    "verlof",
    "vrij",
    "semester",
    "ledighet",
    "fri",
    "urlopu",
    "urlop",
    "wolnego",
    "dovolene",
    "dovolenou",
    "lomaa",
    "izin",
    "tatil",
];

/// The amount ending before `end` measures a leave: a leave noun follows, maybe after "of",
/// "de", "di", "d'", "van", "von" ("two weeks of vacation", "una semana de vacaciones").
fn leave_follows(f: &Folded, end: usize) -> bool {
    let k = if f.is_any(end, &["of", "de", "di", "d", "van", "von", "du", "des"]) {
        end + 1
    } else {
        end
    };
    let k = if f.is_punct(k, b'\'') { k + 1 } else { k };
    // "eine Woche im Urlaub", "eine Woche auf Skiurlaub", "een week op vakantie": a
    // preposition, then the leave, maybe a compound of it.
    let k = if f.is_any(k, &["im", "in", "auf", "op", "en", "na", "pa", "i"]) {
        k + 1
    } else {
        k
    };
    let compound = ["urlaub", "ferien", "vakantie", "ferie", "semester"]
        .iter()
        .any(|leave| f.is_a_word(k) && f.word(k).ends_with(leave));
    f.is_any(k, LEAVE_NOUNS) || compound
}

/// Hedges that may stand between "in"/"for" and an amount.
pub(super) const AMOUNT_HEDGES: &[&str] = &[
    "about",
    "around",
    "approximately",
    "approx",
    "roughly",
    "some",
    "ca",
    "circa",
    "etwa",
    "ungefahr",
    "rund",
    "environ",
    "unos",
    "unas",
    "aproximadamente",
    "ongeveer",
    "zo",
    "n",
    "cerca",
    "de",
    "uns",
    "umas",
    "env",
];

/// "next" before an amount ("the next 3 days", "die nächsten zwei Wochen", "los próximos
/// diez días", "de komende twee weken"), or after it ("les deux prochaines semaines", "i
/// prossimi 3 giorni" reads as the first form).
pub(super) const NEXT_AMOUNT: &[&str] = &[
    "next",
    "coming",
    "following",
    "nachsten",
    "naechsten",
    "kommenden",
    "folgenden",
    "prochains",
    "prochaines",
    "proximos",
    "proximas",
    "prossimi",
    "prossime",
    "komende",
    "volgende",
];
/// Articles and demonstratives that may stand before [`NEXT_AMOUNT`] ("the", "die", "les",
/// "los", "i", "de"; "these next 3 days", "ces trois prochains jours", "estos próximos días",
/// "questi prossimi giorni", "diese nächsten Tage", "deze komende dagen", "estes próximos dias").
pub(super) const NEXT_AMOUNT_ARTICLES: &[&str] = &[
    "the", "die", "den", "les", "los", "las", "i", "gli", "le", "de", "os", "as", "these", "ces", "estos",
    "estas", "questi", "queste", "diese", "deze", "estes", "estas",
];

/// An absence over the next stretch of time: "(for) the next 3 days", "die nächsten zwei
/// Wochen", "les deux prochaines semaines", "los próximos diez días": as long as "for 3
/// days", from now.
pub(super) fn next_amount(f: &Folded, i: usize) -> Option<Expr> {
    let k = if f.is_any(i, NEXT_AMOUNT_ARTICLES) {
        i + 1
    } else {
        i
    };
    let (n, unit, end) = if f.is_any(k, NEXT_AMOUNT) {
        amount(f, k + 1)?
    } else if k > i {
        // "les deux prochaines semaines": the amount, "next", then the unit.
        let n = amount_number(f, k)?;
        if !f.is_any(k + 1, NEXT_AMOUNT) {
            return None;
        }
        let unit = f.toks.get(k + 2)?.lex.unit;
        if unit == Unit::None {
            return None;
        }
        (n, unit, k + 3)
    } else {
        return None;
    };
    Some(Expr {
        start: i,
        end,
        val: Val::For(unit, n),
        day_first_proof: None,
    })
}

/// The number of an amount of time at token `k`: digits ("3") or a number word ("three",
/// "drei", "deux").
fn amount_number(f: &Folded, k: usize) -> Option<u32> {
    let tok = f.toks.get(k)?;
    match tok.kind {
        // "120 dias de licença": three digits count days only (see `amount`).
        Kind::Num if tok.digits <= 3 && tok.value > 0 && tok.value <= 366 => Some(tok.value),
        Kind::Word if tok.lex.number > 0 => Some(u32::from(tok.lex.number)),
        _ => None,
    }
}

/// Words for hours, counted as days when they make whole days ("within 48 hours").
const HOURS: &[&str] = &[
    "hours", "hrs", "h", "stunden", "heures", "horas", "ore", "uur", "timer", "tuntia", "godzin", "hodin",
    "saat",
];

/// Words of work before a word for days that make them business days ("4 business days",
/// "working days", Czech "pracovní dny", Turkish "iş günü").
const BUSINESS_BEFORE: &[&str] = &[
    "business",
    "working",
    "work",
    "pracovni",
    "pracovnich",
    "pracovnim",
    "is",
];

/// The same after the word for days ("jours ouvrés", "días hábiles", "giorni lavorativi",
/// "dias úteis", "dni roboczych", "werkdagen" is one word, in the lexicon).
const BUSINESS_AFTER: &[&str] = &[
    "ouvres",
    "ouvrables",
    "habiles",
    "laborables",
    "lavorativi",
    "uteis",
    "roboczych",
    "robocze",
    "roboczy",
];

/// "or" in the languages read: "2 or 3 weeks", "a week or two"; also between two days
/// offered for a call ("Monday or Tuesday", "segunda ou terça", "maandag of dinsdag").
pub(crate) const OR: &[&str] = &[
    "or", "oder", "ou", "o", "of", "eller", "tai", "nebo", "veya", "lub", "albo",
];

/// The singular day, week and month of Polish and Czech (and Slovak), which "przez", "na"
/// and "za" count as one without a number.
const SLAVIC_SINGULAR_UNITS: &[&str] = &[
    "tydzien", "miesiac", "dzien", "tyden", "mesic", "den", "tyzden", "mesiac",
];

/// "between" in the languages read, before an amount whose two numbers "and" links.
const BETWEEN: &[&str] = &[
    "between", "entre", "zwischen", "tra", "fra", "tussen", "mellan", "mellom", "imellem", "miedzy", "mezi",
];

/// "and" in the languages read, linking the two numbers of an amount after [`BETWEEN`].
const AND: &[&str] = &[
    "and", "und", "et", "y", "e", "en", "och", "og", "i", "a", "ja", "ve",
];

/// A word for two weeks at token `k` ("fortnight", "quinzaine", "quincena", "quindicina",
/// maybe followed by "of days": "une quinzaine de jours"): the token after it.
fn fortnight(f: &Folded, k: usize) -> Option<usize> {
    if !f.is_any(
        k,
        &["fortnight", "fortnights", "quinzaine", "quincena", "quindicina"],
    ) {
        return None;
    }
    let days =
        f.is_any(k + 1, &["de", "di", "d"]) && f.toks.get(k + 2).is_some_and(|t| t.lex.unit == Unit::Day);
    Some(if days { k + 3 } else { k + 1 })
}

/// An amount of time at token `i`: "two weeks", "zwei Wochen", "3 days", "a couple of weeks",
/// "2-3 weeks". Returns `(number, unit, next token)`.
pub(super) fn amount(f: &Folded, i: usize) -> Option<(u32, Unit, usize)> {
    let number = |k: usize| amount_number(f, k);
    // "in a couple of weeks": the article belongs to "couple".
    if f.is_word(i, "a") && f.is_word(i + 1, "couple") {
        return amount(f, i + 1);
    }
    let tok = f.toks.get(i)?;
    // "fortnight", "quinzaine", "quincena", "quindicina": two weeks, alone or after "a".
    if let Some(end) = fortnight(f, i) {
        return Some((2, Unit::Week, end));
    }
    // Polish and Czech have no article: "przez tydzień", "na týden" (for a week), "za
    // tydzień" (in a week) count one.
    if number(i).is_none()
        && f.is_any(i.wrapping_sub(1), &["przez", "na", "za"])
        && matches!(tok.lex.unit, Unit::Day | Unit::Week | Unit::Month)
        && f.is_any(i, SLAVIC_SINGULAR_UNITS)
    {
        return Some((1, tok.lex.unit, i + 1));
    }
    let mut n = number(i)?;
    let mut k = i + 1;
    // Swedish "ett tag" is "a while" (German "Tag" is a day, "einen Tag").
    if f.is_word(i, "ett") && f.is_word(k, "tag") {
        return None;
    }
    if let Some(end) = fortnight(f, k) {
        return Some((2 * n, Unit::Week, end));
    }
    // "2-3 weeks", "two to three weeks", "zwei bis drei Wochen", "2 ou 3 semaines": the
    // longer one, the first day certainly back.
    // "between 3 and 5 days", "entre 3 y 5 días", "zwischen 3 und 5 Tagen": the same, its
    // link an "and" after a "between".
    let between = f.is_any(i.wrapping_sub(1), BETWEEN) && f.is_any(k, AND);
    if f.is_punct(k, b'-') || f.is_any(k, &["to", "bis", "a", "tot", "-"]) || f.is_any(k, OR) || between {
        if let Some(m) =
            number(k + 1).filter(|&m| m > n && f.toks.get(k + 2).is_some_and(|t| t.lex.unit != Unit::None))
        {
            n = m;
            k += 2;
        }
    }
    // "a couple of weeks", "un paio di settimane".
    if f.is_word(k, "of") || f.is_word(i, "paio") && f.is_word(k, "di") {
        k += 1;
    }
    // "within 24 hours", "in 48 Stunden": whole days of hours.
    if f.is_any(k, HOURS) && n >= 24 && n % 24 == 0 {
        return Some((n / 24, Unit::Day, k + 1));
    }
    // "4 business days", "3 pracovní dny": a word of work before the days; "3 jours ouvrés",
    // "5 días hábiles", "5 giorni lavorativi", "5 dias úteis", "5 dni roboczych": after them.
    if f.is_any(k, BUSINESS_BEFORE) && f.toks.get(k + 1).is_some_and(|t| t.lex.unit == Unit::Day) {
        return Some((n, Unit::BusinessDay, k + 2));
    }
    if f.toks.get(k).is_some_and(|t| t.lex.unit == Unit::Day) && f.is_any(k + 1, BUSINESS_AFTER) {
        return Some((n, Unit::BusinessDay, k + 2));
    }
    let unit = f.toks.get(k)?.lex.unit;
    if unit == Unit::None || (n > 99 && unit != Unit::Day) {
        return None;
    }
    // "quinze jours", "quince días", "quindici giorni", "quinze dias" are two weeks.
    if unit == Unit::Day && n == 15 && tok.kind == Kind::Word {
        return Some((2, Unit::Week, k + 1));
    }
    // "a week or two", "eine Woche oder zwei", "une semaine ou deux", "una settimana o due",
    // "een week of twee": the number after the unit is the longer reading, as in "2-3 weeks".
    if f.is_any(k + 1, OR) {
        if let Some(m) = number(k + 2).filter(|&m| m > n) {
            let next_is_unit = f.toks.get(k + 3).is_some_and(|t| t.lex.unit != Unit::None);
            if !next_is_unit {
                return Some((m, unit, k + 3));
            }
        }
    }
    Some((n, unit, k + 1))
}
