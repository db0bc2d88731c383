//! The word lists of the date grammar: month and weekday names, number words, time units and
//! the small function words the grammar leans on, in the supported languages (en de fr es it
//! nl pt pl sv da no fi cs tr; Japanese is turned into these words by `crate::dates::tokens`).
//! Polish, Czech, Finnish and Turkish inflect month and weekday names: the forms used in
//! dates are listed ("grudnia", "prosince", "pazartesiye"), and the Finnish and Turkish
//! case endings are read by [`lookup`] from a stem.
//!
//! Every entry is written in folded form (lowercase ASCII, accents removed, as produced by
//! `crate::dates::tokens`), so one lookup serves "März", "marz" and "MÄRZ" alike. The words of
//! all languages share one table: a month name means the same month whatever language the
//! surrounding text is in, and collisions ("mar", "ago", "out", "set") are resolved by the
//! grammar, which only accepts abbreviations next to a day number.

use std::collections::HashMap;
use std::sync::LazyLock;

/// What a single folded word can mean to the date grammar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lex {
    /// Month 1..=12, or 0.
    pub month: u8,
    /// The month word is a full name that may stand alone ("in January"), not only an
    /// abbreviation that needs a day number next to it.
    pub month_full: bool,
    /// Weekday 1 (Monday) ..= 7 (Sunday), or 0.
    pub weekday: u8,
    /// A small cardinal number written as a word ("two", "zwei", "deux"), or 0.
    pub number: u8,
    /// An ordinal written as a word ("first", "erste", "premier"), or 0.
    pub ordinal: u8,
    /// A day of the month written as a word in the languages that write one before the
    /// month ("quince de septiembre", "le quinze septembre", "il quindici settembre",
    /// "vijftien september", "am fünfzehnten September"), or 0; see
    /// `grammar::days::day_word`, which also joins "vingt et un", "treinta y uno".
    pub day: u8,
    /// The span unit the word names ("weeks", "Wochen"), for "in two weeks"; else `Unit::None`.
    pub unit: Unit,
    /// A word meaning "next" ("next", "nächste", "prochain", "próximo", "prossimo", "volgende").
    pub next: bool,
    /// A word meaning "quarter" ("quarter", "Quartal", "trimestre", "kwartaal").
    pub quarter: bool,
    /// Days from the reference day for "today", "tomorrow" and "the day after tomorrow".
    pub rel_day: Option<u8>,
    /// Part of a month: "early", "mid", "end".
    pub part: Part,
}

/// A time unit of a relative span.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Unit {
    /// The word names no unit (every word that is not a unit).
    #[default]
    None,
    Day,
    /// Days counted Monday to Friday ("for the next 4 business days", "3 jours ouvrés",
    /// "3営業日"): read by `grammar::spans::amount`, counted with `business::add_business_days`.
    BusinessDay,
    Week,
    Month,
    Year,
}

/// Part of a month named before it ("early March", "Mitte Juni", "fin juillet").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Part {
    /// The word names no part of a month.
    #[default]
    None,
    /// "early March", "Anfang Juni": the 1st to the 10th.
    Early,
    /// "mid-March", "Mitte Juni": the 15th.
    Mid,
    /// "end of March", "fin juillet": the last day.
    End,
    /// "late March", "late next week": placed like the end, but vague (see `Part::vague`).
    Late,
}

impl Part {
    /// "Mid-March", "early December", "late next week": a part no one can put a day on. A
    /// return said so is not a day the writer is certainly back (DESIGN "Replies", point 5),
    /// so an absence gets the default pause rather than a guessed day; "end of March" is
    /// exact (its last day).
    pub fn vague(self) -> bool {
        matches!(self, Part::Early | Part::Mid | Part::Late)
    }
}

const MONTHS_FULL: &[(&str, u8)] = &[
    // Russian, transliterated: the genitive after a day ("15 yanvarya"), the nominative and
    // the prepositional ("v yanvare"). The genitive of March ("marta") is a name elsewhere and
    // is in MONTHS_ABBR: it needs its day number; so are "marte" (Mars in Italian and
    // Spanish), "maya" (a name) and "mae" (Portuguese "mãe", mother: "estou no hospital com
    // minha mãe" had become a May far ahead).
    ("yanvarya", 1),
    ("yanvar", 1),
    ("yanvare", 1),
    ("fevralya", 2),
    ("fevral", 2),
    ("fevrale", 2),
    ("aprelya", 4),
    ("aprel", 4),
    ("aprele", 4),
    ("iyunya", 6),
    ("iyun", 6),
    ("iyune", 6),
    ("iyulya", 7),
    ("iyul", 7),
    ("iyule", 7),
    ("avgusta", 8),
    ("avgust", 8),
    ("avguste", 8),
    ("sentyabrya", 9),
    ("sentyabr", 9),
    ("sentyabre", 9),
    ("oktyabrya", 10),
    ("oktyabr", 10),
    ("oktyabre", 10),
    ("noyabrya", 11),
    ("noyabr", 11),
    ("noyabre", 11),
    ("dekabrya", 12),
    ("dekabr", 12),
    ("dekabre", 12),
    // English
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    // Slovak: nominative and genitive ("2. septembra"); the forms German and English share
    // ("august", "september") are above
    ("januara", 1),
    ("februara", 2),
    ("marec", 3),
    ("aprila", 4),
    ("juna", 6),
    ("jula", 7),
    ("augusta", 8),
    ("septembra", 9),
    ("oktobra", 10),
    ("novembra", 11),
    ("decembra", 12),
    // German
    ("januar", 1),
    ("jaenner", 1),
    ("janner", 1),
    ("februar", 2),
    ("feber", 2),
    ("marz", 3),
    ("maerz", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    // French
    ("janvier", 1),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("juin", 6),
    ("juillet", 7),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("decembre", 12),
    // Spanish
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    // Catalan ("març" folds to "marc", a name: it needs its day, see MONTHS_ABBR)
    ("gener", 1),
    ("febrer", 2),
    ("maig", 5),
    ("juny", 6),
    ("juliol", 7),
    ("agost", 8),
    ("setembre", 9),
    ("desembre", 12),
    // Italian
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
    // Dutch
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mei", 5),
    ("augustus", 8),
    // Portuguese
    ("janeiro", 1),
    ("fevereiro", 2),
    ("marco", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("novembro", 11),
    ("dezembro", 12),
    // Polish: nominative, genitive ("7 grudnia") and locative ("w grudniu")
    ("styczen", 1),
    ("stycznia", 1),
    ("styczniu", 1),
    ("luty", 2),
    ("lutego", 2),
    ("lutym", 2),
    ("marzec", 3),
    ("marca", 3),
    ("marcu", 3),
    ("kwiecien", 4),
    ("kwietnia", 4),
    ("kwietniu", 4),
    ("maj", 5),
    ("maja", 5),
    ("maju", 5),
    ("czerwiec", 6),
    ("czerwca", 6),
    ("czerwcu", 6),
    ("lipiec", 7),
    ("lipca", 7),
    ("lipcu", 7),
    ("sierpien", 8),
    ("sierpnia", 8),
    ("sierpniu", 8),
    ("wrzesien", 9),
    ("wrzesnia", 9),
    ("wrzesniu", 9),
    ("pazdziernik", 10),
    ("pazdziernika", 10),
    ("pazdzierniku", 10),
    ("listopad", 11),
    ("listopada", 11),
    ("listopadzie", 11),
    ("grudzien", 12),
    ("grudnia", 12),
    ("grudniu", 12),
    // Czech: nominative, genitive ("7. prosince") and locative ("v prosinci")
    ("leden", 1),
    ("ledna", 1),
    ("lednu", 1),
    ("unor", 2),
    ("unora", 2),
    ("unoru", 2),
    ("brezen", 3),
    ("brezna", 3),
    ("breznu", 3),
    ("duben", 4),
    ("dubna", 4),
    ("dubnu", 4),
    ("kveten", 5),
    ("kvetna", 5),
    ("kvetnu", 5),
    ("cerven", 6),
    ("cervna", 6),
    ("cervnu", 6),
    ("cervenec", 7),
    ("cervence", 7),
    ("cervenci", 7),
    ("srpen", 8),
    ("srpna", 8),
    ("srpnu", 8),
    ("zari", 9),
    ("rijen", 10),
    ("rijna", 10),
    ("rijnu", 10),
    ("listopadu", 11),
    ("prosinec", 12),
    ("prosince", 12),
    ("prosinci", 12),
    // Swedish, Danish, Norwegian (the others are shared with German and Dutch)
    ("augusti", 8),
    ("marts", 3),
    ("desember", 12),
    // Turkish (case suffixes are read by `inflected`)
    ("ocak", 1),
    ("subat", 2),
    ("mart", 3),
    ("nisan", 4),
    ("mayis", 5),
    ("haziran", 6),
    ("temmuz", 7),
    ("agustos", 8),
    ("eylul", 9),
    ("ekim", 10),
    ("kasim", 11),
    ("aralik", 12),
];

const MONTHS_ABBR: &[(&str, u8)] = &[
    ("marta", 3),
    ("marte", 3),
    ("maya", 5),
    ("mae", 5),
    ("marc", 3),
    ("jan", 1),
    ("janv", 1),
    ("jann", 1),
    ("ene", 1),
    ("gen", 1),
    ("genn", 1),
    ("feb", 2),
    ("febr", 2),
    ("fev", 2),
    ("fevr", 2),
    ("febb", 2),
    ("mar", 3),
    ("mrz", 3),
    ("mrt", 3),
    ("apr", 4),
    ("avr", 4),
    ("abr", 4),
    ("mag", 5),
    ("jun", 6),
    ("giu", 6),
    ("jul", 7),
    ("juil", 7),
    ("lug", 7),
    ("aug", 8),
    ("ago", 8),
    ("sep", 9),
    ("sept", 9),
    ("set", 9),
    ("sett", 9),
    ("oct", 10),
    ("okt", 10),
    ("ott", 10),
    ("out", 10),
    ("nov", 11),
    ("dec", 12),
    ("dez", 12),
    ("dic", 12),
    // Polish, Turkish; Roman month numerals ("7 XII 2027") of Polish and Czech dates
    ("sty", 1),
    ("lut", 2),
    ("kwi", 4),
    ("cze", 6),
    ("lip", 7),
    ("wrz", 9),
    ("paz", 10),
    ("lis", 11),
    ("gru", 12),
    ("oca", 1),
    ("sub", 2),
    ("nis", 4),
    ("haz", 6),
    ("agu", 8),
    ("eyl", 9),
    ("ii", 2),
    ("iii", 3),
    ("iv", 4),
    ("vii", 7),
    ("viii", 8),
    ("ix", 9),
    ("xi", 11),
    ("xii", 12),
];

const WEEKDAYS: &[(&str, u8)] = &[
    // Russian, transliterated, with the accusative after "v" ("v ponedelnik", "v sredu").
    ("ponedelnik", 1),
    ("ponedelnika", 1),
    ("vtornik", 2),
    ("vtornika", 2),
    ("sreda", 3),
    ("sredu", 3),
    ("sredy", 3),
    ("chetverg", 4),
    ("chetverga", 4),
    ("pyatnitsa", 5),
    ("pyatnitsu", 5),
    ("pyatnitsy", 5),
    ("subbota", 6),
    ("subbotu", 6),
    ("voskresenye", 7),
    ("voskresene", 7),
    // Abbreviations of other languages, read only before a date ("Mo., 13.07.", "ven.
    // 10/07", "vie. 10/07"): see `grammar::days::ABBR_BEFORE_A_DATE`. Not those that are
    // other date words: "mar" (March), "mi" (mid), "do" and "za" (Polish until, in), "di",
    // "so", "ter", "qua", "qui".
    ("mo", 1),
    ("fr", 5),
    ("sa", 6),
    ("ma", 1),
    ("wo", 3),
    ("vr", 5),
    ("zo", 7),
    ("lun", 1),
    ("mer", 3),
    ("mie", 3),
    ("jeu", 4),
    ("jue", 4),
    ("gio", 4),
    ("ven", 5),
    ("vie", 5),
    ("sam", 6),
    ("sab", 6),
    ("dim", 7),
    ("dom", 7),
    ("seg", 1),
    ("sex", 5),
    ("monday", 1),
    ("mon", 1),
    ("tuesday", 2),
    ("tue", 2),
    ("tues", 2),
    ("wednesday", 3),
    ("wed", 3),
    ("thursday", 4),
    ("thu", 4),
    ("thur", 4),
    ("thurs", 4),
    ("friday", 5),
    ("fri", 5),
    ("saturday", 6),
    ("sat", 6),
    ("sunday", 7),
    ("sun", 7),
    ("montag", 1),
    ("dienstag", 2),
    ("mittwoch", 3),
    ("donnerstag", 4),
    ("freitag", 5),
    ("samstag", 6),
    ("sonnabend", 6),
    ("sonntag", 7),
    ("lundi", 1),
    ("mardi", 2),
    ("mercredi", 3),
    ("jeudi", 4),
    ("vendredi", 5),
    ("samedi", 6),
    ("dimanche", 7),
    ("lunes", 1),
    ("martes", 2),
    ("miercoles", 3),
    ("jueves", 4),
    ("viernes", 5),
    ("sabado", 6),
    ("domingo", 7),
    ("lunedi", 1),
    ("martedi", 2),
    ("mercoledi", 3),
    ("giovedi", 4),
    ("venerdi", 5),
    ("sabato", 6),
    ("domenica", 7),
    // Catalan
    ("dilluns", 1),
    ("dimarts", 2),
    ("dimecres", 3),
    ("dijous", 4),
    ("divendres", 5),
    ("dissabte", 6),
    ("diumenge", 7),
    ("maandag", 1),
    ("dinsdag", 2),
    ("woensdag", 3),
    ("donderdag", 4),
    ("vrijdag", 5),
    ("zaterdag", 6),
    ("zondag", 7),
    ("segunda", 1),
    ("terca", 2),
    ("quarta", 3),
    ("quinta", 4),
    ("sexta", 5),
    ("segundas", 1),
    ("tercas", 2),
    ("quartas", 3),
    ("quintas", 4),
    ("sextas", 5),
    // Polish: nominative, accusative ("w środę") and genitive ("do piątku")
    ("poniedzialek", 1),
    ("poniedzialku", 1),
    ("wtorek", 2),
    ("wtorku", 2),
    ("sroda", 3),
    ("srode", 3),
    ("srody", 3),
    ("czwartek", 4),
    ("czwartku", 4),
    ("piatek", 5),
    ("piatku", 5),
    ("sobota", 6),
    ("sobote", 6),
    ("soboty", 6),
    ("niedziela", 7),
    ("niedziele", 7),
    ("niedzieli", 7),
    // Swedish, Danish, Norwegian, with the definite form ("fredagen")
    ("mandag", 1),
    ("mandagen", 1),
    ("tisdag", 2),
    ("tisdagen", 2),
    ("tirsdag", 2),
    ("tirsdagen", 2),
    ("onsdag", 3),
    ("onsdagen", 3),
    ("torsdag", 4),
    ("torsdagen", 4),
    ("fredag", 5),
    ("fredagen", 5),
    ("lordag", 6),
    ("lordagen", 6),
    ("sondag", 7),
    ("sondagen", 7),
    // Finnish (the regular ones and their cases are read by `inflected`)
    ("keskiviikko", 3),
    ("keskiviikkona", 3),
    ("keskiviikkoon", 3),
    ("keskiviikosta", 3),
    ("keskiviikon", 3),
    // Czech: nominative, accusative ("ve středu") and genitive ("do pátku")
    ("pondeli", 1),
    ("utery", 2),
    ("streda", 3),
    ("stredu", 3),
    ("stredy", 3),
    ("ctvrtek", 4),
    ("ctvrtka", 4),
    ("ctvrtku", 4),
    ("patek", 5),
    ("patku", 5),
    ("patka", 5),
    ("sobotu", 6),
    ("nedele", 7),
    ("nedeli", 7),
    // Slovak, with the genitive ("od pondelka") and accusative ("v stredu")
    ("pondelok", 1),
    ("pondelka", 1),
    ("pondelku", 1),
    ("utorok", 2),
    ("utorka", 2),
    ("utorku", 2),
    ("stvrtok", 4),
    ("stvrtka", 4),
    ("stvrtku", 4),
    ("piatok", 5),
    ("piatka", 5),
    ("piatku", 5),
    ("nedela", 7),
    ("nedelu", 7),
    // Turkish, with the dative ("cumaya kadar") and ablative ("pazartesiden itibaren")
    ("pazartesi", 1),
    ("pazartesiye", 1),
    ("pazartesiden", 1),
    ("sali", 2),
    ("saliya", 2),
    ("salidan", 2),
    ("carsamba", 3),
    ("carsambaya", 3),
    ("carsambadan", 3),
    ("persembe", 4),
    ("persembeye", 4),
    ("persembeden", 4),
    ("cuma", 5),
    ("cumaya", 5),
    ("cumadan", 5),
    ("cumartesi", 6),
    ("cumartesiye", 6),
    ("cumartesiden", 6),
    ("pazar", 7),
    ("pazara", 7),
    ("pazardan", 7),
];

const NUMBERS: &[(&str, u8)] = &[
    ("a", 1),
    ("an", 1),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("fourteen", 14),
    ("couple", 2),
    // "tra un paio di settimane": a couple.
    ("paio", 2),
    ("eine", 1),
    ("einer", 1),
    ("einem", 1),
    // "ein" to "neun": `DE_UNITS`, which also builds the German days of the month
    ("zehn", 10),
    ("vierzehn", 14),
    ("un", 1),
    ("une", 1),
    ("deux", 2),
    ("trois", 3),
    ("quatre", 4),
    ("cinq", 5),
    ("sept", 7),
    ("huit", 8),
    ("dix", 10),
    ("quinze", 15),
    ("uno", 1),
    ("una", 1),
    ("dos", 2),
    ("tres", 3),
    ("cuatro", 4),
    ("cinco", 5),
    ("seis", 6),
    ("siete", 7),
    ("ocho", 8),
    ("diez", 10),
    ("quince", 15),
    ("due", 2),
    ("tre", 3),
    ("quattro", 4),
    ("sei", 6),
    ("sette", 7),
    ("otto", 8),
    ("dieci", 10),
    ("quindici", 15),
    ("een", 1),
    ("twee", 2),
    ("drie", 3),
    ("vijf", 5),
    ("zes", 6),
    ("zeven", 7),
    ("tien", 10),
    ("veertien", 14),
    ("um", 1),
    ("uma", 1),
    ("duas", 2),
    ("quatro", 4),
    ("sete", 7),
    ("oito", 8),
    ("dez", 10),
    // Polish, Swedish, Danish and Norwegian ("en" is the article), Finnish (with the genitive and translative), Czech, Turkish
    ("jeden", 1),
    ("jedna", 1),
    ("jedno", 1),
    ("dwa", 2),
    ("dwie", 2),
    ("dwoch", 2),
    ("trzy", 3),
    ("trzech", 3),
    ("cztery", 4),
    ("czterech", 4),
    ("piec", 5),
    ("szesc", 6),
    ("ett", 1),
    ("tva", 2),
    ("fyra", 4),
    ("fem", 5),
    ("to", 2),
    ("fire", 4),
    // the rest of the Nordic numbers a stay is counted in ("i ti dager", "i tio dagar")
    ("seks", 6),
    ("syv", 7),
    ("sju", 7),
    ("atte", 8),
    ("atta", 8),
    ("otte", 8),
    ("ni", 9),
    ("nio", 9),
    ("ti", 10),
    ("tio", 10),
    ("tolv", 12),
    ("fjorten", 14),
    ("fjorton", 14),
    ("yksi", 1),
    ("yhden", 1),
    ("yhdeksi", 1),
    ("kaksi", 2),
    ("kahden", 2),
    ("kahdeksi", 2),
    ("kolme", 3),
    ("kolmen", 3),
    ("kolmeksi", 3),
    ("nelja", 4),
    ("neljan", 4),
    ("neljaksi", 4),
    ("viisi", 5),
    ("viiden", 5),
    ("dva", 2),
    ("dve", 2),
    ("tri", 3),
    ("ctyri", 4),
    ("pet", 5),
    ("bir", 1),
    ("iki", 2),
    ("uc", 3),
    ("dort", 4),
    ("bes", 5),
];

const ORDINALS: &[(&str, u8)] = &[
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("erste", 1),
    ("ersten", 1),
    ("erstes", 1),
    ("zweite", 2),
    ("zweiten", 2),
    ("dritte", 3),
    ("dritten", 3),
    ("vierte", 4),
    ("vierten", 4),
    ("premier", 1),
    ("premiere", 1),
    ("premieres", 1),
    ("premiers", 1),
    ("deuxieme", 2),
    ("second", 2),
    ("troisieme", 3),
    ("quatrieme", 4),
    ("primer", 1),
    ("primero", 1),
    ("primera", 1),
    ("primeras", 1),
    ("primeros", 1),
    ("tercera", 3),
    ("cuarta", 4),
    ("segundo", 2),
    ("tercer", 3),
    ("tercero", 3),
    ("cuarto", 4),
    ("primo", 1),
    ("prima", 1),
    ("prime", 1),
    ("primi", 1),
    ("secondo", 2),
    ("seconda", 2),
    ("terzo", 3),
    ("terza", 3),
    ("quarto", 4),
    ("eerste", 1),
    ("tweede", 2),
    ("derde", 3),
    ("vierde", 4),
    ("primeiro", 1),
    ("primeira", 1),
    ("primeiras", 1),
    ("primeiros", 1),
    ("terceiro", 3),
    ("terceira", 3),
    // Polish, Swedish, Danish, Norwegian, Finnish, Czech, Turkish (before a quarter word)
    ("pierwszy", 1),
    ("pierwszym", 1),
    ("drugi", 2),
    ("drugim", 2),
    ("trzeci", 3),
    ("trzecim", 3),
    ("czwarty", 4),
    ("czwartym", 4),
    ("forsta", 1),
    ("andra", 2),
    ("tredje", 3),
    ("fjarde", 4),
    ("forste", 1),
    ("andet", 2),
    ("andre", 2),
    ("fjerde", 4),
    ("ensimmainen", 1),
    ("ensimmaisella", 1),
    ("toinen", 2),
    ("toisella", 2),
    ("kolmas", 3),
    ("kolmannella", 3),
    ("neljas", 4),
    ("neljannella", 4),
    ("prvni", 1),
    ("prvnim", 1),
    ("druhe", 2),
    ("druhem", 2),
    ("treti", 3),
    ("tretim", 3),
    ("ctvrte", 4),
    ("ctvrtem", 4),
    ("ilk", 1),
    ("birinci", 1),
    ("ikinci", 2),
    ("ucuncu", 3),
    ("dorduncu", 4),
];

const UNITS: &[(&str, Unit)] = &[
    // business days in one word: Werktage, Arbeitstage, werkdagen, arbetsdagar, arbejdsdage,
    // arbeidsdager, työpäivää
    ("werktage", Unit::BusinessDay),
    ("werktagen", Unit::BusinessDay),
    ("arbeitstage", Unit::BusinessDay),
    ("arbeitstagen", Unit::BusinessDay),
    ("werkdagen", Unit::BusinessDay),
    ("arbetsdagar", Unit::BusinessDay),
    ("arbejdsdage", Unit::BusinessDay),
    ("arbeidsdager", Unit::BusinessDay),
    ("tyopaivaa", Unit::BusinessDay),
    ("nedelya", Unit::Week),
    ("nedeli", Unit::Week),
    ("nedelyu", Unit::Week),
    ("nedele", Unit::Week),
    ("nedel", Unit::Week),
    ("dnya", Unit::Day),
    ("dney", Unit::Day),
    ("mesyats", Unit::Month),
    ("mesyatsa", Unit::Month),
    ("mesyatse", Unit::Month),
    ("day", Unit::Day),
    ("days", Unit::Day),
    ("tag", Unit::Day),
    ("tage", Unit::Day),
    ("tagen", Unit::Day),
    ("jour", Unit::Day),
    ("jours", Unit::Day),
    ("dia", Unit::Day),
    ("dias", Unit::Day),
    ("giorno", Unit::Day),
    ("giorni", Unit::Day),
    ("dag", Unit::Day),
    ("dagen", Unit::Day),
    ("week", Unit::Week),
    ("weeks", Unit::Week),
    // the short forms of quick notes: "in 2 wks", "a couple of wks"
    ("wk", Unit::Week),
    ("wks", Unit::Week),
    ("woche", Unit::Week),
    ("wochen", Unit::Week),
    ("semaine", Unit::Week),
    ("semaines", Unit::Week),
    ("semana", Unit::Week),
    ("semanas", Unit::Week),
    ("settimana", Unit::Week),
    ("settimane", Unit::Week),
    ("weken", Unit::Week),
    ("month", Unit::Month),
    ("months", Unit::Month),
    ("monat", Unit::Month),
    ("monate", Unit::Month),
    ("monaten", Unit::Month),
    ("mois", Unit::Month),
    ("mes", Unit::Month),
    ("meses", Unit::Month),
    ("mese", Unit::Month),
    ("mesi", Unit::Month),
    ("maand", Unit::Month),
    ("maanden", Unit::Month),
    ("monats", Unit::Month),
    ("year", Unit::Year),
    ("years", Unit::Year),
    ("jahr", Unit::Year),
    ("jahre", Unit::Year),
    ("jahren", Unit::Year),
    ("jahres", Unit::Year),
    ("annee", Unit::Year),
    ("annees", Unit::Year),
    ("ano", Unit::Year),
    ("anos", Unit::Year),
    ("anno", Unit::Year),
    ("anni", Unit::Year),
    ("jaar", Unit::Year),
    ("jaren", Unit::Year),
    // Polish, Swedish, Danish, Norwegian, Finnish, Czech, Turkish, with their cases
    ("dzien", Unit::Day),
    ("dni", Unit::Day),
    ("dnia", Unit::Day),
    ("dag", Unit::Day),
    ("dagar", Unit::Day),
    // Swedish definite plurals: "de kommande 2–3 dagarna", "de närmaste månaderna"
    ("dagarna", Unit::Day),
    ("dagen", Unit::Day),
    ("dage", Unit::Day),
    ("dager", Unit::Day),
    ("dagene", Unit::Day),
    ("paiva", Unit::Day),
    ("paivaa", Unit::Day),
    ("paivan", Unit::Day),
    ("paivaksi", Unit::Day),
    ("paivassa", Unit::Day),
    ("den", Unit::Day),
    ("dny", Unit::Day),
    ("dnu", Unit::Day),
    ("dne", Unit::Day),
    ("gun", Unit::Day),
    ("gunu", Unit::Day),
    ("gunde", Unit::Day),
    ("gunluk", Unit::Day),
    ("gunlugune", Unit::Day),
    ("tydzien", Unit::Week),
    ("tygodnie", Unit::Week),
    ("tygodni", Unit::Week),
    ("tygodnia", Unit::Week),
    ("tygodniu", Unit::Week),
    ("vecka", Unit::Week),
    ("veckor", Unit::Week),
    ("veckan", Unit::Week),
    ("veckorna", Unit::Week),
    ("uge", Unit::Week),
    ("uger", Unit::Week),
    ("ugen", Unit::Week),
    ("ugers", Unit::Week),
    ("uke", Unit::Week),
    // the genitive of "i en ukes tid" (for about a week)
    ("ukes", Unit::Week),
    ("uker", Unit::Week),
    ("uka", Unit::Week),
    ("uken", Unit::Week),
    // Norwegian and Danish definite plurals: "de neste 1–2 ukene", "de kommende ugerne"
    ("ukene", Unit::Week),
    ("ugerne", Unit::Week),
    ("dagerne", Unit::Day),
    ("viikko", Unit::Week),
    ("viikkoa", Unit::Week),
    ("viikon", Unit::Week),
    ("viikolla", Unit::Week),
    ("viikoksi", Unit::Week),
    ("viikkoon", Unit::Week),
    ("tyden", Unit::Week),
    ("tydny", Unit::Week),
    ("tydnu", Unit::Week),
    ("tydne", Unit::Week),
    ("tydnech", Unit::Week),
    ("tydnem", Unit::Week),
    // Slovak
    ("tyzden", Unit::Week),
    ("tyzdne", Unit::Week),
    ("tyzdna", Unit::Week),
    ("tyzdnov", Unit::Week),
    ("tyzdnoch", Unit::Week),
    ("hafta", Unit::Week),
    ("haftaya", Unit::Week),
    ("haftalik", Unit::Week),
    ("haftaligina", Unit::Week),
    ("haftada", Unit::Week),
    ("haftanin", Unit::Week),
    ("haftayi", Unit::Week),
    ("miesiac", Unit::Month),
    ("miesiace", Unit::Month),
    ("miesiecy", Unit::Month),
    ("miesiaca", Unit::Month),
    ("miesiacu", Unit::Month),
    ("manad", Unit::Month),
    ("manader", Unit::Month),
    ("manaderna", Unit::Month),
    ("manaden", Unit::Month),
    ("maned", Unit::Month),
    ("maneder", Unit::Month),
    ("maneden", Unit::Month),
    ("maaned", Unit::Month),
    ("maaneder", Unit::Month),
    ("maaneden", Unit::Month),
    ("kuukausi", Unit::Month),
    ("kuukautta", Unit::Month),
    ("kuukauden", Unit::Month),
    ("kuukaudeksi", Unit::Month),
    ("kuukaudessa", Unit::Month),
    ("kuu", Unit::Month),
    ("kuussa", Unit::Month),
    ("kuun", Unit::Month),
    ("mesic", Unit::Month),
    ("mesice", Unit::Month),
    ("mesicu", Unit::Month),
    ("mesici", Unit::Month),
    ("mesicem", Unit::Month),
    ("mesiac", Unit::Month),
    ("mesiace", Unit::Month),
    ("mesiacov", Unit::Month),
    ("ay", Unit::Month),
    ("ayi", Unit::Month),
    ("ayin", Unit::Month),
    ("ayinin", Unit::Month),
    ("aylik", Unit::Month),
    ("ayligina", Unit::Month),
    ("rok", Unit::Year),
    ("roku", Unit::Year),
    ("lata", Unit::Year),
    ("lat", Unit::Year),
    ("ar", Unit::Year),
    ("aret", Unit::Year),
    ("aar", Unit::Year),
    ("aaret", Unit::Year),
    ("vuosi", Unit::Year),
    ("vuotta", Unit::Year),
    ("vuoden", Unit::Year),
    ("vuonna", Unit::Year),
    ("vuodeksi", Unit::Year),
    ("roky", Unit::Year),
    ("let", Unit::Year),
    ("roce", Unit::Year),
    ("yil", Unit::Year),
    ("yila", Unit::Year),
    ("yilin", Unit::Year),
    ("sene", Unit::Year),
    ("seneye", Unit::Year),
];

const NEXT: &[&str] = &[
    "sleduyushchey",
    "sleduyushchiy",
    "sleduyushchuyu",
    "sleduyushchem",
    "next",
    "nachste",
    "nachsten",
    "nachster",
    "nachstes",
    "naechste",
    "naechsten",
    "naechster",
    "kommende",
    "kommenden",
    "kommender",
    "kommendem",
    "prochain",
    "prochaine",
    "proximo",
    "proxima",
    "prossimo",
    "prossima",
    // shortened on phones: "torno la prox settimana", "vuelvo la próx. semana", "back nxt week"
    "prox",
    "nxt",
    "volgende",
    "volgend",
    "komende",
    "komend",
    "nastepny",
    "nastepna",
    "nastepne",
    "nastepnym",
    "nastepnej",
    "nastepnego",
    // "w najbliższy poniedziałek", "najbliższy tydzień": the coming one.
    "najblizszy",
    "najblizsza",
    "najblizsze",
    "najblizszym",
    "najblizszej",
    "najblizszego",
    "przyszly",
    "przyszla",
    "przyszle",
    "przyszlym",
    "przyszlej",
    "przyszlego",
    "nasta",
    "kommande",
    // "de närmaste tre dagarna", "de nærmeste dagene": the coming ones
    "narmaste",
    "naermeste",
    "naeste",
    "neste",
    "ensi",
    // spoken Finnish "ens viikolla"
    "ens",
    "seuraava",
    "seuraavalla",
    "seuraavana",
    "seuraavaan",
    "tuleva",
    "tulevalla",
    "tulevana",
    "pristi",
    "pristim",
    // Slovak "budúci týždeň"
    "buduci",
    "buducu",
    "buduceho",
    "pristiho",
    "nasledujici",
    "nasledujicim",
    "gelecek",
    "onumuzdeki",
    "sonraki",
];

const QUARTER: &[&str] = &[
    "quarter",
    "quartal",
    "quartals",
    "trimestre",
    "kwartaal",
    "kwartal",
    "kwartale",
    "kwartalu",
    "kvartal",
    "kvartalet",
    "kvartaali",
    "kvartaalilla",
    "neljannes",
    "neljanneksella",
    "vuosineljannes",
    "vuosineljanneksella",
    "ctvrtleti",
    "kvartalu",
    "ceyrek",
    "ceyrekte",
    "ceyregi",
    "ceyreginde",
];

const REL_DAYS: &[(&str, u8)] = &[
    ("segodnya", 0),
    ("zavtra", 1),
    ("poslezavtra", 2),
    ("today", 0),
    ("tonight", 0),
    // Dutch "vanmiddag", "vanochtend", Italian "stamattina", "stasera": parts of today.
    ("vanmiddag", 0),
    ("vanochtend", 0),
    ("vanmorgen", 0),
    ("vanavond", 0),
    ("stamattina", 0),
    ("stamani", 0),
    ("stamane", 0),
    ("stasera", 0),
    ("heute", 0),
    ("hoy", 0),
    ("oggi", 0),
    ("vandaag", 0),
    ("hoje", 0),
    ("tomorrow", 1),
    // its common slips and short forms: "back tommorow", "tmrw"
    ("tommorow", 1),
    ("tomorow", 1),
    ("tommorrow", 1),
    ("tmrw", 1),
    ("morgen", 1),
    // Dutch "morgenochtend", "morgenmiddag" (tomorrow morning, afternoon), German "morgenfrüh"
    ("morgenochtend", 1),
    ("morgenmiddag", 1),
    ("morgenavond", 1),
    ("morgenvroeg", 1),
    ("morgenfruh", 1),
    ("demain", 1),
    ("manana", 1),
    ("domani", 1),
    ("amanha", 1),
    ("ubermorgen", 2),
    ("uebermorgen", 2),
    ("dopodomani", 2),
    ("overmorgen", 2),
    // Polish, Swedish, Finnish, Czech, Turkish ("i morgen" and "i dag" of the others are read by the grammar)
    ("dzis", 0),
    ("dzisiaj", 0),
    ("idag", 0),
    ("tanaan", 0),
    ("dnes", 0),
    ("bugun", 0),
    ("bugunden", 0),
    ("jutro", 1),
    ("jutra", 1),
    ("imorgon", 1),
    ("morgon", 1),
    ("huomenna", 1),
    ("huomisesta", 1),
    ("huomiseen", 1),
    ("zitra", 1),
    ("zajtra", 1),
    ("zitrka", 1),
    ("yarin", 1),
    ("yarina", 1),
    ("yarindan", 1),
    ("pojutrze", 2),
    // Japanese, as `japanese` folds it.
    ("kyou", 0),
    ("honjitsu", 0),
    ("ashita", 1),
    ("asatte", 2),
    ("overmorgon", 2),
    ("ylihuomenna", 2),
    ("pozitri", 2),
];

const PARTS: &[(&str, Part)] = &[
    ("early", Part::Early),
    ("beginning", Part::Early),
    ("start", Part::Early),
    ("anfang", Part::Early),
    ("beginn", Part::Early),
    ("debut", Part::Early),
    ("principios", Part::Early),
    ("principio", Part::Early),
    ("comienzos", Part::Early),
    ("inicios", Part::Early),
    ("inizio", Part::Early),
    ("begin", Part::Early),
    ("inicio", Part::Early),
    ("comeco", Part::Early),
    ("mid", Part::Mid),
    ("middle", Part::Mid),
    ("mitte", Part::Mid),
    ("mi", Part::Mid),
    ("milieu", Part::Mid),
    ("mediados", Part::Mid),
    // "courant juin": some time in June, no day.
    ("courant", Part::Mid),
    ("meta", Part::Mid),
    ("half", Part::Mid),
    ("meados", Part::Mid),
    ("end", Part::End),
    ("late", Part::Late),
    // "later this month", "later in June": some day late in it.
    ("later", Part::Late),
    ("ende", Part::End),
    ("fin", Part::End),
    ("finales", Part::End),
    ("fines", Part::End),
    ("fine", Part::End),
    ("eind", Part::End),
    ("einde", Part::End),
    ("final", Part::End),
    ("fim", Part::End),
    ("finais", Part::End),
    // Polish, Swedish, Danish, Norwegian, Czech (Finnish and Turkish name the part after the month, see POST_PARTS)
    ("poczatek", Part::Early),
    ("poczatku", Part::Early),
    ("poczatkiem", Part::Early),
    ("polowa", Part::Mid),
    ("polowie", Part::Mid),
    ("polowy", Part::Mid),
    ("koniec", Part::End),
    ("konca", Part::End),
    ("koncem", Part::End),
    ("koncu", Part::End),
    ("borjan", Part::Early),
    ("mitten", Part::Mid),
    ("slutet", Part::End),
    ("begyndelsen", Part::Early),
    ("begynnelsen", Part::Early),
    ("forst", Part::Early),
    ("midten", Part::Mid),
    ("midt", Part::Mid),
    ("medio", Part::Mid),
    ("slutningen", Part::End),
    ("slutten", Part::End),
    ("sidst", Part::End),
    ("sist", Part::End),
    ("ultimo", Part::End),
    ("zacatek", Part::Early),
    ("zacatku", Part::Early),
    ("zacatkem", Part::Early),
    ("polovina", Part::Mid),
    ("polovine", Part::Mid),
    ("poloviny", Part::Mid),
    ("pulka", Part::Mid),
    ("pulce", Part::Mid),
    ("konec", Part::End),
    ("konce", Part::End),
    ("konci", Part::End),
];

/// Days of the month written as single words: French, Spanish, Italian and Portuguese
/// cardinals (the tens that take a unit after a link, "vingt et un", "treinta y uno", "vinte
/// e cinco", are joined by `grammar::days::day_word`); Dutch cardinals and ordinals; German
/// ordinals with their endings. The first of a month is `grammar::days::ordinal_word_day`'s.
const DAY_WORDS: &[(&str, u8)] = &[
    // French
    ("deux", 2),
    ("trois", 3),
    ("quatre", 4),
    ("cinq", 5),
    ("six", 6),
    ("sept", 7),
    ("huit", 8),
    ("neuf", 9),
    ("dix", 10),
    ("onze", 11),
    ("douze", 12),
    ("treize", 13),
    ("quatorze", 14),
    ("quinze", 15),
    ("seize", 16),
    ("vingt", 20),
    ("trente", 30),
    // Spanish
    ("uno", 1),
    ("dos", 2),
    ("tres", 3),
    ("cuatro", 4),
    ("cinco", 5),
    ("seis", 6),
    ("siete", 7),
    ("ocho", 8),
    ("nueve", 9),
    ("diez", 10),
    ("once", 11),
    ("doce", 12),
    ("trece", 13),
    ("catorce", 14),
    ("quince", 15),
    ("dieciseis", 16),
    ("diecisiete", 17),
    ("dieciocho", 18),
    ("diecinueve", 19),
    ("veinte", 20),
    ("veintiuno", 21),
    ("veintiun", 21),
    ("veintidos", 22),
    ("veintitres", 23),
    ("veinticuatro", 24),
    ("veinticinco", 25),
    ("veintiseis", 26),
    ("veintisiete", 27),
    ("veintiocho", 28),
    ("veintinueve", 29),
    ("treinta", 30),
    // Italian
    ("due", 2),
    ("tre", 3),
    ("quattro", 4),
    ("cinque", 5),
    ("sei", 6),
    ("sette", 7),
    ("otto", 8),
    ("nove", 9),
    ("dieci", 10),
    ("undici", 11),
    ("dodici", 12),
    ("tredici", 13),
    ("quattordici", 14),
    ("quindici", 15),
    ("sedici", 16),
    ("diciassette", 17),
    ("diciotto", 18),
    ("diciannove", 19),
    ("venti", 20),
    ("ventuno", 21),
    ("ventidue", 22),
    ("ventitre", 23),
    ("ventiquattro", 24),
    ("venticinque", 25),
    ("ventisei", 26),
    ("ventisette", 27),
    ("ventotto", 28),
    ("ventinove", 29),
    ("trenta", 30),
    ("trentuno", 31),
    // Portuguese
    ("dois", 2),
    ("duas", 2),
    ("quatro", 4),
    ("sete", 7),
    ("oito", 8),
    ("dez", 10),
    ("doze", 12),
    ("treze", 13),
    ("catorze", 14),
    ("dezasseis", 16),
    ("dezesseis", 16),
    ("dezassete", 17),
    ("dezessete", 17),
    ("dezoito", 18),
    ("dezanove", 19),
    ("dezenove", 19),
    ("vinte", 20),
    ("trinta", 30),
];

/// German units: small numbers of their own (`Lex::number`, "in zwei Wochen") and the first
/// part of a compound day ("einundzwanzigsten").
const DE_UNITS: &[(&str, u8)] = &[
    ("ein", 1),
    ("zwei", 2),
    ("drei", 3),
    ("vier", 4),
    ("funf", 5),
    ("fuenf", 5),
    ("sechs", 6),
    ("sieben", 7),
    ("acht", 8),
    ("neun", 9),
];
/// Dutch cardinals 2 to 19 and their ordinals ("vijftien", "vijftiende").
const NL_TEENS: &[(&str, &str, u8)] = &[
    ("twee", "tweede", 2),
    ("drie", "derde", 3),
    ("vier", "vierde", 4),
    ("vijf", "vijfde", 5),
    ("zes", "zesde", 6),
    ("zeven", "zevende", 7),
    ("acht", "achtste", 8),
    ("negen", "negende", 9),
    ("tien", "tiende", 10),
    ("elf", "elfde", 11),
    ("twaalf", "twaalfde", 12),
    ("dertien", "dertiende", 13),
    ("veertien", "veertiende", 14),
    ("vijftien", "vijftiende", 15),
    ("zestien", "zestiende", 16),
    ("zeventien", "zeventiende", 17),
    ("achttien", "achttiende", 18),
    ("negentien", "negentiende", 19),
];
/// German ordinal stems 2 to 19, before their endings ("zweit-e", "fünfzehnt-en").
const DE_ORDINAL_STEMS: &[(&str, u8)] = &[
    ("zweit", 2),
    ("dritt", 3),
    ("viert", 4),
    ("funft", 5),
    ("fuenft", 5),
    ("sechst", 6),
    ("siebt", 7),
    ("siebent", 7),
    ("acht", 8),
    ("neunt", 9),
    ("zehnt", 10),
    ("elft", 11),
    ("zwolft", 12),
    ("zwoelft", 12),
    ("dreizehnt", 13),
    ("vierzehnt", 14),
    ("funfzehnt", 15),
    ("fuenfzehnt", 15),
    ("sechzehnt", 16),
    ("siebzehnt", 17),
    ("achtzehnt", 18),
    ("neunzehnt", 19),
];

/// [`DAY_WORDS`] with the Dutch and German forms built from their parts (leaked once, when
/// the table is built: the table holds `&'static str`).
fn day_words() -> Vec<(&'static str, u8)> {
    let mut words: Vec<(&'static str, u8)> = DAY_WORDS.to_vec();
    let mut built: Vec<(String, u8)> = Vec::new();
    for &(cardinal, ordinal, day) in NL_TEENS {
        built.push((cardinal.to_string(), day));
        built.push((ordinal.to_string(), day));
    }
    for (tens, value) in [("twintig", 20u8), ("dertig", 30)] {
        built.push((tens.to_string(), value));
        built.push((format!("{tens}ste"), value));
        // The units open a compound ("eenentwintig"): "een", then the cardinals to nine.
        let units = NL_TEENS
            .iter()
            .take_while(|t| t.2 <= 9)
            .map(|&(unit, _, n)| (unit, n));
        for (unit, n) in std::iter::once(("een", 1)).chain(units) {
            if value + n <= 31 {
                built.push((format!("{unit}en{tens}"), value + n));
                built.push((format!("{unit}en{tens}ste"), value + n));
            }
        }
    }
    let de_endings = ["e", "en", "er", "em"];
    for &(stem, day) in DE_ORDINAL_STEMS {
        for ending in de_endings {
            built.push((format!("{stem}{ending}"), day));
        }
    }
    for (tens, value) in [("zwanzigst", 20u8), ("dreissigst", 30)] {
        for ending in de_endings {
            built.push((format!("{tens}{ending}"), value));
            for &(unit, n) in DE_UNITS {
                if value + n <= 31 {
                    built.push((format!("{unit}und{tens}{ending}"), value + n));
                }
            }
        }
    }
    words.extend(
        built
            .into_iter()
            .map(|(word, day)| (&*Box::leak(word.into_boxed_str()), day)),
    );
    words
}

static TABLE: LazyLock<HashMap<&'static str, Lex>> = LazyLock::new(|| {
    let mut table: HashMap<&'static str, Lex> = HashMap::with_capacity(512);
    for &(word, month) in MONTHS_ABBR {
        table.entry(word).or_default().month = month;
    }
    for &(word, month) in MONTHS_FULL {
        let lex = table.entry(word).or_default();
        lex.month = month;
        lex.month_full = true;
    }
    for &(word, day) in WEEKDAYS {
        table.entry(word).or_default().weekday = day;
    }
    for &(word, n) in NUMBERS.iter().chain(DE_UNITS) {
        table.entry(word).or_default().number = n;
    }
    for &(word, n) in ORDINALS {
        table.entry(word).or_default().ordinal = n;
    }
    for (word, day) in day_words() {
        table.entry(word).or_default().day = day;
    }
    for &(word, unit) in UNITS {
        table.entry(word).or_default().unit = unit;
    }
    for &word in NEXT {
        table.entry(word).or_default().next = true;
    }
    for &word in QUARTER {
        table.entry(word).or_default().quarter = true;
    }
    for &(word, days) in REL_DAYS {
        table.entry(word).or_default().rel_day = Some(days);
    }
    for &(word, part) in PARTS {
        table.entry(word).or_default().part = part;
    }
    table
});

/// Parts of a day glued to a weekday ("donderdagochtend", "Donnerstagnachmittag") and the
/// adverb "s" ("montags", "maandags"): the word still names the weekday.
const WEEKDAY_SUFFIXES: &[&str] = &[
    // Flemish "donderdagvoormiddag", "vrijdagnamiddag" (before "middag")
    "voormiddag",
    "namiddag",
    "ochtend",
    "middag",
    "avond",
    "nacht",
    "morgen",
    "vormittag",
    "nachmittag",
    "mittag",
    "abend",
    "morgens",
    "vormittags",
    "nachmittags",
    "abends",
    "s",
];

/// Finnish month names are a stem plus "kuu" (month), and "kuu" takes the case endings:
/// "joulukuu", "joulukuuta" (in dates), "joulukuussa" (in), "joulukuun" (of), "joulukuusta"
/// (from), "joulukuuhun" (until). "jouluk." is the abbreviation.
const FI_MONTH_STEMS: &[(&str, u8)] = &[
    ("tammi", 1),
    ("helmi", 2),
    ("maalis", 3),
    ("huhti", 4),
    ("touko", 5),
    ("kesa", 6),
    ("heina", 7),
    ("elo", 8),
    ("syys", 9),
    ("loka", 10),
    ("marras", 11),
    ("joulu", 12),
];
const FI_MONTH_ENDINGS: &[&str] = &[
    "kuu", "kuuta", "kuussa", "kuun", "kuusta", "kuuhun", "kuulla", "kuulle", "kuuksi",
];
/// Finnish weekdays in "-i" take the endings of the essive ("maanantaina", on Monday),
/// illative ("maanantaihin", until), elative ("maanantaista", from) and genitive.
const FI_WEEKDAY_STEMS: &[(&str, u8)] = &[
    ("maanantai", 1),
    ("tiistai", 2),
    ("torstai", 4),
    ("perjantai", 5),
    ("lauantai", 6),
    ("sunnuntai", 7),
];
const FI_WEEKDAY_ENDINGS: &[&str] = &["", "na", "hin", "sta", "n", "lle", "lta"];
/// Turkish month names with a case suffix glued on, when no apostrophe is written
/// ("Aralıkta", "Ocağa", "Şubattan"); the final k of "ocak" and "aralık" softens to ğ.
const TR_MONTH_STEMS: &[(&str, u8)] = &[
    ("ocak", 1),
    ("ocag", 1),
    ("subat", 2),
    ("mart", 3),
    ("nisan", 4),
    ("mayis", 5),
    ("haziran", 6),
    ("temmuz", 7),
    ("agustos", 8),
    ("eylul", 9),
    ("ekim", 10),
    ("kasim", 11),
    ("aralik", 12),
    ("aralig", 12),
];
const TR_MONTH_SUFFIXES: &[&str] = &[
    "ta", "te", "da", "de", "a", "e", "tan", "ten", "dan", "den", "in", "nin", "inda", "inde", "ina", "ine",
];

/// Looks a folded word up; unknown words get the empty `Lex`.
pub fn lookup(word: &str) -> Lex {
    match TABLE.get(word) {
        Some(lex) => *lex,
        None => inflected(word)
            .or_else(|| compound_weekday(word))
            .or_else(|| misspelled(word))
            .unwrap_or_default(),
    }
}

/// Names with their meaning, by their first two letters.
type ByStart = HashMap<[u8; 2], Vec<(&'static str, Lex)>>;

/// Full month and weekday names of six letters or more, by their first two letters: the
/// names a misspelling is looked for among.
static SPELLINGS: LazyLock<ByStart> = LazyLock::new(|| {
    let mut by_start = ByStart::new();
    let months = MONTHS_FULL.iter().map(|&(word, month)| {
        let lex = Lex {
            month,
            month_full: true,
            ..Lex::default()
        };
        (word, lex)
    });
    let weekdays = WEEKDAYS.iter().map(|&(word, weekday)| {
        let lex = Lex {
            weekday,
            ..Lex::default()
        };
        (word, lex)
    });
    for (word, lex) in months.chain(weekdays) {
        if let [a, b, ..] = word.as_bytes() {
            if word.len() >= 6 {
                by_start.entry([*a, *b]).or_default().push((word, lex));
            }
        }
    }
    by_start
});

/// A month or weekday name written with one letter wrong, missing, extra or two letters
/// swapped ("Febuary", "Wendesday", "Thrusday", "Septmber", "Dezmber"): people type return
/// dates in a hurry, and a lost return day stops the lead. Only names of six letters or more,
/// only words that keep the name's first two letters, and only when one meaning is that
/// close; a plural ("Mondays") keeps its own reading.
fn misspelled(word: &str) -> Option<Lex> {
    let [a, b, ..] = word.as_bytes() else {
        return None;
    };
    if word.len() < 6 || !word.bytes().all(|c| c.is_ascii_lowercase()) {
        return None;
    }
    let mut found: Option<Lex> = None;
    for &(name, lex) in SPELLINGS.get(&[*a, *b])? {
        if word.len().abs_diff(name.len()) > 1 || word.strip_suffix('s') == Some(name) {
            continue;
        }
        if one_edit_apart(word.as_bytes(), name.as_bytes()) {
            match found {
                Some(seen) if seen != lex => return None,
                _ => found = Some(lex),
            }
        }
    }
    // (The names are looked at only for a word that came close to a month or a weekday.)
    found.filter(|_| !MISSPELLING_NAMES.contains(&word))
}

/// `a` and `b` differ by exactly one edit: a letter changed, added, dropped, or two
/// neighbours swapped.
fn one_edit_apart(a: &[u8], b: &[u8]) -> bool {
    let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[common..], &b[common..]);
    match (ra.len(), rb.len()) {
        (0, 0) => false,
        (la, lb) if la == lb => {
            ra[1..] == rb[1..] || (la >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        (la, lb) if la == lb + 1 => ra[1..] == *rb,
        (la, lb) if la + 1 == lb => *ra == rb[1..],
        _ => false,
    }
}

/// Spanish weekdays that end in "s" in the singular ("hasta el viernes 13"): no plural of
/// a habit, whatever the misspelling tolerance reads in them less their "s" ("vierne").
pub(crate) const SINGULAR_IN_S: &[&str] = &["lunes", "martes", "miercoles", "jueves", "viernes"];

/// A German or Dutch weekday with a part of the day glued on.
fn compound_weekday(word: &str) -> Option<Lex> {
    if word.len() < 7 {
        return None;
    }
    WEEKDAY_SUFFIXES.iter().find_map(|suffix| {
        let stem = word.strip_suffix(suffix)?;
        // Only full weekday names take a suffix ("donderdag", "donnerstag"), never "mon";
        // Portuguese weekdays are also ordinals ("segundas intenções").
        if stem.len() < 6 || matches!(stem, "segunda" | "terca" | "quarta" | "quinta" | "sexta") {
            return None;
        }
        let lex = TABLE.get(stem).filter(|lex| lex.weekday > 0)?;
        Some(Lex {
            weekday: lex.weekday,
            ..Lex::default()
        })
    })
}

/// The inflected month and weekday forms of Finnish and Turkish, which are too many to list.
fn inflected(word: &str) -> Option<Lex> {
    let ends_one_of = |stem: &str, endings: &[&str]| {
        word.strip_prefix(stem)
            .is_some_and(|rest| endings.contains(&rest))
    };
    if let Some(&(stem, month)) = FI_MONTH_STEMS.iter().find(|(stem, _)| word.starts_with(stem)) {
        if ends_one_of(stem, FI_MONTH_ENDINGS) {
            return Some(Lex {
                month,
                month_full: true,
                ..Lex::default()
            });
        }
        if word.strip_prefix(stem) == Some("k") {
            return Some(Lex {
                month,
                ..Lex::default()
            });
        }
    }
    if let Some(&(_, weekday)) = FI_WEEKDAY_STEMS
        .iter()
        .find(|(stem, _)| ends_one_of(stem, FI_WEEKDAY_ENDINGS))
    {
        return Some(Lex {
            weekday,
            ..Lex::default()
        });
    }
    // Given names that a Turkish month with a glued case ending would spell ("Martin" is
    // not "Mart'ın", March's): a person named in a reply must never become a date.
    if TR_NAME_LOOKALIKES.contains(&word) {
        return None;
    }
    if let Some(&(_, month)) = TR_MONTH_STEMS
        .iter()
        .find(|(stem, _)| ends_one_of(stem, TR_MONTH_SUFFIXES))
    {
        return Some(Lex {
            month,
            month_full: true,
            ..Lex::default()
        });
    }
    None
}

/// Given names one letter away from a month or weekday name ("Javier" from French
/// "janvier", "Domenico" from Italian "domenica", "Gennaro" from "gennaio", "Auguste" from
/// "august", "Sundar" from "Sunday", the surname "Ferrer" from Catalan "febrer"): a
/// colleague named in a reply ("contact my colleague Javier") must never become a date.
const MISSPELLING_NAMES: &[&str] = &[
    "javier", "ferrer", "marten", "domenico", "gennaro", "auguste", "augustin", "augusta", "sundar",
    "mondal", "juliet",
];

/// Words that a month stem plus a Turkish case ending would spell but that are common given
/// names in Europe.
const TR_NAME_LOOKALIKES: &[&str] = &["martin", "marta", "marte", "martine", "martina"];

/// Japanese words the date grammar and the cues understand, as the ASCII words they fold
/// to: weekdays, relative days and periods, the parts of a month, the postpositions after a
/// date ("まで" until, "以降" from) and the cue words of absence notices. Longer phrases
/// come first. `年`, `月` and `日` right after a digit are read by [`japanese`] as "nen",
/// "gatsu" and "nichi" ("2027年12月7日"), which the grammar reads as a date.
///
/// Chinese absence notices share the characters and the "1月15日" dates; their own words
/// (simplified and traditional) are listed first: weekdays ("星期一", "周一"), relative days,
/// "至" / "直到" (until, and the link of a range: "1月10日至1月15日"), the words of leave and
/// return, and "我" / "我们" as the writer. "号" after a digit is a day, like "日".
const JA_PHRASES: &[(&str, &str)] = &[
    // Phrases that must be tried before a shorter one of the same start further down: the
    // middle of next month (下个月中), arriving at the office (到公司, not "until"), Chinese
    // holiday seasons (国庆假期: the National Day week, 春节假期: the Spring Festival's days
    // off), Korean holiday seasons (추석 연휴, 설 연휴: the feast and the days beside it).
    ("我们老板", "our boss"),
    // back already: "休暇から戻りました", "今天回来了" (before から and 回来)
    ("から戻りました", "was"),
    ("回来了", "was"),
    ("回來了", "was"),
    // "出社を控えております" (keeping away from the office), "帰国次第" (once back in the
    // country): before 出社 and 帰国
    ("出社を控え", "fuzai"),
    ("帰国次第", "fuzai"),
    ("我們老闆", "our boss"),
    ("我们经理", "our manager"),
    ("我們經理", "our manager"),
    ("我的同事", "my colleague"),
    ("下个月中", "next month chuujun"),
    ("下個月中", "next month chuujun"),
    ("下月中", "next month chuujun"),
    ("本月中", "this month chuujun"),
    ("到公司", "shussha"),
    ("国庆假期", "guoqingjiaqi"),
    ("国庆长假", "guoqingjiaqi"),
    ("国庆节假期", "guoqingjiaqi"),
    ("國慶假期", "guoqingjiaqi"),
    ("國慶連假", "guoqingjiaqi"),
    ("春节假期", "chunjiejiaqi"),
    ("春节长假", "chunjiejiaqi"),
    ("春節假期", "chunjiejiaqi"),
    ("春節連假", "chunjiejiaqi"),
    ("추석 연휴", "chuseokyeonhyu"),
    ("추석연휴", "chuseokyeonhyu"),
    ("설 연휴", "seollalyeonhyu"),
    ("설연휴", "seollalyeonhyu"),
    // Korean: weekdays, relative days, the postpositions 까지 (until) and 부터 (from), leave and
    // return; "12월 15일" reads like "12月15日" (see `japanese`).
    ("월요일", "monday"),
    ("화요일", "tuesday"),
    ("수요일", "wednesday"),
    ("목요일", "thursday"),
    ("금요일", "friday"),
    ("토요일", "saturday"),
    ("일요일", "sunday"),
    ("내일", "tomorrow"),
    ("모레", "asatte"),
    ("오늘", "kyou"),
    ("다음 주", "next week"),
    ("다음주", "next week"),
    ("다음 달", "next month"),
    ("다음달", "next month"),
    ("까지", "made"),
    ("부터", "kara"),
    ("휴가", "kyuuka"),
    ("연차", "kyuuka"),
    ("휴무", "kyuugyou"),
    ("휴업", "kyuugyou"),
    ("부재", "fuzai"),
    ("출장", "shucchou"),
    ("병가", "kyuuka"),
    ("출산휴가", "sankyuu"),
    ("육아휴직", "ikukyuu"),
    ("휴직", "kyuuka"),
    // back already ("오늘 복귀했습니다"): before the return itself
    ("복귀했습니다", "was"),
    ("복귀했어요", "was"),
    ("복귀했", "was"),
    ("복귀", "fukki"),
    ("돌아", "modori"),
    // at work already ("오늘 출근했습니다"): over, before going to work itself
    ("출근했", "was"),
    // yesterday (어제, 昨天, 昨日 as Japanese): a past time before an absence
    ("어제", "kinou"),
    ("昨天", "kinou"),
    ("출근", "shussha"),
    ("재개", "saikai"),
    ("저는", "i"),
    ("제가", "i"),
    ("星期一", "monday"),
    ("星期二", "tuesday"),
    ("星期三", "wednesday"),
    ("星期四", "thursday"),
    ("星期五", "friday"),
    ("星期六", "saturday"),
    ("星期日", "sunday"),
    ("星期天", "sunday"),
    ("礼拜一", "monday"),
    ("礼拜二", "tuesday"),
    ("礼拜三", "wednesday"),
    ("礼拜四", "thursday"),
    ("礼拜五", "friday"),
    ("礼拜六", "saturday"),
    ("礼拜天", "sunday"),
    ("周一", "monday"),
    ("周二", "tuesday"),
    ("周三", "wednesday"),
    ("周四", "thursday"),
    ("周五", "friday"),
    ("周六", "saturday"),
    ("周日", "sunday"),
    ("週一", "monday"),
    ("週二", "tuesday"),
    ("週三", "wednesday"),
    ("週四", "thursday"),
    ("週五", "friday"),
    ("週六", "saturday"),
    ("明天", "tomorrow"),
    ("后天", "asatte"),
    ("後天", "asatte"),
    ("今天", "kyou"),
    // Cantonese and Taiwanese weeks: 下個禮拜三 (Wednesday next week), 下個星期五
    ("下個禮拜一", "monday next week"),
    ("下個禮拜二", "tuesday next week"),
    ("下個禮拜三", "wednesday next week"),
    ("下個禮拜四", "thursday next week"),
    ("下個禮拜五", "friday next week"),
    ("下個禮拜六", "saturday next week"),
    ("下個禮拜日", "sunday next week"),
    ("下個禮拜天", "sunday next week"),
    ("下个礼拜一", "monday next week"),
    ("下个礼拜二", "tuesday next week"),
    ("下个礼拜三", "wednesday next week"),
    ("下个礼拜四", "thursday next week"),
    ("下个礼拜五", "friday next week"),
    ("下个礼拜六", "saturday next week"),
    ("下个礼拜日", "sunday next week"),
    ("下个礼拜天", "sunday next week"),
    ("下個星期一", "monday next week"),
    ("下個星期二", "tuesday next week"),
    ("下個星期三", "wednesday next week"),
    ("下個星期四", "thursday next week"),
    ("下個星期五", "friday next week"),
    ("下個星期六", "saturday next week"),
    ("下個星期日", "sunday next week"),
    ("下個星期天", "sunday next week"),
    ("下個禮拜", "next week"),
    ("下个礼拜", "next week"),
    ("下周一", "monday next week"),
    ("下周二", "tuesday next week"),
    ("下周三", "wednesday next week"),
    ("下周四", "thursday next week"),
    ("下周五", "friday next week"),
    ("下周六", "saturday next week"),
    ("下周日", "sunday next week"),
    ("下周天", "sunday next week"),
    ("下週一", "monday next week"),
    ("下週二", "tuesday next week"),
    ("下週三", "wednesday next week"),
    ("下週四", "thursday next week"),
    ("下週五", "friday next week"),
    ("下週六", "saturday next week"),
    ("下週日", "sunday next week"),
    ("下週天", "sunday next week"),
    ("下星期一", "monday next week"),
    ("下星期二", "tuesday next week"),
    ("下星期三", "wednesday next week"),
    ("下星期四", "thursday next week"),
    ("下星期五", "friday next week"),
    ("下星期六", "saturday next week"),
    ("下星期日", "sunday next week"),
    ("下星期天", "sunday next week"),
    ("下周", "next week"),
    ("下週", "next week"),
    ("下星期", "next week"),
    ("下个星期", "next week"),
    ("下個星期", "next week"),
    ("下个月", "next month"),
    ("下個月", "next month"),
    ("下月", "next month"),
    ("这个月", "this month"),
    ("這個月", "this month"),
    ("明年", "next year"),
    ("月底", "end of month"),
    // year-end closing of the books (年底结算), no time
    ("年底结算", "nendo"),
    ("年底結算", "nendo"),
    ("年终结算", "nendo"),
    ("年底", "end of year"),
    // the end of a month named in words (六月底): before the month alone
    ("十二月底", "december matsu"),
    ("十一月底", "november matsu"),
    ("十月底", "october matsu"),
    ("九月底", "september matsu"),
    ("八月底", "august matsu"),
    ("七月底", "july matsu"),
    ("六月底", "june matsu"),
    ("五月底", "may matsu"),
    ("四月底", "april matsu"),
    ("三月底", "march matsu"),
    ("二月底", "february matsu"),
    ("一月底", "january matsu"),
    ("十二月", "december"),
    ("十一月", "november"),
    ("十月", "october"),
    ("九月", "september"),
    ("八月", "august"),
    ("七月", "july"),
    ("六月", "june"),
    ("五月", "may"),
    ("四月", "april"),
    ("三月", "march"),
    ("二月", "february"),
    ("一月", "january"),
    // service, office or business suspended: a closure (暂停服务, 暫停辦公, 暂停营业)
    ("暂停使用", "kyuugyou"),
    ("暫停使用", "kyuugyou"),
    ("暂停服务", "kyuugyou"),
    ("暫停服務", "kyuugyou"),
    ("暂停办公", "kyuugyou"),
    ("暫停辦公", "kyuugyou"),
    ("暂停营业", "kyuugyou"),
    ("暫停營業", "kyuugyou"),
    ("暂停", "paused"),
    ("暫停", "paused"),
    ("直到", "until"),
    ("至", "until"),
    // "休到本月20号" (off until the 20th of this month); Japanese 到着, 到底, 到来 are no "until"
    ("到着", "touchaku"),
    ("到底", "toutei"),
    ("到来", "tourai"),
    ("到", "until"),
    ("本月", "this month"),
    ("休假", "kyuuka"),
    ("请假", "kyuuka"),
    ("請假", "kyuuka"),
    ("年假", "kyuuka"),
    ("病假", "kyuuka"),
    ("假期", "kyuuka"),
    ("放假", "yasumi"),
    ("出差", "shucchou"),
    ("产假", "sankyuu"),
    ("產假", "sankyuu"),
    ("回来", "modori"),
    ("回來", "modori"),
    ("返回", "modori"),
    ("回到", "modori"),
    ("复工", "fukki"),
    ("復工", "fukki"),
    ("上班", "shussha"),
    ("恢复", "saikai"),
    ("恢復", "saikai"),
    ("我们", "we"),
    ("我們", "we"),
    ("我", "i"),
    ("月曜日", "monday"),
    ("火曜日", "tuesday"),
    ("水曜日", "wednesday"),
    ("木曜日", "thursday"),
    ("金曜日", "friday"),
    ("土曜日", "saturday"),
    ("日曜日", "sunday"),
    ("月曜", "monday"),
    ("火曜", "tuesday"),
    ("水曜", "wednesday"),
    ("木曜", "thursday"),
    ("金曜", "friday"),
    ("土曜", "saturday"),
    ("日曜", "sunday"),
    ("（月）", "(mon)"),
    ("（火）", "(tue)"),
    ("（水）", "(wed)"),
    ("（木）", "(thu)"),
    ("（金）", "(fri)"),
    ("（土）", "(sat)"),
    ("（日）", "(sun)"),
    // a weekday that is also a holiday: "8月11日(木・祝)"
    ("(月・祝)", "(mon)"),
    ("(火・祝)", "(tue)"),
    ("(水・祝)", "(wed)"),
    ("(木・祝)", "(thu)"),
    ("(金・祝)", "(fri)"),
    ("(土・祝)", "(sat)"),
    ("(日・祝)", "(sun)"),
    ("（月・祝）", "(mon)"),
    ("（火・祝）", "(tue)"),
    ("（水・祝）", "(wed)"),
    ("（木・祝）", "(thu)"),
    ("（金・祝）", "(fri)"),
    ("（土・祝）", "(sat)"),
    ("（日・祝）", "(sun)"),
    ("(月)", "(mon)"),
    ("(火)", "(tue)"),
    ("(水)", "(wed)"),
    ("(木)", "(thu)"),
    ("(金)", "(fri)"),
    ("(土)", "(sat)"),
    ("(日)", "(sun)"),
    ("午後", "gogo"),
    ("明後日", "asatte"),
    ("明日", "ashita"),
    ("本日", "honjitsu"),
    ("今日", "kyou"),
    ("昨日", "kinou"),
    // Last week, last month, last year: a past time (see `away::writers_clause`); Chinese
    // 上周/上个月, Korean 지난주/지난달 too.
    ("上周", "senshuu"),
    ("上週", "senshuu"),
    ("上星期", "senshuu"),
    ("上个月", "sengetsu"),
    ("上個月", "sengetsu"),
    ("지난주", "senshuu"),
    ("지난 주", "senshuu"),
    ("지난달", "sengetsu"),
    ("先週", "senshuu"),
    ("先月", "sengetsu"),
    ("昨年", "sakunen"),
    ("去年", "sakunen"),
    // Every week, month, year: a habit ("毎週日曜日", "毎年この日は休みます").
    ("毎週", "every"),
    ("毎月", "every"),
    ("毎年", "every"),
    ("再来週", "week after next"),
    ("来週", "next week"),
    // the turn of the week: next week's first day
    ("週明け", "next week"),
    ("来月", "next month"),
    // Japanese 来年度 / 今年度 (the next, this fiscal year) name no calendar year: not 来年
    ("来年度", "nendo"),
    ("今年度", "nendo"),
    ("来年", "next year"),
    ("今週", "this week"),
    ("週末", "weekend"),
    ("今月", "this month"),
    ("月末", "end of month"),
    ("年末年始", "nenmatsunenshi"),
    ("年末", "end of year"),
    ("年明け", "new year"),
    ("当面の間", "toumen"),
    ("当分の間", "toumen"),
    ("上旬", "joujun"),
    ("中旬", "chuujun"),
    ("下旬", "gejun"),
    ("末", "matsu"),
    ("まで", "made"),
    // "12月26日をもちまして終了": the last day, as まで
    ("をもちまして", "made"),
    ("をもって", "made"),
    ("いっぱい", "ippai"),
    ("一杯", "ippai"),
    ("迄", "made"),
    ("以降", "ikou"),
    ("以後", "ikou"),
    ("から", "kara"),
    // "12月に入りましたら" / "12月になったら": once that time comes, from it on.
    ("に入りましたら", "kara"),
    ("になりましたら", "kara"),
    ("に入ったら", "kara"),
    ("になったら", "kara"),
    ("に入り次第", "kara"),
    ("に入ってから", "kara"),
    ("になれば", "kara"),
    ("になってから", "kara"),
    // The polite past after an absence word (a holiday "received", "itadaite", then the past
    // ending "orimashita"; "fuzai ni shite" then "imashita"; "shucchou-chuu deshita"): the
    // absence is over. The verbs between are words of their own, so that the past comes
    // right after the absence.
    ("をいただいて", "itadaite"),
    ("を頂いて", "itadaite"),
    ("にして", "nishite"),
    ("して", "shite"),
    ("おりました", "was"),
    // back already: "休暇から戻りました", "今天刚回来", "오늘 복귀했습니다" (the absence is over)
    ("刚回来", "was"),
    ("剛回來", "was"),
    ("いました", "was"),
    ("中でした", "was"),
    ("でした", "was"),
    // Lengths: "1週間", "10日間", "3ヶ月" ("1 weeks" reads as the length of an absence).
    // "1年ぶりに復帰" (back after a year away), "休業を経て" (after the closure): time gone by.
    ("ぶり", "buri"),
    ("を経て", "hete"),
    ("週間", "weeks"),
    ("日間", "days"),
    ("ヶ月間", "months"),
    ("か月間", "months"),
    ("カ月間", "months"),
    ("ヶ月", "months"),
    ("か月", "months"),
    ("カ月", "months"),
    ("より", "yori"),
    ("不在", "fuzai"),
    // away on a trip or abroad: 旅行中, 旅行に出る, 海外におります, 海外滞在中
    ("旅行中", "fuzai"),
    ("旅行に出", "fuzai"),
    ("旅行に行", "fuzai"),
    ("旅行のため", "fuzai"),
    ("海外におり", "fuzai"),
    ("海外にい", "fuzai"),
    ("海外滞在", "fuzai"),
    ("海外に行", "fuzai"),
    // travel abroad: 海外渡航のため
    ("渡航", "fuzai"),
    // away from home, staying somewhere, holed up: 留守にします, ロンドンに滞在中, 山奥に籠って
    ("留守", "fuzai"),
    // consecutive days off taken, staying home: 連休とさせていただきます, 自宅待機中 (not
    // "連休明け", after the holidays, nor "連休2日目", a day of them)
    ("連休とさせ", "yasumi"),
    ("連休をいただ", "yasumi"),
    ("連休を頂", "yasumi"),
    ("自宅待機", "fuzai"),
    ("滞在", "fuzai"),
    ("籠って", "fuzai"),
    ("こもって", "fuzai"),
    // the verb "to rest" in its humble form: 休ませていただきます
    ("休ませ", "yasumi"),
    ("休暇", "kyuuka"),
    ("出張", "shucchou"),
    // Posted abroad or away on assignment: 海外赴任中, 単身赴任.
    ("赴任", "shucchou"),
    ("休業", "kyuugyou"),
    // closures of a museum, clinic, school, nursery, temple or office: all the same absence
    ("休館", "kyuugyou"),
    ("休診", "kyuugyou"),
    ("休院", "kyuugyou"),
    // a shop or a cram school closed (休園, 休館, 休校 and 休講 are listed with the others)
    ("休店", "kyuugyou"),
    ("休塾", "kyuugyou"),
    ("閉庁", "kyuugyou"),
    ("休園", "kyuugyou"),
    ("休校", "kyuugyou"),
    ("休講", "kyuugyou"),
    ("閉館", "kyuugyou"),
    ("閉鎖", "kyuugyou"),
    ("閉堂", "kyuugyou"),
    ("欠席", "fuzai"),
    // away for a stay in hospital, a leave from work, a course, a visit home, travel abroad
    ("入院", "fuzai"),
    ("休職", "kyuuka"),
    ("療養", "kyuuka"),
    ("休養", "kyuuka"),
    ("研修", "shucchou"),
    // at a trade show or a scholarly meeting: 展示会の対応で, 出展中, 学会出席のため
    ("展示会", "shucchou"),
    ("出展", "shucchou"),
    ("学会", "shucchou"),
    // "メールの返信は遅くなります" (answers will be late): away, said by its effect (not
    // "返信が遅くなりすみません", sorry for answering late)
    ("返信が遅くなります", "fuzai"),
    ("返信は遅くなります", "fuzai"),
    ("返信が遅れます", "fuzai"),
    ("返信は遅れます", "fuzai"),
    ("返信が遅れる場合", "fuzai"),
    // the mail read late: "メールの確認が遅れる場合がございます"
    ("確認が遅れる場合", "fuzai"),
    ("確認が遅れます", "fuzai"),
    ("確認が遅くなります", "fuzai"),
    ("確認が遅くなる場合", "fuzai"),
    ("返信が遅れており", "fuzai"),
    ("帰省", "kyuuka"),
    ("一時停止", "paused"),
    ("休止", "paused"),
    ("帰国", "modori"),
    ("復職", "fukki"),
    ("お電話", "renraku"),
    ("再開", "saikai"),
    ("休み", "yasumi"),
    // Japan's public holidays by name ("海の日まで夏休み", "こどもの日まで連休"); their days
    // are in `grammar/holidays.rs`. "三が日" is the first three days of the year, read as
    // its last ("三が日明け", after them).
    // "3日ほど前" (about three days ago): time gone by, as "ago" after a length
    ("ほど前", "ago"),
    ("程前", "ago"),
    // The eras of the Japanese calendar: "令和8年" is 2026 (see `grammar::days::japanese_date`).
    ("令和", "reiwa"),
    ("平成", "heisei"),
    // Chinese weekdays the list above lacks
    ("週日", "sunday"),
    ("礼拜日", "sunday"),
    ("禮拜一", "monday"),
    ("禮拜二", "tuesday"),
    ("禮拜三", "wednesday"),
    ("禮拜四", "thursday"),
    ("禮拜五", "friday"),
    ("禮拜六", "saturday"),
    ("禮拜日", "sunday"),
    ("禮拜天", "sunday"),
    // Chinese "after": 中秋节后回来, 春节之后 ("后天", the day after tomorrow, is above)
    ("之后", "ake"),
    ("以后", "ake"),
    ("之後", "ake"),
    ("后", "ake"),
    // Chinese and Korean asks to be contacted again: 下周三再联系我, 3月再跟我聯絡, 내일
    // 오전에 전화 주세요
    ("再联系", "renraku"),
    ("再聯絡", "renraku"),
    ("再联络", "renraku"),
    ("再聯繫", "renraku"),
    ("跟我联系", "renraku"),
    ("跟我聯絡", "renraku"),
    ("跟我聯繫", "renraku"),
    ("联系我", "renraku"),
    ("聯絡我", "renraku"),
    ("联络我", "renraku"),
    ("전화 주세요", "renraku"),
    ("전화주세요", "renraku"),
    ("연락 주세요", "renraku"),
    ("연락주세요", "renraku"),
    // (the writer's own "다시 연락드릴게요", I'll get in touch again, is a promise)
    ("다시 연락드리", "taiou"),
    ("다시 연락 드리", "taiou"),
    ("다시 연락", "renraku"),
    // Korean: an answer promised ("다음 주에 회신드리겠습니다")
    ("이번 주", "this week"),
    ("이번주", "this week"),
    ("회신드리", "taiou"),
    ("회신 드리", "taiou"),
    // Japanese "成人の日の翌日から" (from the day after): after
    ("の翌日", "ake"),
    ("다시 제안", "renraku"),
    ("打给我", "renraku"),
    ("打給我", "renraku"),
    ("给我打电话", "renraku"),
    ("給我打電話", "renraku"),
    // at a trade show abroad, back home: 在德國參展, 預計3月回台
    ("參展", "shucchou"),
    ("参展", "shucchou"),
    ("回台", "modori"),
    ("回国", "modori"),
    ("回國", "modori"),
    // Chinese 月尾 (Cantonese end of the month), 返嚟 (come back); a make-up working day
    // (调休上班) is no return
    ("月尾", "end of month"),
    ("年尾", "end of year"),
    ("返嚟", "modori"),
    ("调休正常上班", "tiaoxiu"),
    ("調休正常上班", "tiaoxiu"),
    ("调休上班", "tiaoxiu"),
    ("調休上班", "tiaoxiu"),
    // Korean casual: 담주 (next week), 수욜 (Wednesday); a half day off (반차); back from a
    // trip (다녀와서, 다녀왔습니다) is over; the writer's own promise to call (연락드릴게요)
    ("담주", "next week"),
    ("월욜", "monday"),
    ("화욜", "tuesday"),
    ("수욜", "wednesday"),
    ("목욜", "thursday"),
    ("금욜", "friday"),
    ("토욜", "saturday"),
    ("일욜", "sunday"),
    ("반차", "kyuuka"),
    ("다녀와", "was"),
    ("다녀왔", "was"),
    ("연락드리", "taiou"),
    ("연락 드리", "taiou"),
    // Japanese: the writer's own promise to write (ご連絡差し上げます, こちらからご連絡します)
    ("ご連絡差し上げ", "taiou"),
    ("ご連絡いたします", "taiou"),
    ("ご連絡致します", "taiou"),
    ("ご連絡します", "taiou"),
    // Japanese: off now (休んでます), unwell with the flu, back in (来週から出られる)
    ("休んでます", "yasumi"),
    ("休んでいます", "yasumi"),
    ("休んでおります", "yasumi"),
    ("インフルエンザ", "fuzai"),
    ("体調不良", "fuzai"),
    ("出られ", "shussha"),
    // Chinese: at a training (培训), mail not read in time (查看邮件不及时), a long leave, a
    // mailbox out of use (暂停使用); Cantonese 打嚟 (call here), 禮拜 weeks (see `kanji_day`)
    ("培训", "shucchou"),
    ("培訓", "shucchou"),
    ("不及时", "fuzai"),
    ("不及時", "fuzai"),
    ("长假", "kyuuka"),
    ("長假", "kyuuka"),
    ("打嚟", "renraku"),
    // Korean: next year (내년), the end of a month (2월 말까지), resting (쉬어요), a
    // sabbatical, in hospital, away from a room (연구실을 비웁니다), work hard for now, a
    // training course, reception suspended, mail asked for (메일 주세요)
    ("내년", "next year"),
    ("말까지", "matsu made"),
    ("쉬어요", "yasumi"),
    ("쉽니다", "yasumi"),
    ("쉬고 있", "yasumi"),
    ("안식년", "kyuuka"),
    ("입원", "fuzai"),
    ("비웁", "fuzai"),
    ("업무가 어려", "fuzai"),
    ("교육 합숙", "shucchou"),
    ("교육 들어", "shucchou"),
    ("교육 중", "shucchou"),
    ("확인이 거의 어렵", "fuzai"),
    ("확인이 어렵", "fuzai"),
    ("확인이 어려", "fuzai"),
    ("중단됩", "kyuugyou"),
    ("중단되", "kyuugyou"),
    ("메일 주시", "renraku"),
    ("메일 주세요", "renraku"),
    ("메일주세요", "renraku"),
    // only then back (才回KL office, 才回来): the return
    ("才回", "modori"),
    // Korean: going back in (다음 주 목요일에 들어갑니다)
    ("들어갑니다", "modori"),
    ("들어가요", "modori"),
    ("들어옵니다", "modori"),
    // Cantonese: tomorrow (聽日), Christmas leave, back at work (返工), after (過咗)
    ("聽日", "tomorrow"),
    ("听日", "tomorrow"),
    ("聖誕假", "kyuuka"),
    ("圣诞假", "kyuuka"),
    ("返工", "shussha"),
    ("過咗", "after"),
    ("过咗", "after"),
    // Chinese: in hospital (住院); an end, then after it ("展会3月28号结束，之后再联系我");
    // the time of return to be announced (另行通知: until further notice)
    ("住院", "fuzai"),
    ("结束，之后", "ake"),
    ("結束，之後", "ake"),
    ("结束之后", "ake"),
    ("結束之後", "ake"),
    ("结束后", "ake"),
    ("結束後", "ake"),
    ("另行通知", "toumen"),
    // Chinese: send mail to me again (再发邮件给我), a plea
    ("再发邮件", "renraku"),
    ("再發郵件", "renraku"),
    ("发邮件给我", "renraku"),
    ("發郵件給我", "renraku"),
    // Korean: field work out (외근), a training centre (연수), mail hard to check
    // (어려워요), the office hard to enter, a strike; the polite question "전화 주시겠어요?"
    ("외근", "gaishutsu"),
    ("연수", "shucchou"),
    ("메일 확인이 어려", "fuzai"),
    ("출입이 어려", "fuzai"),
    ("파업", "kyuugyou"),
    ("전화 주시", "renraku"),
    ("전화주시", "renraku"),
    ("연락 주시", "renraku"),
    ("연락주시", "renraku"),
    ("사무실 들어가", "shussha"),
    // Taiwanese annual leave (特休) and parental leave (育嬰留停), unpaid leave (留職停薪),
    // paternity leave; back at the office (回辦公室, 才會回公司)
    ("育嬰留停", "ikukyuu"),
    ("育婴留停", "ikukyuu"),
    ("育婴假", "ikukyuu"),
    ("育嬰假", "ikukyuu"),
    ("陪产假", "kyuuka"),
    ("陪產假", "kyuuka"),
    ("留职停薪", "kyuuka"),
    ("留職停薪", "kyuuka"),
    ("特休", "kyuuka"),
    ("回辦公室", "modori"),
    ("回办公室", "modori"),
    ("回公司", "modori"),
    // Cantonese "find me again": 十月再搵我
    ("再搵我", "renraku"),
    ("搵返我", "renraku"),
    // Korean: work suspended for a while (업무가 일시 중단), posted away (파견), at a
    // conference or an exhibition, answers that may come late (not "회신이 늦어 죄송합니다",
    // sorry for answering late)
    ("일시 중단", "kyuugyou"),
    ("업무 중단", "kyuugyou"),
    ("파견", "shucchou"),
    ("컨퍼런스", "shucchou"),
    ("콘퍼런스", "shucchou"),
    ("학회", "shucchou"),
    ("전시회", "shucchou"),
    ("회신이 늦어질 수", "fuzai"),
    ("답변이 늦어질 수", "fuzai"),
    ("답장이 늦어질 수", "fuzai"),
    // Korean: away from one's desk, mail hard to check; back at work as usual
    ("자리를 비웁", "fuzai"),
    ("자리를 비우", "fuzai"),
    ("메일 확인이 어렵", "fuzai"),
    ("정상 업무", "eigyou"),
    ("정상업무", "eigyou"),
    ("정상 근무", "eigyou"),
    ("정상근무", "eigyou"),
    ("정상 영업", "eigyou"),
    ("정상영업", "eigyou"),
    // Korean weekdays in brackets: "15일(월)"
    ("(월)", "(mon)"),
    ("(화)", "(tue)"),
    ("(수)", "(wed)"),
    ("(목)", "(thu)"),
    ("(금)", "(fri)"),
    ("(토)", "(sat)"),
    ("(일)", "(sun)"),
    // Japanese: unsteady internet, on the move
    ("ネット環境が不安定", "fuzai"),
    ("移動中", "fuzai"),
    // Korean and Chinese holidays by name (days in `grammar/holidays.rs`); Chuseok, Seollal
    // and China's National Day name their days off (three, three and seven), as people mean
    // them ("추석 지나고", "国庆之后": after those days)
    ("한글날", "hangeulnal"),
    ("개천절", "gaecheonjeol"),
    ("광복절", "gwangbokjeol"),
    ("삼일절", "samiljeol"),
    ("어린이날", "kodomonohi"),
    ("현충일", "hyeonchungil"),
    ("추석", "chuseokyeonhyu"),
    ("中秋节", "chuushuu"),
    ("中秋節", "chuushuu"),
    ("中秋", "chuushuu"),
    ("国庆节", "guoqingjiaqi"),
    ("國慶節", "guoqingjiaqi"),
    ("国庆", "guoqingjiaqi"),
    ("설날", "seollalyeonhyu"),
    ("劳动节", "laodongjie"),
    ("勞動節", "laodongjie"),
    // the Lunar New Year: 旧正月, 春節 (Chinese 春节)
    ("旧正月", "kyuushougatsu"),
    // (China's Spring Festival, 春节, as its week of days off: "春节后" is after them)
    ("春節", "chunjiejiaqi"),
    ("春节", "chunjiejiaqi"),
    // the end of the fiscal and school year, 31 March in Japan ("年度末まで休職")
    ("年度末", "nendomatsu"),
    ("元日", "ganjitsu"),
    ("元旦", "ganjitsu"),
    ("正月三が日", "sanganichi"),
    ("三が日", "sanganichi"),
    ("成人の日", "seijinnohi"),
    ("建国記念の日", "kenkokukinennohi"),
    ("天皇誕生日", "tennoutanjoubi"),
    ("昭和の日", "shouwanohi"),
    ("憲法記念日", "kenpoukinenbi"),
    ("みどりの日", "midorinohi"),
    ("こどもの日", "kodomonohi"),
    ("子供の日", "kodomonohi"),
    ("海の日", "uminohi"),
    ("山の日", "yamanohi"),
    ("敬老の日", "keirounohi"),
    ("スポーツの日", "supootsunohi"),
    ("体育の日", "supootsunohi"),
    ("文化の日", "bunkanohi"),
    ("勤労感謝の日", "kinroukanshanohi"),
    // The end of a time off, a postposition: "連休明け", "三が日が明けましたら", "GW明け"
    // (after it). "年明け" and "週明け" are words of their own above.
    ("の連休明け", "ake"),
    ("が明け", "ake"),
    ("明け", "ake"),
    // A regular closing day is a weekly day off; any other "休日" a day off.
    ("定休日", "teikyuubi"),
    ("休日", "yasumi"),
    ("産休", "sankyuu"),
    ("育休", "ikukyuu"),
    ("外出", "gaishutsu"),
    ("出社", "shussha"),
    // "戻り次第拝見します" (I'll look at it as soon as I'm back): a return still to come says
    // the writer is away now.
    ("戻り次第", "fuzai"),
    // "北海道へ行ってきます" (I'm off to Hokkaido and back): a trip announced
    ("行ってきます", "fuzai"),
    ("行って参ります", "fuzai"),
    ("行ってまいります", "fuzai"),
    ("帰社次第", "fuzai"),
    ("戻り", "modori"),
    // "来月から職場に戻る予定です": the plain form
    ("戻る", "modori"),
    ("復帰", "fukki"),
    ("帰社", "kisha"),
    // opening hours, a label ("営業時間：平日10:00～19:00")
    ("営業時間", "eigyoujikan"),
    ("通常営業", "eigyou"),
    ("営業再開", "eigyou"),
    ("通常診療", "eigyou"),
    // "19日（土）は通常通り診療いたします": open as usual again (not "通常通り水曜は定休日",
    // closed on Wednesdays as usual)
    ("通常通り診療", "eigyou"),
    ("通常通り営業", "eigyou"),
    ("通常通りの営業", "eigyou"),
    ("通常通りの診療", "eigyou"),
    // "お返事も3/8以降になります": replies, from a day on
    ("お返事", "taiou"),
    ("ご返信", "taiou"),
    // "順次返信いたします" (I will answer each in turn): an answer promised for a day
    ("順次返信", "taiou"),
    ("返信いたします", "taiou"),
    ("リニューアルオープン", "saikai"),
    // the middle of a month: "来月半ば"
    ("半ば", "chuujun"),
    // business or work ended for a while: "年内の業務は終了しました", "冬季は営業終了"
    // (a closure, as 休業)
    ("営業終了", "kyuugyou"),
    ("業務終了", "kyuugyou"),
    ("営業を終了", "kyuugyou"),
    ("業務を終了", "kyuugyou"),
    ("営業は終了", "kyuugyou"),
    ("業務は終了", "kyuugyou"),
    ("営業は本日で終了", "kyuugyou"),
    ("業務は本日で終了", "kyuugyou"),
    // business as a topic ("来週の営業につきましては、臨時休業とします"): what is said of it comes
    // last, so it is no opening by itself
    ("営業に関しましては", "eigyoutopic"),
    ("営業に関しては", "eigyoutopic"),
    ("営業については", "eigyoutopic"),
    ("営業につきましては", "eigyoutopic"),
    ("営業", "eigyou"),
    ("対応", "taiou"),
    ("連絡", "renraku"),
    // ... but "改めてメールにてお知らせいたします" (we will let you know by mail again) is the
    // sender's own notice, no call-back asked for
    ("改めてメールにてお知らせ", "oshirase"),
    ("改めてメールでお知らせ", "oshirase"),
    ("改めてお知らせ", "oshirase"),
    ("改めてご案内", "oshirase"),
    // "来月以降に改めてご提案ください": anew, later (a call-back with its day)
    ("改めて", "renraku"),
    // "来月になったらまたメールください", "電話ください": write, call
    ("メールください", "renraku"),
    ("メール下さい", "renraku"),
    ("メールをください", "renraku"),
    ("電話ください", "renraku"),
    ("電話下さい", "renraku"),
    // "3月以降に再度ご提案いただけますと幸いです": again, a proposal asked for later
    ("再度", "renraku"),
    ("ご提案", "renraku"),
    // "その頃にまたご連絡ください": at that time, the day said before
    ("その頃", "then"),
    ("その際", "then"),
    // call again: かけ直してください, おかけ直しください, 折り返しお電話
    ("かけ直", "renraku"),
    ("掛け直", "renraku"),
    ("折り返し", "renraku"),
    // Chinese kinds of leave (marriage, bereavement, personal, home visit, time off in lieu),
    // a visit home (回老家), on site at a client's (驻场), out seeing clients (跑客户), in
    // hospital or waiting to give birth there, mail not read or answers impossible for now;
    // back at one's post (返岗), in the office (进公司), work started again (开工)
    ("婚假", "kyuuka"),
    ("丧假", "kyuuka"),
    ("喪假", "kyuuka"),
    ("事假", "kyuuka"),
    ("探亲假", "kyuuka"),
    ("探親假", "kyuuka"),
    ("调休", "kyuuka"),
    ("調休", "kyuuka"),
    ("公休", "kyuuka"),
    ("回老家", "kyuuka"),
    ("在老家", "kyuuka"),
    ("驻场", "shucchou"),
    ("駐場", "shucchou"),
    ("跑客户", "gaishutsu"),
    ("跑客戶", "gaishutsu"),
    ("在医院", "fuzai"),
    ("在醫院", "fuzai"),
    ("喺醫院", "fuzai"),
    ("喺医院", "fuzai"),
    ("待产", "sankyuu"),
    ("待產", "sankyuu"),
    ("不查看", "fuzai"),
    ("无法查看", "fuzai"),
    ("無法查看", "fuzai"),
    ("无法回复", "fuzai"),
    ("無法回覆", "fuzai"),
    ("无法及时回复", "fuzai"),
    ("無法及時回覆", "fuzai"),
    ("覆唔到", "fuzai"),
    ("返岗", "fukki"),
    ("返崗", "fukki"),
    ("进公司", "shussha"),
    ("進公司", "shussha"),
    ("开工", "fukki"),
    ("開工", "fukki"),
    // the week after next (下下周, 다다음 주); the middle and the start of a month (月中, 月初)
    ("下下周", "week after next"),
    ("下下週", "week after next"),
    ("下下星期", "week after next"),
    ("下下个礼拜", "week after next"),
    ("下下個禮拜", "week after next"),
    ("다다음 주", "week after next"),
    ("다다음주", "week after next"),
    ("月中", "this month chuujun"),
    ("月初", "joujun"),
    // Chinese feasts by name (days in `grammar/holidays.rs`): the Lantern Festival (元宵,
    // 正月十五), the days of the new year counted from its first (初六开工), the Dragon Boat
    // Festival (端午), Qingming (清明), the National Day week said "十一" before "after" or its
    // days off (十一之后, 十一假期)
    ("正月十五", "yuanxiao"),
    ("元宵节", "yuanxiao"),
    ("元宵節", "yuanxiao"),
    ("元宵", "yuanxiao"),
    ("初二", "chuer"),
    ("初三", "chusan"),
    ("初四", "chusi"),
    ("初五", "chuwu"),
    ("初六", "chuliu"),
    ("初七", "chuqi"),
    ("初八", "chuba"),
    ("初九", "chujiu"),
    ("初十", "chushi"),
    ("端午节", "duanwu"),
    ("端午節", "duanwu"),
    ("端午", "duanwu"),
    ("清明节", "qingming"),
    ("清明節", "qingming"),
    ("清明", "qingming"),
    ("十一之后", "guoqingjiaqi ake"),
    ("十一以后", "guoqingjiaqi ake"),
    ("十一之後", "guoqingjiaqi ake"),
    ("十一以後", "guoqingjiaqi ake"),
    ("十一后", "guoqingjiaqi ake"),
    ("十一假期", "guoqingjiaqi"),
    ("十一长假", "guoqingjiaqi"),
    ("十一黄金周", "guoqingjiaqi"),
    // Korean: this month, next week and today in the written style (차주, 금일), tomorrow
    // (익일, 명일), back in the country (귀국) and leaving it (출국), lengths said in words
    // (한 달, 일주일, 이틀, 사흘), after a time has passed or ended (지나고, 끝나고), undecided
    // (미정, also Japanese 未定 and Chinese 待定), answers hard to give, mail not read, not at
    // the desk, a workshop, a training camp, at one's parents' home, recovering
    ("이번 달", "this month"),
    ("이번달", "this month"),
    ("차주", "next week"),
    ("금일", "kyou"),
    ("익일", "tomorrow"),
    ("명일", "tomorrow"),
    ("귀국", "modori"),
    ("출국", "fuzai"),
    ("한 달간", "1 months"),
    ("한 달", "1 months"),
    ("한달간", "1 months"),
    ("한달", "1 months"),
    ("일주일간", "1 weeks"),
    ("일주일", "1 weeks"),
    ("이틀간", "2 days"),
    ("이틀", "2 days"),
    ("사흘", "3 days"),
    ("지나고", "ake"),
    ("지나서", "ake"),
    ("끝나고", "ake"),
    ("끝난 후", "ake"),
    ("끝나면", "ake"),
    ("미정", "toumen"),
    ("未定", "toumen"),
    ("待定", "toumen"),
    ("답장이 어려", "fuzai"),
    ("답장이 어렵", "fuzai"),
    ("회신이 어려", "fuzai"),
    ("회신이 어렵", "fuzai"),
    ("답변이 어려", "fuzai"),
    ("답변이 어렵", "fuzai"),
    ("응대가 어려", "fuzai"),
    ("응대가 어렵", "fuzai"),
    ("응대가 원활하지", "fuzai"),
    ("메일을 자주 못", "fuzai"),
    ("메일을 못", "fuzai"),
    ("메일 확인을 못", "fuzai"),
    ("자리에 없", "fuzai"),
    ("워크숍", "shucchou"),
    ("워크샵", "shucchou"),
    ("입소", "shucchou"),
    ("본가", "kyuuka"),
    ("회복 중", "fuzai"),
    // Korean: write once more (메일 한번 주세요), out at a site (현장에 나와; not "현장에서", on
    // the spot); Japanese: out in the field (現場に出て), gone
    // out to a posting (支援に出ております), back at one's parents' home (実家に帰), unable to come
    // back for a while (戻れそうにない)
    ("메일 한번 주", "renraku"),
    ("메일 한 번 주", "renraku"),
    ("현장에 나", "gaishutsu"),
    ("현장 나와", "gaishutsu"),
    ("에 나와 있", "gaishutsu"),
    ("에 나와있", "gaishutsu"),
    // Korean: resting (쉬고, 쉬어갑니다), this month (이달), mail not checked (확인하지 못)
    ("쉬고", "yasumi"),
    ("쉬어갑", "yasumi"),
    ("쉬어 갑", "yasumi"),
    ("이달", "this month"),
    ("확인하지 못", "fuzai"),
    ("확인을 못", "fuzai"),
    ("제대로 못 보", "fuzai"),
    // Chinese: a clinic closed (休诊, 停诊) and open again (正常接诊), offices open as usual
    // (正常办公, 正常营业, 正常上班); back only then (才会回来, 才會進台北辦公室); back at the
    // factory (回厂); days off in a row with their count (连休三天); after a time has passed
    // (过了国庆, 过完年); the lunar new year by name (農曆新年, 过年); before a day (下礼拜三之前:
    // back that day); just back at work (刚上班: over)
    ("休诊", "kyuugyou"),
    ("停诊", "kyuugyou"),
    ("停診", "kyuugyou"),
    ("正常接诊", "eigyou"),
    ("正常接診", "eigyou"),
    ("正常办公", "eigyou"),
    ("正常辦公", "eigyou"),
    ("正常营业", "eigyou"),
    ("正常營業", "eigyou"),
    ("正常上班", "shussha"),
    ("才会回", "modori"),
    ("才會回", "modori"),
    ("才能回", "modori"),
    ("才会进", "modori"),
    ("才會進", "modori"),
    ("才进", "modori"),
    ("才進", "modori"),
    ("回厂", "modori"),
    ("回廠", "modori"),
    ("连休两天", "yasumi 2 days"),
    ("連休兩天", "yasumi 2 days"),
    ("连休三天", "yasumi 3 days"),
    ("連休三天", "yasumi 3 days"),
    ("连休四天", "yasumi 4 days"),
    ("連休四天", "yasumi 4 days"),
    ("连休五天", "yasumi 5 days"),
    ("連休五天", "yasumi 5 days"),
    ("过了", "after"),
    ("過了", "after"),
    ("过完", "after"),
    ("過完", "after"),
    ("農曆新年", "kyuushougatsu"),
    ("农历新年", "kyuushougatsu"),
    ("農曆年", "kyuushougatsu"),
    ("农历年", "kyuushougatsu"),
    ("过年", "kyuushougatsu"),
    ("過年", "kyuushougatsu"),
    ("之前", "zhiqian"),
    ("刚上班", "was"),
    // Chinese: off for the Spring Festival (放春节假); Japanese: stationed at a client's (常駐),
    // unable to return (戻れない), answers late by much (返信はかなり遅れ)
    // Japanese Obon (お盆: its last day, the 16th of August, in `grammar/holidays.rs`); "お盆期間"
    // (the Obon season, a topic for the days named with it) names no day itself
    ("お盆期間", "obonkikan"),
    // Korean: after Seollal said short (설 지나고); Japanese: mail or a word asked for again
    // (メールもらえますか, 声をかけてください)
    ("설 지나", "seollalyeonhyu ake"),
    ("설 끝나", "seollalyeonhyu ake"),
    ("メールもらえ", "renraku"),
    ("声をかけて", "renraku"),
    ("声かけて", "renraku"),
    // Chinese: abroad on business (出国洽公), answers slow or impossible at once (回复会比较慢,
    // 无法即时回复, 邮件看得慢), away from town (在外地), visiting clients (拜访客户), resting at
    // home (在家休息), mail not read (不看邮件); Cantonese on holiday (放緊假), back only then (先返);
    // at a plant to help out (厂支援); "call my landline then" (那时候打我座机)
    ("出国", "fuzai"),
    ("出國", "fuzai"),
    ("无法即时", "fuzai"),
    ("無法即時", "fuzai"),
    ("回复会比较慢", "fuzai"),
    ("回覆會比較慢", "fuzai"),
    ("回复会慢", "fuzai"),
    ("回覆會慢", "fuzai"),
    ("看得慢", "fuzai"),
    ("在外地", "fuzai"),
    ("拜访客户", "gaishutsu"),
    ("拜訪客戶", "gaishutsu"),
    ("在家休息", "yasumi"),
    ("不看邮件", "fuzai"),
    ("不看郵件", "fuzai"),
    ("放緊假", "yasumi"),
    ("放紧假", "yasumi"),
    ("先返", "modori"),
    ("厂支援", "shucchou"),
    ("廠支援", "shucchou"),
    ("厂区支援", "shucchou"),
    ("廠區支援", "shucchou"),
    ("打我座机", "renraku"),
    ("打我座機", "renraku"),
    ("打我手机", "renraku"),
    ("打我手機", "renraku"),
    // Korean: at a site (현장 근무), mail read late (확인이 늦어질), gone down to a city and
    // going back up (내려와 있어요, 올라가요)
    ("현장 근무", "gaishutsu"),
    ("확인이 늦어질", "fuzai"),
    ("내려와 있", "fuzai"),
    ("내려와있", "fuzai"),
    ("올라가요", "modori"),
    ("올라갑니다", "modori"),
    ("올라가면", "modori"),
    // Japanese: back to Tokyo or Osaka (帰京, 帰阪), recuperating (静養), dispatched (派遣), not
    // present (におりません), on a trip (旅行で), an inspection tour (視察)
    ("帰京", "modori"),
    ("帰阪", "modori"),
    ("静養", "kyuuka"),
    ("派遣", "shucchou"),
    ("におりません", "fuzai"),
    ("旅行で", "fuzai"),
    ("視察", "shucchou"),
    ("お盆", "obon"),
    ("放春节假", "kyuuka"),
    ("放春節假", "kyuuka"),
    ("常駐", "shucchou"),
    ("戻れない", "fuzai"),
    ("返信はかなり遅れ", "fuzai"),
    ("返信がかなり遅れ", "fuzai"),
    ("返信が遅れると", "fuzai"),
    ("返信は遅れると", "fuzai"),
    ("剛上班", "was"),
    ("現場に出", "gaishutsu"),
    ("に出ており", "fuzai"),
    ("実家に帰", "kyuuka"),
    ("実家に戻", "kyuuka"),
    ("戻れそうにない", "fuzai"),
    // Chinese third persons (他, 她: he, she; not 其他, other) and the people they are
    // (老板: the boss, 同事: a colleague), so that their absence is someone else's
    ("其他", "other"),
    ("他们", "they"),
    ("他們", "they"),
    ("她们", "they"),
    ("她們", "they"),
    ("他", "he"),
    ("她", "she"),
    ("老板", "boss"),
    ("老闆", "boss"),
    ("同事", "colleague"),
    // Korean parts of a month after its number (11월 초순에, 3월 중순쯤, 9월 말에): early ones
    // and middles name no day; an end does
    ("초순", "joujun"),
    ("중순", "chuujun"),
    ("하순", "gejun"),
    ("초에", "joujun"),
    ("초쯤", "joujun"),
    ("말에", "matsu"),
    ("말쯤", "matsu"),
];

/// The Japanese word at the start of `rest` (see [`JA_PHRASES`]): the ASCII word it folds to
/// and its length in bytes. `prev` is the character before it.
pub fn japanese(rest: &str, prev: Option<char>) -> Option<(&'static str, usize)> {
    let first = rest.chars().next()?;
    if !('\u{3000}'..='\u{9FFF}').contains(&first)
        && !('\u{FF00}'..='\u{FFEF}').contains(&first)
        && !('\u{AC00}'..='\u{D7AF}').contains(&first)
        && first != '('
    {
        return None;
    }
    let after_digit = prev.is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
    let unit = match first {
        '年' | '년' => Some("nen"),
        '月' | '월' => Some("gatsu"),
        '日' | '号' | '號' | '일' => Some("nichi"),
        '時' => Some("ji"),
        _ => None,
    };
    // "3日間" (for three days) is a length, not the 3rd; so is "3日ほど" (about three
    // days), "3日程度", "3日くらい".
    if after_digit && rest.starts_with("日間") {
        return Some(("days", "日間".len()));
    }
    // "3분기", "第3四半期": a quarter, its number glued before it (see
    // `grammar::periods::ordinal_quarter`).
    if after_digit && rest.starts_with("분기") {
        return Some(("quarter", "분기".len()));
    }
    if after_digit && rest.starts_with("四半期") {
        return Some(("quarter", "四半期".len()));
    }
    // Chinese "3天", "2周", "2个月" (digits before the unit); Korean "2주", "2주간", "3개월";
    // business days ("3営業日", "3영업일", "3个工作日").
    for (unit, word) in [
        ("営業日", "business days"),
        ("영업일", "business days"),
        ("个工作日", "business days"),
        ("個工作日", "business days"),
        ("工作日", "business days"),
        ("天", "days"),
        ("周", "weeks"),
        ("个月", "months"),
        ("個月", "months"),
        ("주간", "weeks"),
        ("주", "weeks"),
        ("개월", "months"),
        ("季度", "quarter"),
    ] {
        if after_digit && rest.starts_with(unit) {
            return Some((word, unit.len()));
        }
    }
    // Korean "3일간" (for three days), as "3日間".
    if after_digit && rest.starts_with("일간") {
        return Some(("days", "일간".len()));
    }
    if after_digit
        && ["日ほど", "日程度", "日くらい", "日ぐらい", "日前後"]
            .iter()
            .any(|about| rest.starts_with(about))
    {
        return Some(("days", "日".len()));
    }
    // "3月底" (the end of March), "1月中" (mid-January), "5月初" (early May).
    for (glued, word) in [
        ("月底", "gatsu matsu"),
        ("月中", "gatsu chuujun"),
        ("月初", "gatsu joujun"),
    ] {
        // (not Japanese "4月中旬", "4月初旬": the month, then the word of its part; nor
        // Japanese "3月中は不在", "3月中に": during or within the month, kana after it)
        let japanese_after = || {
            rest.get(glued.len()..)
                .and_then(|after| after.chars().next())
                .is_some_and(|c| c == '旬' || ('\u{3040}'..='\u{309F}').contains(&c))
        };
        if after_digit && rest.starts_with(glued) && !japanese_after() {
            return Some((word, glued.len()));
        }
    }
    if let (true, Some(word)) = (after_digit, unit) {
        return Some((word, first.len_utf8()));
    }
    if let Some(found) = kanji_day(rest, prev) {
        return Some(found);
    }
    // Chinese "共9天" (9 days in all): a sum of a stretch said before, no length from today.
    if first == '共'
        && rest['共'.len_utf8()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || "一二三四五六七八九十两兩".contains(c))
    {
        return Some(("total", '共'.len_utf8()));
    }
    // Chinese "下周一回", "明天回。": "回" (back) closing its clause; before more words it is
    // an answer or a time ("回复", "回你", "一回"). After digits it counts times or editions
    // ("第5回 セミナー", "3回"), never back ("周一回" is Monday's, so not after numerals).
    if first == '回'
        && !after_digit
        && rest['回'.len_utf8()..]
            .chars()
            .next()
            .is_none_or(|c| !(('\u{3040}'..='\u{9FFF}').contains(&c) || c.is_alphanumeric()))
    {
        return Some(("modori", '回'.len_utf8()));
    }
    if let Some(found) = nth_weekday(rest) {
        return Some(found);
    }
    // Chinese "4月20日起" (from the 20th of April), "（周一）起": from, right after a day; not
    // the "起" of 一起 (together) or 对不起 (sorry).
    if first == '起' && prev.is_some_and(|c| matches!(c, '日' | '号' | '號' | ')' | '）')) {
        return Some(("kara", '起'.len_utf8()));
    }
    // Chinese "年后" (after the new year: the Spring Festival's days off), not "3年后" (three
    // years later) nor Japanese "数年後".
    if (rest.starts_with("年后") || rest.starts_with("年後"))
        && !after_digit
        && !prev.is_some_and(|c| "一二三四五六七八九十百千两兩数數何半几幾".contains(c))
    {
        return Some(("chunjiejiaqi ake", "年后".len()));
    }
    PHRASES_BY_FIRST
        .get(&first)?
        .iter()
        .find(|(phrase, _)| rest.starts_with(phrase))
        .map(|&(phrase, word)| (word, phrase.len()))
}

/// A day of the month in kanji numerals ("十三日まで", "二十日より"): folded as the digits and
/// "nichi", as "13日" is. "一日" alone is "one day" (一日も早く) unless a month comes just
/// before it; a length ("三日間") is no day.
fn kanji_day(rest: &str, prev: Option<char>) -> Option<(&'static str, usize)> {
    // Chinese writes two of a thing "两" ("两周", two weeks).
    let digit = |c: char| match c {
        '两' | '兩' => Some(2),
        _ => "〇一二三四五六七八九".chars().position(|d| d == c),
    };
    let mut value = 0usize;
    let mut len = 0;
    let mut tens_seen = false;
    for c in rest.chars().take(4) {
        if let Some(d) = digit(c) {
            value = if tens_seen { value + d } else { value * 10 + d };
        } else if c == '十' && !tens_seen {
            value = value.max(1) * 10;
            tens_seen = true;
        } else {
            break;
        }
        len += c.len_utf8();
    }
    let after = rest.get(len..)?;
    // "二週間後", "三日間", "二ヶ月": a length in kanji numerals, folded as its digits are.
    if len > 0 && (1..=31).contains(&value) {
        for (unit, table) in [
            ("週間", &*KANJI_WEEKS),
            ("日間", &*KANJI_DAYS_LONG),
            ("ヶ月", &*KANJI_MONTHS),
            ("か月", &*KANJI_MONTHS),
            ("カ月", &*KANJI_MONTHS),
            // Chinese: "请假一周", "三天", "两个月"
            ("个星期", &*KANJI_WEEKS),
            ("個星期", &*KANJI_WEEKS),
            ("周", &*KANJI_WEEKS),
            ("週", &*KANJI_WEEKS),
            ("天", &*KANJI_DAYS_LONG),
            ("个月", &*KANJI_MONTHS),
            ("個月", &*KANJI_MONTHS),
            // Chinese "第二季度", "三季度": a quarter (see `grammar::periods::ordinal_quarter`)
            ("季度", &*KANJI_QUARTERS),
            // Cantonese "兩個禮拜" (two weeks)
            ("個禮拜", &*KANJI_WEEKS),
            ("个礼拜", &*KANJI_WEEKS),
        ] {
            if after.starts_with(unit) {
                return Some((table.get(value)?, len + unit.len()));
            }
        }
        // Taiwanese "第三季" (the third quarter): "季" alone only after "第" ("夏季" is summer).
        if prev == Some('第') && after.starts_with('季') && (1..=4).contains(&value) {
            return Some((KANJI_QUARTERS.get(value)?, len + '季'.len_utf8()));
        }
    }
    let one_ok = value != 1 || prev == Some('月');
    if len == 0
        || !(1..=31).contains(&value)
        || !one_ok
        || !after.starts_with('日')
        || after.starts_with("日間")
    {
        return None;
    }
    Some((KANJI_DAYS.get(value)?, len + '日'.len_utf8()))
}

/// "第2月曜日" (the second Monday of a month): folded as "nth 2 monday" for the grammar to
/// join to the month before it.
fn nth_weekday(rest: &str) -> Option<(&'static str, usize)> {
    let after = rest.strip_prefix('第')?;
    let digit = after.chars().next()?;
    let nth = match digit {
        '1'..='5' => digit as usize - '0' as usize,
        '１'..='５' => digit as usize - '１' as usize + 1,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        _ => return None,
    };
    let days = after.get(digit.len_utf8()..)?;
    let weekday = ["月曜", "火曜", "水曜", "木曜", "金曜", "土曜", "日曜"]
        .iter()
        .position(|name| days.starts_with(name))?;
    let mut len = '第'.len_utf8() + digit.len_utf8() + "月曜".len();
    if days
        .get("月曜".len()..)
        .is_some_and(|tail| tail.starts_with('日'))
    {
        len += '日'.len_utf8();
    }
    Some((NTH_WEEKDAYS.get(nth * 7 + weekday)?, len))
}

/// "nth 1 monday" ... "nth 5 sunday": what [`nth_weekday`] folds to, made once.
static NTH_WEEKDAYS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let names = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    (0..6)
        .flat_map(|n| names.iter().map(move |day| (n, day)))
        .map(|(n, day)| &*Box::leak(format!("nth {n} {day}").into_boxed_str()))
        .collect()
});

/// "1 weeks" ... "31 weeks", "1 days" ..., "1 months" ...: the lengths in kanji numerals
/// that [`kanji_day`] folds ("二週間" as "2 weeks", as "2週間" is), made once.
static KANJI_WEEKS: LazyLock<Vec<&'static str>> = LazyLock::new(|| amounts("weeks"));
static KANJI_DAYS_LONG: LazyLock<Vec<&'static str>> = LazyLock::new(|| amounts("days"));
static KANJI_MONTHS: LazyLock<Vec<&'static str>> = LazyLock::new(|| amounts("months"));
static KANJI_QUARTERS: LazyLock<Vec<&'static str>> = LazyLock::new(|| amounts("quarter"));

fn amounts(unit: &str) -> Vec<&'static str> {
    (0..=31)
        .map(|n| &*Box::leak(format!("{n} {unit}").into_boxed_str()))
        .collect()
}

/// "1 nichi" ... "31 nichi": what [`kanji_day`] folds to, made once.
static KANJI_DAYS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    (0..=31)
        .map(|n| &*Box::leak(format!("{n} nichi").into_boxed_str()))
        .collect()
});

/// [`JA_PHRASES`] by their first character, in their order (longer phrases first): a CJK
/// character is compared with the few phrases it can begin, not with all of them.
static PHRASES_BY_FIRST: LazyLock<HashMap<char, Vec<(&'static str, &'static str)>>> = LazyLock::new(|| {
    let mut by_first: HashMap<char, Vec<(&'static str, &'static str)>> = HashMap::new();
    for &(phrase, word) in JA_PHRASES {
        if let Some(first) = phrase.chars().next() {
            by_first.entry(first).or_default().push((phrase, word));
        }
    }
    by_first
});

/// Folds one character for matching: lowercase, accents removed, typographic punctuation
/// turned into its ASCII form. Characters with no useful ASCII form become `^`, a
/// punctuation byte that separates words and matches nothing, so the folded text is pure
/// ASCII and every regex over it runs on the fast byte engines.
pub fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    let folded = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'ª' => {
            "a"
        }
        'æ' | 'Æ' => "ae",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'º' | '°' => {
            "o"
        }
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        'ß' => "ss",
        'œ' | 'Œ' => "oe",
        // Central European and Turkish letters (Polish, Czech, Slovak, Turkish, ...).
        'ą' | 'ă' => "a",
        'ć' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'ę' | 'ě' | 'ė' => "e",
        'ğ' => "g",
        'ı' | 'ī' | 'į' => "i",
        'ł' | 'ľ' | 'ĺ' => "l",
        'ń' | 'ň' => "n",
        'ő' | 'ō' => "o",
        'ř' | 'ŕ' => "r",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ť' | 'ţ' | 'ț' => "t",
        'ů' | 'ű' | 'ū' | 'ų' => "u",
        'ź' | 'ż' | 'ž' => "z",
        'þ' => "th",
        // Combining accents (text in decomposed form): the base letter was already folded.
        '\u{0300}'..='\u{036F}' => "",
        // CJK punctuation and full-width forms (Japanese text writes digits and brackets so).
        // A Japanese full stop ends a sentence even with no space after it.
        '。' => ". ",
        // So do a full-width exclamation and question mark ("不在です！5/7から").
        '！' => "! ",
        '？' => "? ",
        '．' => ".",
        '、' => ", ",
        '，' => ",",
        '「' | '」' | '『' | '』' => "\"",
        // A wave dash links a range ("6/7〜9"); a middle dot lists ("6月10・11日", "月・水").
        '〜' => "~",
        '・' => ",",
        '\u{FF01}'..='\u{FF5E}' => {
            // Full-width ASCII: the same character 0xFEE0 lower.
            match char::from_u32(u32::from(c) - 0xFEE0) {
                Some(ascii) => out.push(ascii.to_ascii_lowercase()),
                None => out.push('^'),
            }
            return;
        }
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{00B4}' | '\u{2032}' => "'",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => "-",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => "\"",
        '€' | '£' | '¥' | '¢' => "$",
        '\u{2028}' | '\u{2029}' | '\u{0085}' => "\n",
        c if c.is_whitespace() => " ",
        // Russian, transliterated ("в отпуске до 15 января" reads "v otpuske do 15 yanvarya").
        'а'..='я' | 'ё' => cyrillic(c),
        // Other capitals fold as their lowercase ("Ł", "Ř", "Ş", "İ").
        c if c.is_uppercase() => match c.to_lowercase().next() {
            Some(lower) if lower != c => {
                fold_char(lower, out);
                return;
            }
            _ => "^",
        },
        // Emoji: a mark of their own, which ends a sentence before a capital ("gesloten 🧡
        // Vrijdag staan we weer klaar") but not inside one ("gone fishin' 🎣 till the 9th");
        // their joiners and variation selectors fold to nothing.
        '\u{200D}' | '\u{FE0F}' | '\u{FE0E}' => "",
        '\u{1F300}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}' | '\u{1F000}'..='\u{1F2FF}' => "`",
        // Any other character (ideographs, kana, other scripts): one filler byte, apart from
        // `~`, which links a range.
        _ => "^",
    };
    out.push_str(folded);
}

/// The Latin letters of a lowercase Russian letter (the common BGN-like transliteration).
fn cyrillic(c: char) -> &'static str {
    match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' | 'ы' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ю' => "yu",
        'я' => "ya",
        // the hard and soft signs
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    /// The first phrase in table order that begins the text wins, so a phrase placed after a
    /// shorter one it begins with can never be read: it would sit in the table looking
    /// understood while the shorter phrase decides (five such entries once did).
    #[test]
    fn no_japanese_phrase_is_shadowed_by_an_earlier_prefix() {
        let mut shadowed = Vec::new();
        for (i, &(phrase, _)) in super::JA_PHRASES.iter().enumerate() {
            if let Some(&(earlier, _)) = super::JA_PHRASES[..i].iter().find(|(q, _)| phrase.starts_with(q)) {
                shadowed.push(format!("{phrase} (after {earlier})"));
            }
        }
        assert!(
            shadowed.is_empty(),
            "unreachable phrases: {}",
            shadowed.join(", ")
        );
    }
}
