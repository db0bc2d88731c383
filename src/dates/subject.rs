//! Whose absence a cue speaks of: the writer's ("I'm on leave until June 5", "Out of office
//! until June 5", "Our office is closed from 20 to 31 July") or someone else's ("Maria is on
//! holiday until August", "my colleague is away", "er ist im Urlaub", "elle est en congé").
//! Someone else's absence is no reason to pause the writer (DESIGN "Replies", point 7).
//!
//! The subject of the clause that holds the cue is read backwards from the cue to the start of
//! its clause: the nearest first-person word makes it the writer's; a third-person pronoun, a
//! name (a capitalised word, not at the start of its sentence, right before a third-person
//! verb, or the `<name>` placeholder of scrubbed mail) or a person-noun after "my", "his",
//! "her", "their" makes it someone else's. A clause with no subject at all (a notice: "Out of
//! office until Monday", "Closed for the holidays") is the writer's.

use crate::dates::tokens::{Folded, Kind};
use crate::dates::Lang;

/// How far back the subject is looked for, in words (numbers, signs and month names not
/// counted).
const REACH: usize = 10;

/// Words that make the clause the writer's: first-person pronouns and verb forms that carry
/// the first person on their own (Romance, Slavic, Finnish and Turkish drop the pronoun).
const FIRST_PERSON: &[&str] = &[
    // ru, transliterated (я, мы and "my" shared with English)
    "ya",
    // en
    "i",
    "ive",
    "we",
    "weve",
    "our",
    "my",
    "me",
    "us",
    // de
    "ich",
    "wir",
    "bin",
    "mein",
    "meine",
    "unser",
    "unsere",
    "mich",
    "uns",
    // fr
    "je",
    "j",
    "nous",
    "suis",
    "sommes",
    "notre",
    "nos",
    "mon",
    "ma",
    "mes",
    "serai",
    "serons",
    // es
    "yo",
    "mis",
    "estoy",
    "estamos",
    "estare",
    "estaremos",
    "nosotros",
    "nuestro",
    "nuestra",
    "vuelvo",
    "volvemos",
    "voy",
    "vamos",
    "cerramos",
    // futures of reading and answering mail ("no atenderé el correo"); not "contestare",
    // "consultare", Italian infinitives
    "atendere",
    "revisare",
    "leere",
    "respondere",
    // pt "vou" (I go, I will)
    "vou",
    // it
    "io",
    "sono",
    "siamo",
    "saro",
    "saremo",
    "noi",
    "mio",
    "mia",
    "nostro",
    "nostra",
    "chiudiamo",
    // the future and present of "have" and "be" that carry their "I" ("avrò disponibilità
    // limitata", "tendré poca disponibilidad", "terei pouco acesso", "j'aurai peu de réseau")
    "avro",
    "avremo",
    "staro",
    "staremo",
    "sto",
    "stiamo",
    "tendre",
    "tendremos",
    "tengo",
    "tenemos",
    "terei",
    "teremos",
    "tenho",
    "temos",
    "aurai",
    "aurons",
    "torno",
    "torniamo",
    "rientro",
    "rientriamo",
    "mi",
    "mia",
    "mie",
    "miei",
    "ci",
    // "have" in the first person carries its "I" too: "en heb daar slecht wifi", "habe
    // kein Netz"
    "heb",
    "habe",
    "hab",
    // nl
    "ik",
    "wij",
    "ben",
    "mijn",
    "ons",
    "onze",
    // pt
    "eu",
    "estou",
    "estamos",
    "estarei",
    "estaremos",
    "nos",
    "meu",
    "minha",
    "nosso",
    "nossa",
    "meus",
    "minhas",
    "volto",
    "voltamos",
    // the writers' own return to come, the person in the ending: "retornaremos às 12h",
    // "voltaremos dia 10", "volveremos el lunes", "torneremo lunedì", "rientreremo il 10"
    "retornaremos",
    "voltaremos",
    "regressaremos",
    "volveremos",
    "regresaremos",
    "torneremo",
    "rientreremo",
    // the writer able to help meanwhile: "posso ajudar", "puedo ayudarle"
    "posso",
    "puedo",
    // pl, cs
    "ja",
    "jestem",
    "jestesmy",
    "bede",
    "bedziemy",
    "jsem",
    "jsme",
    "budu",
    "budeme",
    // sk (and the Czech and Slovak "I am located", nacházím se, nachádzam sa)
    "som",
    "sme",
    "budem",
    "nachadzam",
    "nachazim",
    // sv, da, no
    "jag",
    "vi",
    "jeg",
    "min",
    "mitt",
    "mina",
    "mine",
    "vart",
    "vara",
    // fi (with the spoken "oon"), tr
    "olen",
    "oon",
    "olemme",
    "biz",
];

/// Third-person pronouns that hold in any language, and the reader ("I know you leave late
/// this week", "as you said you'd be back by Tuesday"): neither is the writer.
const THIRD_PERSON: &[&str] = &[
    "you", "your", "youre", "youll", "youd", "vous", "votre", "tu", "usted", "voce",
    // the readers' "you are" in Italian and Spanish ("siete chiusi fino al 23", "estáis de
    // vacaciones")
    "siete", "estais", "he", "she", "they", "his", "her", "their", "hes", "shes", "theyre", "theyll", "hell",
    "shell", // en
    "il", "elle", "ils", "elles", // fr
    "ella", "ellos", "ellas", // es
    "lui", "lei", "loro", // it
    "hij", "zij", // nl
    "ele", "ela", "eles", "elas", // pt
    "ona", "oni", "ony", // pl cs
    "hon", "hun", // sv da no
];

/// Third-person pronouns that are other words in some languages: read only in these.
const THIRD_PERSON_BY_LANG: &[(Lang, &[&str])] = &[
    (
        Lang::De,
        &["er", "sie", "sein", "seine", "ihr", "ihre", "du", "dein", "deine"],
    ),
    (Lang::Nl, &["ze"]),
    (Lang::Pl, &["on"]),
    (Lang::Cs, &["on"]),
    (Lang::Sv, &["han"]),
    (Lang::Da, &["han"]),
    (Lang::No, &["han"]),
    (Lang::Fi, &["han"]),
];

/// The reader, as the one who wrote to the person away ("the person you emailed").
const READERS: &[&str] = &["you", "vous", "u", "usted", "voce", "lei", "ihnen", "sie"];

/// Verbs of writing to or reaching someone, whose object is the mailbox's owner in "the
/// officer you have emailed", "la personne que vous avez contactée", "la persona che ha
/// contattato", "de medewerker die u heeft gemaild", "a pessoa que contactou", "die von Ihnen
/// angeschriebene Person".
const CONTACTED: &[&str] = &[
    "emailed",
    "mailed",
    "contacted",
    "written",
    "wrote",
    "writing",
    "messaged",
    "reach",
    "reached",
    "contacting",
    "addressed",
    "contacte",
    "contactee",
    "ecrit",
    "ecrite",
    "joindre",
    "contactado",
    "contactada",
    "escrito",
    "escribe",
    "escribio",
    "contattato",
    "contattata",
    "scritto",
    "scrive",
    "gemaild",
    "gemailed",
    "geschreven",
    "bereiken",
    "contactou",
    "contatou",
    "escreveu",
    "angeschrieben",
    "angeschriebene",
    "angeschriebenen",
    "kontaktiert",
    "kontaktierte",
    "erreichen",
];

/// Third-person verbs that follow a named subject ("Maria is", "Herr Weber ist", "Paul est").
const THIRD_VERBS: &[&str] = &[
    "is", "will", "has", "was", "ist", "wird", "hat", "war", "est", "sera", "a", "esta", "estara", "e",
    "sara", "er", "ar", "je", "jest", "heeft", "zal", "gaat", "geht", "goes", "takes", "nimmt", "va", "vai",
    "tem", "ha", "won", "isn", "ta", "har",
    // Coming back, said of the other ("mi jefa vuelve de vacaciones el lunes", "o meu sócio
    // volta de licença dia 14", "ma collègue rentre de congé lundi", "my boss returns on").
    "vuelve", "regresa", "volta", "regressa", "retorna", "rentre", "revient", "torna", "rientra", "returns",
    "comes", "kommt", "komt",
    // Being or going about somewhere, said of the other: "Femke zit op wintersport", "mi jefe
    // anda de viaje", "Jan ligt in het ziekenhuis", "Paul reist bis Freitag"
    "zit", "ligt", "anda", "andan", "reist", "viaja", "viaggia", "voyage",
    // German "befindet sich" (is, as a notice puts it): "Frau Schneider befindet sich in
    // Elternzeit"
    "befindet",
];

/// Goods whose journey is told with the words of an absence ("the shipment is on a train",
/// "the order is travelling").
const GOODS: &[&str] = &[
    "order",
    "orders",
    "package",
    "packages",
    "parcel",
    "parcels",
    "shipment",
    "shipments",
    "delivery",
    "goods",
    "container",
    "containers",
    "consignment",
    "pallet",
    "pallets",
    "truck",
    "lorry",
    // the same in the other languages: "je pakket onderweg is", "Ihr Paket ist unterwegs",
    // "votre colis est en route", "su pedido está en camino", "il pacco è in viaggio"
    "paket",
    "pakete",
    "sendung",
    "lieferung",
    "bestellung",
    "ware",
    "pakket",
    "pakketje",
    "zending",
    "levering",
    "bestelling",
    "colis",
    "commande",
    "livraison",
    "envoi",
    "pedido",
    "paquete",
    "envio",
    "ordine",
    "pacco",
    "spedizione",
    "consegna",
    "merce",
    "encomenda",
    "pacote",
    "entrega",
];

/// First-person possessives ("my", "mein", "mon", "mijn", "meu", "min", "mój"); Spanish
/// "mi" and French "ma" only in their language (Italian "mi" is "me", "ma" is "but").
const POSSESSIVES: &[&str] = &[
    "my", "our", "unser", "unsere", "notre", "nuestro", "nuestra", "nostro", "nostra", "onze", "ons",
    "nosso", "nossa", "mein", "meine", "meiner", "meinem", "mon", "mes", "mis", "mio", "mia", "miei", "mie",
    "mijn", "meu", "minha", "min", "mitt", "mina", "moj", "moje", "moja", "muj",
];

/// Places and things of the writer's own after a possessive: "my office is closed" is the
/// writer's absence, "my boss is away" someone else's.
const OWN_PLACES: &[&str] = &[
    "office",
    "offices",
    "team",
    "whole",
    "entire",
    "staff",
    "support",
    "department",
    "school",
    "clinic",
    "restaurant",
    "studio",
    "hotel",
    "service",
    "services",
    "premises",
    "warehouse",
    "showroom",
    "headquarters",
    "hq",
    "teams",
    "equipe",
    "equipo",
    "squadra",
    "personal",
    "personeel",
    "equipa",
    "geschaftsstelle",
    "sekretariat",
    "company",
    "shop",
    "store",
    "business",
    "practice",
    "firm",
    "agency",
    "desk",
    "inbox",
    "mailbox",
    "calendar",
    "own",
    "buro",
    "buero",
    "firma",
    "praxis",
    "kanzlei",
    "geschaft",
    "laden",
    "bureau",
    "entreprise",
    "societe",
    "magasin",
    "cabinet",
    "oficina",
    "empresa",
    "tienda",
    "despacho",
    "consulta",
    "ufficio",
    "azienda",
    "negozio",
    "studio",
    "kantoor",
    "bedrijf",
    "winkel",
    "praktijk",
    "escritorio",
    "loja",
    "consultorio",
    "kontor",
    "butik",
    "biuro",
    "firmy",
    "kancelar",
    // the Nordic definite forms ("kontoret", "butikken") and more places of trade in
    // Polish, Czech, Finnish and Turkish
    // What a maintainer, a writer or a shop keeps going ("the project is paused", "questo
    // blog va in vacanza", "el sitio está en pausa"): paused, it is the writer's absence.
    // workshops, associations and public places that close
    "bakeshop",
    "predajna",
    "prevadzka",
    "bakery",
    "cafe",
    "pharmacy",
    "branch",
    "werkstatt",
    "betrieb",
    "filiale",
    "verein",
    "sede",
    "associazione",
    "asociacion",
    "associacao",
    "association",
    "bibliothek",
    "biblioteca",
    "bibliotheque",
    "library",
    "museum",
    "museo",
    "blog",
    "project",
    "repo",
    "repository",
    "newsletter",
    "podcast",
    "channel",
    "site",
    "website",
    "forum",
    "progetto",
    "sito",
    "proyecto",
    "sitio",
    "projet",
    "projekt",
    "projeto",
    "boutique",
    "atelier",
    "salon",
    "kontoret",
    "kontorene",
    "butiken",
    "butikken",
    "firman",
    "firmaet",
    "foretaget",
    "virksomheden",
    "virksomheten",
    "bedriften",
    "foretaket",
    "selskapet",
    "selskabet",
    "bolaget",
    "verkstedet",
    "verkstaden",
    "klinikken",
    "kliniken",
    "sklep",
    "gabinet",
    "przychodnia",
    "ordinace",
    "prodejna",
    "provozovna",
    "toimisto",
    "toimistomme",
    "liike",
    "myymala",
    "ofis",
    "ofisimiz",
    "magaza",
    "magazamiz",
    "sirket",
    "sirketimiz",
    // what a writer publishes or maintains, paused like a shop is closed
    "blog",
    "podcast",
    "newsletter",
    "project",
    "projekt",
    "projet",
    "proyecto",
    "progetto",
    "projeto",
    "webshop",
    "onlineshop",
    "eshop",
    "website",
    "channel",
    "kanal",
    // more places of work and trade: agency, workshop, factory, branch, pharmacy
    "agence",
    "agences",
    "boutique",
    "atelier",
    "usine",
    "bureaux",
    "locaux",
    "agencia",
    "taller",
    "fabrica",
    "sede",
    "filial",
    "agenzia",
    "officina",
    "fabbrica",
    "laboratorio",
    "filiale",
    "vestiging",
    "filiaal",
    "fabriek",
    "werkplaats",
    "werkstatt",
    "betrieb",
    "fabrik",
    "niederlassung",
    "agentur",
    "apotheke",
    "pharmacie",
    "farmacia",
    "apotheek",
    // clinics and practices by their Romance names, and a studio or gym of a trade
    "clinica",
    "clinique",
    "kliniek",
    "klinik",
    "ambulatorio",
    "gym",
    "salon",
    "salao",
    "peluqueria",
    // public offices and their services ("os serviços da Câmara Municipal", "la mairie",
    // "il comune", "de gemeente"), schools, a studio by its Spanish name, a Nordic blog
    "servicos",
    "servicios",
    "servizi",
    "camara",
    "prefeitura",
    "ayuntamiento",
    "comune",
    "mairie",
    "gemeente",
    "municipio",
    "secretaria",
    "secretariat",
    "escola",
    "escuela",
    "scuola",
    "ecole",
    "estudio",
    "fiduciaire",
    "bloggen",
    "stall",
    "kiosk",
    "pub",
    "bar",
];

/// Whether the clause holding token `at` speaks of someone other than the writer. `writer`
/// holds the writer's own folded names (see [`crate::dates::writer_names`]): a capitalised
/// name among them is the writer speaking of themself, as auto-replies do.
pub fn someone_else(
    f: &Folded,
    original: &str,
    at: usize,
    sentences: &[u32],
    lang: Option<Lang>,
    writer: &[String],
) -> bool {
    let Some(&sentence) = sentences.get(at) else {
        return false;
    };
    if doubted_return(f, at) {
        return false;
    }
    // "Acme is closed from 20 to 31 July", "die Praxis Weber bleibt geschlossen": a closed
    // business is the writer's own; people are not closed.
    // "... resterà chiusa", "... will remain closed", "... estará encerrada", "bleibt die
    // Werkstatt vorübergehend geschlossen": the closure may stand a word or two into the cue.
    let is_closure = |k: usize| f.is_a_word(k) && crate::dates::away::closure_word(f.word(k));
    let closure = (at..at + 3).any(is_closure);
    let lang_pronouns: &[&str] = lang
        .and_then(|l| THIRD_PERSON_BY_LANG.iter().find(|(x, _)| *x == l))
        .map_or(&[], |(_, words)| words);
    // The reach counts words: a date between the subject and the cue ("Meine Kollegin ist vom
    // 25. August bis 5. September ebenfalls abwesend") takes none of it.
    // A Japanese closure is the business's, whoever's illness or trip caused it
    // ("院長が骨折したため、来週まで休院します").
    let japanese_closure = f.is_word(at, "kyuugyou");
    if relative_clause_subject(f, original, at, sentences, lang)
        || (!japanese_closure && japanese_third_party(f, original, at, sentences))
    {
        return true;
    }
    let mut words = 0;
    for k in (at.saturating_sub(3 * REACH)..at).rev() {
        if sentences.get(k) != Some(&sentence) {
            break;
        }
        let Some(tok) = f.toks.get(k) else { break };
        if tok.kind == Kind::Word && tok.lex.month == 0 {
            words += 1;
            if words > REACH {
                break;
            }
        }
        if let Kind::Punct(p) = tok.kind {
            if matches!(p, b';' | b':' | b'(' | b')') {
                break;
            }
            continue;
        }
        if tok.kind != Kind::Word {
            continue;
        }
        let word = f.word(k);
        // Czech "je" is "is" ("Marie je na dovolené"), French "je" is "I".
        let czech_is = word == "je" && lang == Some(Lang::Cs);
        if FIRST_PERSON_SET.contains(word) && !czech_is && !small_i(f, k) {
            // "my colleague is away", "mi jefe está de vacaciones", "o meu diretor está de
            // férias": a possessive before a person opens someone else's subject; before
            // the absence itself ("on my vacation") or a place of ours ("my office is
            // closed") it stays the writer's.
            let possessive = POSSESSIVES.contains(&word)
                || (word == "mi" && lang == Some(Lang::Es))
                || (word == "ma" && lang == Some(Lang::Fr));
            // The possessive opens the subject only when a third-person verb follows its
            // noun ("my colleague is", "mi jefe está"), or the name the noun introduces
            // ("my colleague Jane is", "meine Kollegin Frau Meier ist"); "with my family" is
            // no subject. The writer's own return or absence is no person: "mon retour est
            // prévu le 10 juin", "my leave ends on the 10th".
            // The cue may begin with the verb itself ("my boss won't be in").
            // The name may come with its title and between commas: "la mia collega Dott.ssa
            // Ferri è", "mon responsable, M. Garnier, est".
            // ("mes mails à partir du 10": French "à" folds to the "a" of "has".)
            let verb = (k + 2..(k + 9).min(at + 1)).find(|&v| {
                f.is_any(v, THIRD_VERBS)
                    && f.toks
                        .get(v)
                        .and_then(|t| original.get(t.o_start..t.o_end))
                        .is_none_or(|w| w != "à")
            });
            // "our general manager is", "mein direkter Vorgesetzter ist": a role of two words.
            let name_part = |n: usize| apposed_name(f, n, lang) || f.is_punct(n, b',') || title_dot(f, n);
            // "Our IT director, Maria, is", "our head of sales, Tom Reed, is": a role of up to
            // three words, then the name between commas.
            let role_then_name = |v: usize| {
                (k + 2..(k + 5).min(v)).any(|c| {
                    f.is_punct(c, b',')
                        && (k + 1..c).any(|r| f.is_any(r, ROLE_NOUNS))
                        && f.is_punct(v - 1, b',')
                        && (c..v).all(name_part)
                })
            };
            let named = verb.is_some_and(|v| {
                v == k + 2
                    || (k + 2..v).all(name_part)
                    || v == k + 3 && f.is_any(v - 1, ROLE_NOUNS)
                    || role_then_name(v)
            });
            // "Ab Montag geht mein Kollege in Elternzeit", "dal 3 è la mia collega in ferie":
            // the verb before the subject, after a time put first (German and Dutch put it
            // second), then the possessive and its person.
            let inverted = k > 0 && f.is_any(k - 1, THIRD_VERBS) && f.is_any(k + 1, ROLE_NOUNS);
            let named = named || inverted;
            // People are not closed: "notre fiduciaire sera fermée", "our studio is shut" is a
            // place of ours whatever its noun.
            return possessive
                && named
                && !closure
                && f.is_a_word(k + 1)
                && !own_place(f, k + 1)
                && !crate::dates::cues::absence_or_return_word(f.word(k + 1));
        }
        // "see you when I'm back on Monday", "talk to you when I'm back": the reader is the object
        // of the writer's own return.
        if word == "you"
            && f.is_any(
                k.wrapping_sub(1),
                &["see", "talk", "speak", "catch", "meet", "to"],
            )
        {
            continue;
        }
        // "The officer you have emailed is on leave", "la personne que vous avez contactée
        // est absente", "de persoon die u probeert te bereiken is afwezig": the reader wrote to
        // the person away, the mailbox's owner; the reader is no subject.
        if f.is_any(k, READERS) && (k + 1..k + 5).any(|v| v < at && f.is_any(v, CONTACTED)) {
            continue;
        }
        // Spanish "he" is "I have" ("me he cogido el puente, vuelvo el martes").
        // So is "he" before a participle, when the text is too short to tell its language
        // ("Me he tomado unas vacaciones", "he ido de viaje").
        let spanish_have = word == "he"
            && (lang == Some(Lang::Es)
                || ["ado", "ido", "isto", "cho", "uelto", "uesto", "ito"]
                    .iter()
                    .any(|end| f.word(k + 1).ends_with(end)));
        // Italian "il" is "the" ("Per il ponte di Ognissanti la sede resta chiusa"): French
        // "il" only in French, or before a verb when the language is not known.
        let italian_the = word == "il"
            && lang != Some(Lang::Fr)
            && (lang == Some(Lang::It) || !f.is_any(k + 1, THIRD_VERBS));
        if (THIRD_PERSON.contains(&word) && !spanish_have && !italian_the) || lang_pronouns.contains(&word) {
            // "Il negozio resterà chiuso", "el despacho estará cerrado": before a place of
            // ours the word is an article (Italian "il", Spanish "el"), not French "il" or
            // Spanish "él". A possessive before the place makes it someone else's ("their
            // warehouse is closed until the 22nd", "your office").
            if own_place(f, k + 1) && !f.is_any(k, &["their", "his", "her", "your", "votre"]) {
                continue;
            }
            // German "Sie" with a capital inside a sentence is the polite "you" of a request
            // ("Kommen Sie im Frühjahr wieder auf uns zu"), not "she" or "they".
            let polite = word == "sie"
                && k > 0
                && sentences.get(k - 1) == Some(&sentence)
                && original.get(tok.o_start..tok.o_start + 1) == Some("S");
            if !polite {
                return true;
            }
            continue;
        }
        // "Entscheiden muss mein Chef, und der ist bis 3.11. im Urlaub", "mijn baas, die is
        // tot vrijdag weg": a German or Dutch demonstrative right before its verb stands for
        // someone named before (not a closed place of ours: "die ist geschlossen").
        if f.is_any(k, &["der", "die"]) && f.is_any(k + 1, THIRD_VERBS) && !closure {
            return true;
        }
        // A title and the person it names, or their role, before their verb: "Pani Nowak
        // przebywa na urlopie", "pan ředitel je mimo kancelář", "p. Kowalski, jest".
        if titled_person(f, k, at, lang) {
            return !mailbox_notice(f, at, sentences, lang, writer);
        }
        // Goods on their way: "the order is on a train until Friday", "your parcel is
        // travelling": a thing's journey, nobody's absence. Dutch and German put the verb
        // last, the goods right before their state ("zodra je pakket onderweg is").
        if f.is_any(k, GOODS) && (f.is_any(k + 1, THIRD_VERBS) || k + 1 == at) {
            return true;
        }
        // Turkish titles follow the name: "Elif Hanım izinde", "Ahmet Bey yurt dışında".
        // ("Merhaba Emre Bey," greets the reader: the comma after it closes the greeting.)
        if f.is_any(k, &["hanim", "bey"])
            && k > 0
            && written_capitalised(f, original, k - 1)
            && !f.is_punct(k + 1, b',')
        {
            return true;
        }
        // "<name>" of scrubbed mail, and an "@handle" ("@tomas is away until the 10th"): a
        // person named, never the writer.
        let placeholder = (word == "name" && k > 0 && f.is_punct(k - 1, b'<'))
            || (k > 0 && f.is_punct(k - 1, b'@') && f.glued(k) && !f.is_a_word(k.wrapping_sub(2)));
        let next = if placeholder && f.is_punct(k + 1, b'>') {
            k + 2
        } else {
            k + 1
        };
        // A capitalised noun after a possessive or an article is no name: "unser Team ist",
        // "das Büro ist" (German gives every noun a capital); the possessive is read next.
        // So is one after a German article or preposition: "Über Auffahrt bleibt unser Laden
        // zu", "wegen eines Trauerfalls bleibt die Werkstatt geschlossen".
        let determined = f.is_any(k.wrapping_sub(1), POSSESSIVES)
            || f.is_any(k.wrapping_sub(1), DETERMINERS)
            || f.is_any(k.wrapping_sub(1), GERMAN_BEFORE_NOUN)
            // "die von Ihnen angeschriebene Person ist": the person written to.
            || f.is_any(k.wrapping_sub(1), CONTACTED)
            // "die angeschriebene Person ist", "der zuständige Sachbearbeiter ist": an
            // adjective between them.
            || k > 1
                && f.is_any(k - 2, GERMAN_BEFORE_NOUN)
                && !written_capitalised(f, original, k - 1)
                && ["e", "en", "er"].iter().any(|end| f.word(k - 1).ends_with(end));
        // French "a" (has) is a verb in French only: the English article ("Taking a few days
        // off"), the Czech and Slovak "and" ("Dnes a zítra nejsem v kanceláři") and the
        // Romance preposition name nobody; a text too short to tell its language gets the
        // benefit of the doubt (DESIGN "Replies", point 7).
        // "Fernanda Castillo se encuentra de vacaciones", "Marco si trova in ferie": the
        // reflexive "to be found" of Spanish, Portuguese and Italian.
        let reflexive_be =
            f.is_any(next, &["se", "si"]) && f.is_any(next + 1, &["encuentra", "encontra", "trova", "halla"]);
        // "Mark's on leave until the 23rd": the name and its "is" in one word.
        // Not a feast named after someone: "St. Patrick's Day", "Valentine's Day", "New Year's Eve".
        let contracted_is = f.is_punct(next, b'\'')
            && f.glued(next)
            && f.is_word(next + 1, "s")
            && f.glued(next + 1)
            && !f.is_any(next + 2, &["day", "eve", "night"]);
        // Italian "è" folds to "e", which written without its accent is "and" in Italian and
        // Portuguese ("Associação Cultural e Recreativa").
        let and_not_is = f.is_word(next, "e")
            && f.toks
                .get(next)
                .and_then(|t| original.get(t.o_start..t.o_end))
                .is_some_and(|w| w == "e" || w == "E");
        // Finnish "on" is "is" ("Timo on isyysvapaalla"), English "on" a preposition.
        let finnish_is = f.is_word(next, "on") && lang == Some(Lang::Fi);
        // Turkish "Şu anda" (at the moment) is no "X anda" (X is about).
        let turkish_now = f.is_word(k, "su") && f.is_word(next, "anda");
        let article_a = f.is_word(next, "a") && lang != Some(Lang::Fr);
        let verb_next = (f.is_any(next, THIRD_VERBS) && !(article_a || and_not_is || turkish_now))
            || finnish_is
            || reflexive_be
            || contracted_is;
        if !closure
            && !determined
            && verb_next
            && (placeholder || capitalised_name(f, original, k, sentences))
            && !business_name(f, original, k)
        {
            // "Peter Smith is out of the office" from Peter Smith: the writer, in the third
            // person of an auto-reply.
            // A full name does so too, in a text that speaks of nobody as "I" ("Jane Doe
            // is out of the office until ..."); a first name alone is how a colleague is
            // spoken of ("Maria is on holiday until August").
            // So does a title before a scrubbed name ("Dr <name> is on leave").
            // "Pieter van Dongen", "Ana de la Cruz": the name's particles before its last word.
            let mut last = k;
            while !placeholder && last > 1 && f.is_any(last - 1, NAME_PARTICLES) {
                last -= 1;
            }
            // A title at token `j`, maybe with its dot there: before the name, or before its
            // first name too ("Frau Dr. Anna Berger").
            let titled = |j: usize| {
                f.is_any(j, TITLES) || (f.is_punct(j, b'.') && f.is_any(j.wrapping_sub(1), TITLES))
            };
            let full_name = if placeholder {
                titled(k.wrapping_sub(2))
            } else {
                // ("O Rafael está de férias", "La Giulia è in ferie": an article before a
                // first name, as Portuguese, Italian and Catalan speech put it, is no name.)
                // (Only opening its sentence: "Giovanni La Rosa" is a full name.)
                (last > 0
                    && capitalised_name(f, original, last - 1, sentences)
                    && !(f.is_any(last - 1, &["o", "a", "la", "il", "el", "lo", "l"])
                        && (last == 1
                            || !f.is_a_word(last - 2)
                            || sentences.get(last - 2) != sentences.get(last - 1))))
                    || titled(last.wrapping_sub(1))
                    || (last > 1 && titled(last - 2))
                    // an initial and the surname: "J. van Leeuwen", "A. Berger"
                    || (last > 1
                        && f.is_punct(last - 1, b'.')
                        && f.is_a_word(last - 2)
                        && f.word(last - 2).len() == 1
                        && written_capitalised(f, original, last - 2))
            };
            let own = writer.iter().any(|name| name == f.word(k));
            // "Maria is on holiday until 28/08 and your message will be read upon her
            // return": the reader's mail waits for the one away, the mailbox's owner.
            let waits = || waits_for_their_return(f);
            return !(own || (full_name || waits()) && mailbox_notice(f, at, sentences, lang, writer));
        }
    }
    false
}

/// The reader's message waits for a third person's return ("your message will be read upon
/// her return", "votre message sera traité à son retour", "Ihre Nachricht wird nach ihrer
/// Rückkehr bearbeitet"): that person owns the mailbox.
fn waits_for_their_return(f: &Folded) -> bool {
    static WAITS: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?x-u)\b(?:
            (?:your|the)\ (?:message|mail|e-?mail|enquiry|inquiry|request)\ will\ be\ (?:read|answered|dealt\ with|handled|processed|attended\ to|looked\ at|forwarded)\ (?:upon|on|after|when)\ (?:her|his|their)\ return
            | (?:votre|ton)\ (?:message|mail|courriel|e-?mail)\ sera\ (?:lu|traite|transmis)\ (?:a|des|apres)\ son\ retour
            | (?:ihre|deine)\ (?:nachricht|e-?mail|mail|anfrage)\ wird\ nach\ (?:ihrer|seiner)\ ruckkehr
            )\b",
        )
        .ok()
    });
    WAITS.as_ref().is_some_and(|re| re.is_match(&f.text))
}

/// The small words inside a surname ("van Dongen", "von Arx", "de la Cruz", "dos Santos").
const NAME_PARTICLES: &[&str] = &[
    "van", "von", "de", "der", "den", "ten", "ter", "da", "di", "du", "del", "della", "dos", "das", "zu",
    "la", "le",
];

/// Words of the writer as one person ("I", "my", "ich", "je", "yo", "io", "ik", "eu",
/// "jag", "jeg", "olen"): a text without any of them speaks for a mailbox or a house, not
/// for a person who might mention a colleague.
const FIRST_SINGULAR: &[&str] = &[
    "i", "ive", "im", "my", "me", "mine", "myself", "ich", "mein", "meine", "meinen", "mich", "mir", "je",
    "j", "moi", "mon", "mes", "yo", "mis", "estoy", "io", "mio", "mia", "mi", "ik", "mijn", "mij", "eu",
    "estou", "meu", "minha", "jestem", "jsem", "jag", "jeg", "mig", "meg", "olen", "oon", "ben", "benim",
    "posso", "puedo", "comigo", "conmigo", // the last two "with me": "pode falar comigo"
];

/// Verbs that carry the first person where the subject is left out: passing a message on
/// and standing in ("le paso tu correo", "le inoltro la mail", "nabídku jí předám",
/// "przekażę", "zastupuji"). A writer who says one is there, speaking as one person.
pub(crate) const PASSING_ON: &[&str] = &[
    "paso",
    "reenvio",
    "transmito",
    "inoltro",
    "giro",
    "encaminho",
    "transmets",
    "przekaze",
    "przesle",
    // Polish past of the first person ("przekazałam jej wiadomość"), and present
    "przekazalam",
    "przekazalem",
    "przekazuje",
    // Finnish "välitin viestisi hänelle" (I forwarded your message to them)
    "valitin",
    "valitan",
    "preposlu",
    "predam",
    "przejmuje",
    "zastepuje",
    "zastupuji",
];

/// Token `k` is a word of the writer as one person in one language and another word in the
/// text's: Italian "i" is "the" ("I messaggi non saranno inoltrati"), and so is it, or "and",
/// in every language but English; Czech "je" is "is"; German "im" is "in the" ("ist bis
/// Freitag im Urlaub").
pub(crate) fn foreign_homograph(f: &Folded, k: usize, lang: Option<Lang>) -> bool {
    (f.is_word(k, "i") && !matches!(lang, None | Some(Lang::En)))
        || (f.is_word(k, "je") && lang == Some(Lang::Cs))
        || (f.is_word(k, "im") && lang == Some(Lang::De))
}

/// "Dr Patel is on leave from 22/07 returning 05/08. Please direct all queries to ...": an
/// auto-reply in the third person, the mailbox owner's absence. The absence at `at` stands in
/// the text's first sentence (after at most a greeting of a few words) and no word of the
/// text is the writer as one person: someone who writes of a colleague's absence says what
/// they do about it ("Maria is away until May, so I will handle it"). Its cost decides the
/// doubt: read as someone else's, a notice stops the lead; a colleague's absence read as the
/// mailbox's only pauses it (DESIGN "Replies", point 7). A sender who signs with a person's
/// name (two words or more, none of them the one named) is that colleague: "Herr Schulz ist
/// diese Woche krank" from Katrin Wagner.
fn mailbox_notice(f: &Folded, at: usize, sentences: &[u32], lang: Option<Lang>, writer: &[String]) -> bool {
    let Some(&sentence) = sentences.get(at) else {
        return false;
    };
    // "Vielen Dank für Ihre Nachricht an Frau Dr. Lindner.": a sentence of thanks before the
    // notice is the template's, whatever its length.
    let thanks: Vec<u32> = (0..at)
        .filter(|&k| f.is_any(k, THANKS))
        .filter_map(|k| sentences.get(k).copied())
        .collect();
    let words_before = (0..at)
        // A title's dot ends no sentence of the writer's: "Frau Dr. Anna Berger ist ...".
        .filter(|&k| {
            sentences
                .get(k)
                .is_some_and(|s| *s != sentence && !thanks.contains(s))
                && f.is_a_word(k)
                && !f.is_any(k, TITLES)
        })
        .count();
    // Polish and Czech "ja", "já" (I), which in German is "yes".
    // An initial ("J. van Leeuwen") is no French "j'".
    let singular = |k: usize| {
        (f.is_any(k, FIRST_SINGULAR) || f.is_any(k, PASSING_ON) || f.is_any(k, SERVING))
            && !foreign_homograph(f, k, lang)
            && !(f.word(k).len() == 1 && f.is_punct(k + 1, b'.'))
            || (lang != Some(Lang::De) && f.is_word(k, "ja"))
    };
    writer.len() < 2 && words_before <= 6 && !(0..f.toks.len()).any(|k| f.is_a_word(k) && singular(k))
}

/// Verbs of the first person singular by which a colleague offers to help in the absent
/// person's place, their subject left out ("quedo a sus órdenes", "rimango a disposizione",
/// "fico à disposição", "le atiendo yo"): a person speaking, not a notice.
pub(crate) const SERVING: &[&str] = &[
    "quedo",
    "atiendo",
    "ayudo",
    "rimango",
    "aiuto",
    "fico",
    "ajudo",
    "helfe",
    // Polish "odpowiadam na jej korespondencję", "w czym mogę pomóc", Czech "s čím mohu
    // pomoci", "vyřizuji", Finnish "hoidan hänen asiakkaansa", "autan mielelläni"
    "odpowiadam",
    "moge",
    "pomoge",
    "mohu",
    "pomohu",
    "odpovidam",
    "vyrizuji",
    "hoidan",
    "autan",
];

/// Words of thanks that open a template's first sentence ("Thank you for your message",
/// "Vielen Dank für Ihre Nachricht", "Merci pour votre message", "Gracias por su correo").
const THANKS: &[&str] = &[
    "thank",
    "thanks",
    "danke",
    "dank",
    "dankeschon",
    "bedankt",
    "merci",
    "gracias",
    "grazie",
    "obrigado",
    "obrigada",
];

/// "Dr. Smith is on leave", "la Dra. Ruiz se encuentra fuera de la consulta", "Mr. drs. J. van
/// Leeuwen is afwezig": the absence at `at` is a titled person's, said in the third person in
/// a notice that is the mailbox's own (see [`mailbox_notice`]): the mailbox owner's absence.
pub fn titled_owner(f: &Folded, at: usize, sentences: &[u32], lang: Option<Lang>, writer: &[String]) -> bool {
    // The title's own dot may end a sentence ("Dr. Smith"): the title, its name and their verb
    // stand right before the absence, whatever the sentences.
    (at.saturating_sub(12)..at).any(|k| titled_person(f, k, at, lang))
        && mailbox_notice(f, at, sentences, lang, writer)
}

/// Someone writes on the mailbox owner's behalf: "I'm replying on behalf of Margaret", "le
/// escribo en nombre de", "je vous réponds de la part de", "schrijf namens".
static ON_BEHALF_RE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?x-u)\b(?:
        (?:reply|replying|write|writing|respond|responding|answer|answering)\ on\ behalf\ of
        | im\ (?:auftrag|namen)\ von
        | (?:ecris|repond\w*)\ (?:\w+\ ){0,2}(?:de\ la\ part|au\ nom)\ d
        | (?:escribo|respondo)\ (?:\w+\ ){0,2}(?:en\ nombre|de\ parte)\ de
        | (?:scrivo|rispondo)\ (?:\w+\ ){0,2}(?:a\ nome|per\ conto)\ d
        | (?:schrijf|antwoord)\ (?:\w+\ ){0,2}(?:namens|uit\ naam\ van)
        | namens\ (?:mevrouw|meneer|de\ heer|dhr|mevr|mw)\b
        | (?:escrevo|respondo)\ (?:\w+\ ){0,2}(?:em\ nome|da\ parte)\ d
        | (?:assistant|assistante|assistentin|assistent|asistente|assistente|secretary|secretaire
          |sekretarin|segretaria|secretaria|secretaresse|secretario|secretaris)
          \ (?:to|of|von|de|du|des|del|della|dello|di|van|da|do|dos)\b
        | \w+'\ ?s\ (?:personal\ |executive\ )?(?:assistant|secretary|pa)\b
        | pa\ to\ | (?:personal|executive)\ assistant\ to\b
        # on the owner's behalf, and looking after their mail
        | (?:\w+'\ ?s|his|her)\ behalf
        | (?:i'?\ ?m|i\ am|i'?\ ?ll\ be|i\ will\ be|we'?\ ?re|we\ are)\ (?:\w+\ )?
          (?:covering|monitoring|checking|handling|looking\ after|minding|answering|reading)
          \ (?:\w+'\ ?s|his|her)\ (?:inbox|mailbox|mails?|e-?mails?|correspondence)
        | beantwoord\ (?:de\ )?(?:e-?mails?|mail|berichten|post)\ van
        | (?:beantworte|betreue|bearbeite|lese)\ (?:die\ )?(?:e-?mails|post|nachrichten|korrespondenz)\ (?:von|fur)
        | (?:reponds|traite|gere|lis)\ (?:aux|les)\ (?:e-?mails|mails|courriels|messages)\ d
        | (?:respondo|atiendo|gestiono|reviso|leo)\ (?:a\ )?(?:los\ )?(?:correos|e-?mails|mensajes)\ de
        | (?:rispondo|gestisco|controllo|leggo)\ (?:alle\ |le\ )(?:mail|e-?mail|email|messaggi)\ d
        | (?:respondo|giro|verifico|acompanho|leio)\ (?:aos\ |os\ )(?:e-?mails|emails|mensagens)\ d
        # the German signature of someone signing for another: i. A.
        | (?:^|\s)i\.\ ?a\.(?:\s|$)
        )",
    )
    .ok()
});

/// A relative writes from the owner's mailbox: "this is Laura, Mark's wife", "je suis la
/// fille de M. Dubreuil", "sono la moglie dell'ing. Ferraris", "Sou filho do Sr. Wagner", "ik
/// ben de dochter van", "ich bin die Tochter von", "soy la hija de".
static RELATIVE_RE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?x-u)\b(?:
        \w+'\ ?s\ (?:wife|husband|son|daughter|partner|mother|father|sister|brother)\b
        | (?:i'?\ ?m|i\ am|this\ is)\ (?:\w+\ ){0,2}(?:the\ )?(?:wife|husband|son|daughter|partner|mother|father|sister|brother)\ of
        | ich\ bin\ (?:die|der)\ (?:frau|ehefrau|tochter|sohn|mann|ehemann|partnerin|partner|mutter|vater|schwester|bruder)\ von
        | je\ suis\ (?:la|le|l'?)\ ?(?:fille|fils|epouse|femme|mari|conjointe?|mere|pere|soeur|frere)\ d
        | soy\ (?:la|el)\ (?:hija|hijo|esposa|esposo|mujer|marido|madre|padre|hermana|hermano)\ de
        | sono\ (?:la|il|l'?)\ ?(?:moglie|marito|figlia|figlio|madre|padre|sorella|fratello)\ d
        | ik\ ben\ de\ (?:vrouw|man|echtgenote|echtgenoot|zoon|dochter|moeder|vader|zus|broer)\ van
        | sou\ (?:a\ |o\ )?(?:filha|filho|esposa|marido|mulher|mae|pai|irma|irmao)\ d
        )",
    )
    .ok()
});

/// Whether the text is written for the mailbox owner (see [`RELATIVE_RE`], [`ON_BEHALF_RE`]):
/// the absence it tells of, in the third person, is the owner's, not a colleague's told by
/// someone who is there. A relative always; someone writing on the owner's behalf only when
/// no sentence after it speaks of themselves ("le escribo en nombre de Julia Pons, que está
/// de baja; yo llevo sus pedidos" is a colleague who takes the work over).
pub fn on_behalf(f: &Folded) -> bool {
    if RELATIVE_RE.as_ref().is_some_and(|re| re.is_match(&f.text)) {
        return true;
    }
    // What the writer says after the marker; a signature's "i. A." or a role signing for an
    // office closes the text, which is all said before it.
    let from = match ON_BEHALF_RE.as_ref().and_then(|re| re.find(&f.text)) {
        Some(m) if !m.as_str().trim_start().starts_with("i.") => m.end(),
        Some(_) => 0,
        None if signed_by_office(f) => 0,
        None => return false,
    };
    let after = f.tok_at(from);
    let speaks = (after..f.toks.len())
        .any(|k| f.is_a_word(k) && (f.is_any(k, FIRST_SINGULAR) || f.is_any(k, SERVING)));
    // The writer who speaks of themselves only to relay for the owner ("I will pass your
    // message on to him on his return", "ich leite Ihre Anfrage an ihn weiter") still answers
    // for the owner; one who takes the matter over ("I'm handling his accounts meanwhile")
    // is a colleague.
    let rest = &f.text[from..];
    !speaks
        || (RELAYS_RE.as_ref().is_some_and(|re| re.is_match(rest))
            && !TAKES_OVER_RE.as_ref().is_some_and(|re| re.is_match(rest)))
}

/// Offices that answer a mailbox for the people behind it and sign for themselves: a
/// switchboard, a secretariat, a reception ("Sekretariat", "Marit, sentralbord", "Växeln",
/// "Segreteria"). Folded.
const ANSWERING_OFFICES: &[&str] = &[
    "switchboard",
    "secretariat",
    "sekretariat",
    "sekretariatet",
    "secretariaat",
    "secretariado",
    "segreteria",
    "sentralbord",
    "sentralbordet",
    "vaxeln",
    "omstillingen",
    "reception",
    "receptionen",
    "recepcja",
    "recepce",
    "centralino",
    "centralita",
    "accueil",
    "recepcao",
    "recepcion",
    "rezeption",
    "receptionist",
    "recepcionista",
    "receptionniste",
    // an assistant signing: "Anna Zielińska, asystentka zarządu", "Jana Svobodová, asistentka"
    "assistant",
    "assistante",
    "assistentin",
    "assistente",
    "asistente",
    "asystentka",
    "asystent",
    "asistentka",
    "asistent",
];

/// The reply is signed by an office that answers for others, or opens with it (see
/// [`ANSWERING_OFFICES`]; "Aqui é a recepção da Construtora"): one of its last or first eight
/// words names it.
fn signed_by_office(f: &Folded) -> bool {
    let words = || (0..f.toks.len()).filter(|&k| f.is_a_word(k));
    words().rev().take(8).any(|k| f.is_any(k, ANSWERING_OFFICES))
        || words().take(8).any(|k| f.is_any(k, ANSWERING_OFFICES))
}

/// Whoever answers for the owner relays to them: passes the message on ("I'll forward it to
/// her", "ich leite Ihre Anfrage an ihn weiter", "je lui transmettrai", "se lo paso", "glielo
/// inoltro", "ik geef het aan hem door") or holds it for their return ("on his return", "when
/// she's back", "nach seiner Rückkehr", "à son retour", "a su regreso", "al suo rientro", "na
/// haar terugkomst", "no seu regresso").
static RELAYS_RE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?x-u)\b(?:
        (?:pass|passing|forward|forwarding|send|sending|give|giving|hand|handing)\ (?:\w+\ ){0,3}(?:on\ )?to\ (?:him|her)\b
        | make\ sure\ (?:he|she)\ (?:sees|gets|receives)
        | (?:leite|gebe|reiche)\ (?:\w+\ ){0,4}an\ (?:ihn|sie)\ weiter
        | (?:lui|leur)\ (?:transmet\w*|fais\ suivre|ferai\ suivre|remet\w*)
        | (?:se\ lo|se\ la|le)\ (?:paso|pasare|reenvio|reenviare|hare\ llegar|transmito|transmitire)\b
        | (?:glielo|gliela|gli|le)\ (?:inoltro|inoltrero|giro|girero|passo|passero|faro\ avere|trasmetto|trasmettero)\b
        | (?:geef|stuur)\ (?:\w+\ ){0,4}(?:aan\ )?(?:hem|haar)\ door
        | (?:encaminho|encaminharei|repasso|repassarei|transmito|transmitirei)\ (?:\w+\ ){0,3}(?:para\ |a\ )?(?:ele|ela)\b
        | (?:his|her)\ return\b
        | (?:when|once|as\ soon\ as)\ (?:he|she)(?:'?\ ?s|\ is|\ gets|\ comes|\ returns|\ will\ be)\b
        | (?:seiner|ihrer)\ (?:ruckkehr|wiederkehr)
        | (?:sobald|wenn)\ (?:er|sie)\ (?:wieder\ )?(?:da|zuruck|im\ buro)\b
        | (?:son|sa)\ (?:retour|reprise)
        | (?:des\ qu|lorsqu|quand)\ (?:il|elle)\ (?:sera|reviendra|rentrera)
        | su\ (?:regreso|vuelta|retorno|reincorporacion)
        | (?:cuando|en\ cuanto)\ (?:vuelva|regrese|se\ reincorpore)
        | (?:suo|sua)\ (?:rientro|ritorno)
        | (?:quando|appena)\ (?:rientra|rientrera|tornera|sara\ di\ nuovo)
        | (?:zijn|haar)\ (?:terugkomst|terugkeer)
        | (?:zodra|wanneer)\ (?:hij|zij|ze)\ (?:terug|weer)\b
        | (?:seu|sua)\ (?:regresso|retorno|volta)
        | (?:quando|assim\ que)\ (?:ele|ela)\ (?:regressar|voltar|retornar)
        | po\ (?:jej|jego)\ powrocie | (?:przekaze|przekazalam|przekazalem|przesle)\ (?:\w+\ ){0,2}(?:jej|jemu|mu|pani|panu)\b
        | po\ (?:jeho|jejim)\ navratu | (?:predam|predala\ jsem|predal\ jsem)\ (?:\w+\ ){0,2}(?:mu|ji|jemu)\b
        | (?:mu|ji|jemu)\ (?:predam|predala\ jsem|predal\ jsem)\b
        | (?:ferai|fais|ferons)\ suivre\ (?:votre|vos|le|les)\ (?:message|courriel|mail|e-?mail|demande)
        | (?:nar|naar)\ (?:han|hon|hun)\ (?:ar|er)\ (?:tillbaka|tilbake|tilbage)\b
        | (?:vid|ved)\ (?:hans|hennes|hendes)\ (?:aterkomst|hjemkomst|retur|tilbakekomst)
        | (?:videresendt|videresender|vidaresendt|vidarebefordrat|vidarebefordrar|skickat\ vidare|skickar\ vidare|sendt\ videre|sender\ videre)\b
        | valitan\ (?:\w+\ ){0,2}hanelle | hanen\ palattuaan
        # a message passed on with no one named, said by whoever answers for the owner
        | (?:forwarded|passed\ on|passed\ along|(?:will|'ll|shall)\ forward|(?:will|'ll|shall)\ pass\ on)\ your\ (?:e-?mail|message|note|enquiry|inquiry|request|mail)
        | (?:habe|hab)\ ihre\ (?:nachricht|anfrage|e-?mail|mail)\ (?:an\ \w+\ )?weitergeleitet
        )",
    )
    .ok()
});

/// A writer who takes the owner's matters over while they are away: "I'm handling", "I'll
/// take care of", "I can help", "ich übernehme", "ich vertrete", "je m'occupe", "je
/// remplace", "me encargo", "mi occupo", "ik neem ... over", "eu cuido".
static TAKES_OVER_RE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?x-u)\b(?:
        i(?:'?\ ?m|\ am|'?\ ?ll|\ will)\ (?:be\ )?(?:handling|handle|looking\ after|look\ after
            |taking\ care|take\ care|dealing|deal|in\ charge|taking\ over|take\ over|standing\ in)\b
        | i\ can\ help
        | ich\ (?:ubernehme|vertrete|kummere|bearbeite|betreue)\b
        | je\ (?:m'?\ ?occupe|remplace|gere|prends\ en\ charge|traite)\b
        | (?:me\ encargo|me\ ocupo|llevo|sustituyo|gestiono)\b
        | (?:mi\ occupo|sostituisco|gestisco|seguo\ io)\b
        | ik\ (?:neem|vervang|behandel|beheer)\b
        | (?:eu\ )?(?:cuido|substituo|trato\ d)\b
        )",
    )
    .ok()
});

/// The first titled person named as a subject in a notice that is the mailbox's own ("Maître
/// Delacroix plaide à Lyon toute la semaine.", "A Dra. Fernanda está em cirurgia hoje"): the
/// mailbox owner, whatever their sentence says they do (see [`owner_pronoun`]).
pub fn titled_subject(f: &Folded, sentences: &[u32], lang: Option<Lang>, writer: &[String]) -> Option<usize> {
    let last = f.toks.len().checked_sub(1)?;
    (0..f.toks.len()).find(|&k| {
        f.is_any(k, TITLES)
            && titled_person(f, k, (k + 8).min(last), lang)
            && mailbox_notice(f, k, sentences, lang, writer)
    })
}

/// Pronouns of one person in the third person, which refer back to a titled person named
/// before them ("she", "sie", "elle", "ella", "lei", "zij", "ela" and their masculines).
const OWNER_PRONOUNS: &[&str] = &[
    "she", "he", "sie", "er", "elle", "il", "ella", "lei", "lui", "zij", "hij", "ze", "ela", "ele",
];

/// The absence at `at` is said of the writer by name ("Jessica is on maternity leave", in a
/// notice from Jessica's mailbox): one of the writer's own names (`writer`, folded),
/// capitalised, stands before it in its sentence. A pronoun after it stands for the writer
/// (see [`owner_pronoun`]).
pub fn named_writer(f: &Folded, at: usize, sentences: &[u32], writer: &[String]) -> bool {
    let Some(&sentence) = sentences.get(at) else {
        return false;
    };
    !writer.is_empty()
        && (0..at)
            .rev()
            .take_while(|&k| sentences.get(k) == Some(&sentence))
            .any(|k| f.toks.get(k).is_some_and(|t| t.upper) && writer.iter().any(|name| name == f.word(k)))
}

/// The cue at `at` is said of a pronoun that stands for the titled mailbox owner whose
/// absence (at `owner`, see [`titled_owner`]) a sentence before named: "Frau Schneider ist
/// derzeit erkrankt. Ab dem 30.03. ist sie wieder im Dienst", "Dr. Smith is on sick leave.
/// She will be back on 30 March". German "Sie" with its capital inside a sentence is the
/// reader ("melden Sie sich").
pub fn owner_pronoun(f: &Folded, owner: usize, at: usize, sentences: &[u32]) -> bool {
    let (Some(&own), Some(&sentence)) = (sentences.get(owner), sentences.get(at)) else {
        return false;
    };
    if sentence <= own {
        return false;
    }
    let start = (0..at)
        .rev()
        .take_while(|&k| sentences.get(k) == Some(&sentence))
        .last()
        .unwrap_or(at);
    // Italian, Spanish and Portuguese leave the pronoun out: a sentence that opens with a
    // verb of the third person ("Sarà nuovamente disponibile da venerdì") speaks of the same.
    let verb_first = f.is_any(start, THIRD_VERBS) && !(start + 1..at).any(|j| possessive(f, j));
    verb_first
        || (start..at).any(|k| {
            f.is_any(k, OWNER_PRONOUNS)
                && !(f.is_word(k, "sie") && f.toks.get(k).is_some_and(|t| t.upper) && k != start)
                && !(k + 1..at).any(|j| f.is_any(j, OWNER_PRONOUNS) || possessive(f, j))
        })
}

/// Token `k` names a place or thing of the writer's own ("office", "Praxis", "kontoret",
/// "blog"): closed or paused, it is the writer's absence.
pub fn own_place(f: &Folded, k: usize) -> bool {
    f.is_a_word(k) && (f.is_any(k, OWN_PLACES) || team_compound(f.word(k)))
}

/// A compound that ends in "team" ("Kernteam", "Supportteam", "projectteam"): German, Dutch
/// and the Nordic languages write the kind of team into one word.
fn team_compound(word: &str) -> bool {
    word.len() >= 7 && (word.ends_with("team") || word.ends_with("teams"))
}

/// The first-person word at `k` speaks of the writer: not a possessive ("my colleague"), and
/// an "i" only as English "I" (see [`small_i`]).
pub fn speaks_as_writer(f: &Folded, k: usize) -> bool {
    !possessive(f, k) && !small_i(f, k)
}

/// Token `k` is an "i" in lower case: Nordic, Polish and Czech "in" or "and", not English
/// "I", which has its capital.
fn small_i(f: &Folded, k: usize) -> bool {
    f.is_word(k, "i") && f.toks.get(k).is_some_and(|t| !t.upper)
}

/// Token `k` is a word of the first person singular ("I", "ich", "je", "ik", "jag").
pub fn first_singular(f: &Folded, k: usize) -> bool {
    f.is_a_word(k) && f.is_any(k, FIRST_SINGULAR)
}

/// Token `k` is a first-person word (a pronoun, or a verb form that carries the first person).
pub fn first_person(f: &Folded, k: usize) -> bool {
    f.toks.get(k).is_some_and(|t| t.kind == Kind::Word) && FIRST_PERSON_SET.contains(f.word(k))
}

/// "... and not sure when I'll be back", "weiß nicht, wann ich zurück bin": the cue at `at`
/// doubts a return said in the first person inside it, whoever the clause before it names
/// ("I'm with her and not sure when I'll be back").
pub fn doubted_return(f: &Folded, at: usize) -> bool {
    (at..at + 5).any(|k| {
        f.is_any(
            k,
            &[
                "when", "wann", "quand", "cuando", "quando", "wanneer", "kiedy", "kdy", "nar", "hvornar",
            ],
        ) && (k + 1..k + 3).any(|j| first_person(f, j))
    })
}

/// Token `k` is a possessive of the first person ("my", "meine", "mon"), which opens someone
/// else's subject before a person ("my colleague is away").
pub fn possessive(f: &Folded, k: usize) -> bool {
    f.is_any(k, POSSESSIVES)
}

/// [`FIRST_PERSON`] as a set: asked of most words of a reply, the list grew too long to
/// walk.
static FIRST_PERSON_SET: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| FIRST_PERSON.iter().copied().collect());

/// Whether the sentence holding token `at` is a question ("Are you back on Monday?", "when do
/// you come home?"): an absence asked about is nobody's announced absence.
pub fn question(f: &Folded, at: usize, sentences: &[u32]) -> bool {
    let Some(&sentence) = sentences.get(at) else {
        return false;
    };
    // The clause of the cue: "I'm away until the 14th, can we pick this up then?" asks
    // about something else.
    let end = (at..f.toks.len())
        .take_while(|&k| sentences.get(k) == Some(&sentence))
        .find(|&k| f.is_punct(k, b',') || f.is_punct(k, b'?'))
        .unwrap_or(at);
    // "regreso el lunes 11 y te escribo, va?", "volto quarta, blz?": a tag asks for a nod to
    // a statement, it asks nothing.
    f.is_punct(end, b'?') && !(end > at + 1 && f.is_any(end - 1, QUESTION_TAGS))
}

/// Words that turn a statement into a request for a nod: "ok?", "va?", "vale?", "blz?",
/// "né?", "oder?", "right?", "hein?", "d'accord?".
const QUESTION_TAGS: &[&str] = &[
    "ok", "okay", "okey", "va", "vale", "blz", "beleza", "ne", "oder", "right", "eh", "hein", "accord",
    "dai", "vero", "si", "sim", "ja", "nao", "no", "non", "ta",
];

/// The capitalised name ending at token `k` is a business of the writer's: it holds a place
/// word ("Northfield Yoga Studio is closed", "A Clínica Veterinária do Lumiar estará
/// encerrada", "Bäckerei Hansen Praxis ist geschlossen"), not a person.
fn business_name(f: &Folded, original: &str, k: usize) -> bool {
    let mut n = k;
    for _ in 0..6 {
        if own_place(f, n) {
            return true;
        }
        let Some(prev) = n.checked_sub(1) else { break };
        let joins = f.is_any(prev, NAME_JOINS);
        if !(written_capitalised(f, original, prev) || joins) {
            break;
        }
        n = prev;
    }
    false
}

/// Token `k` is written with a capital and is not the first word of its sentence (nor "I").
fn capitalised_name(f: &Folded, original: &str, k: usize, sentences: &[u32]) -> bool {
    let Some(tok) = f.toks.get(k) else { return false };
    let first_of_sentence = k == 0 || sentences.get(k - 1) != sentences.get(k) || tok.para;
    // At the start of a sentence every word has a capital: there, only a word that is no
    // common sentence opener can be a name ("Paula is on holiday", not "This is").
    written_capitalised(f, original, k) && f.word(k) != "i" && (!first_of_sentence || !f.is_any(k, OPENERS))
}

/// Token `k` begins with a capital letter as the writer wrote it (the folded text has none).
pub(crate) fn written_capitalised(f: &Folded, original: &str, k: usize) -> bool {
    f.toks
        .get(k)
        .and_then(|tok| original.get(tok.o_start..tok.o_end))
        .and_then(|w| w.chars().next())
        .is_some_and(char::is_uppercase)
}

/// Articles and demonstratives that never come before a person's name: what follows one is a thing or a role
/// ("das Team", "het kantoor"). Not "der", "la", "o": "der Peter", "la Maria", "o João" are
/// names in speech.
const DETERMINERS: &[&str] = &[
    "the", "das", "het",
    // demonstratives: "Guten Tag, dieses Postfach wird ...", "Hi, this Inbox is ..."
    "this", "that", "dieses", "diese", "dieser", "diesen", "jenes", "ce", "cet", "cette", "questo", "questa",
    "este", "esta", "esse", "essa", "deze", "dit", "dat",
];

/// Words that join the parts of a business's name ("Junta de Freguesia", "Bank of Ireland",
/// "Praxis von Weber", "Associação Cultural e Recreativa", "Müller und Söhne").
pub(crate) const NAME_JOINS: &[&str] = &[
    "de", "do", "da", "di", "del", "della", "von", "van", "der", "of", "&", "e", "y", "et", "and", "und",
    "en", "og", "och",
];

/// German articles and prepositions that come before a noun, not before a name.
const GERMAN_BEFORE_NOUN: &[&str] = &[
    "der", "die", "dem", "den", "des", "eines", "einer", "einem", "uber", "wegen", "zum", "zur", "wahrend",
    "im", "am", "vom", "beim",
];

/// Titles that introduce a name after a noun: "meine Kollegin Frau Meier", "mon collègue M.
/// Dupont".
const TITLES: &[&str] = &[
    "frau", "herr", "dr", "mr", "mrs", "ms", "mme", "madame", "monsieur", "m", "sr", "sra", "senor",
    "senora", "sig", "sigra", "signora", "signor", "dott", "dottssa", "mevrouw", "meneer", "dhr", "mevr",
    "prof", "drs", "ir", "ing", "mag", "dipl", "lic", "dra", "ldo", "lda", "eng", "arq", "avv", "arch",
    "geom", "rag", "maitre",
];

/// Spanish and Portuguese verbs of the third person that open a relative clause about a named
/// person ("Marta, que está de vacaciones", "o Rui, que estará fora"); not "que estoy".
const THIRD_PERSON_BE: &[&str] = &[
    "esta", "estara", "estaba", "estava", "se", "anda", "regresa", "vuelve", "volta", "retorna", "sera",
];

/// "Sam who normally handles our procurement is on holiday", "forwarding this to Lindiwe,
/// who's back on Monday": the cue's clause is a relative clause about a person named just
/// before its "who" (English), with no "I" or "we" of the writer's between them and the cue.
fn relative_clause_subject(
    f: &Folded,
    original: &str,
    at: usize,
    sentences: &[u32],
    lang: Option<Lang>,
) -> bool {
    let sentence = sentences.get(at);
    let mut first_person = false;
    for k in (at.saturating_sub(3 * REACH)..at).rev() {
        // Czech "je" is "is" ("kolega Horák, který ..., je na dovolené"), French "je" is "I".
        let french_i = f.is_word(k, "je") && lang != Some(Lang::Cs);
        // ("er i foreldrepermisjon": see `small_i`.)
        let english_i = f.is_word(k, "i") && !small_i(f, k);
        if sentences.get(k) != sentence
            || french_i
            || english_i
            || f.is_any(k, &["we", "ive", "weve", "im", "io", "ich", "ik", "yo"])
        {
            return false;
        }
        // ... and its relative pronoun in the other languages: "alla collega Federica Neri,
        // che rientra il 3 marzo", "Herr Keller, der bis Montag im Urlaub ist".
        // Those after a comma only ("den Rest der Woche" holds an article, not a clause).
        // French "qui" is a relative pronoun wherever it stands ("je transmets au DG qui est
        // en mission jusqu'au 20").
        // Polish and Czech relative pronouns, by their cases ("pani Monika, która odpowiada
        // za marketing, jest na urlopie", "kolega Horák, kterému byl e-mail určen, je na
        // dovolené"); Spanish and Portuguese "que" and Finnish "joka" as an apposition closed
        // by its comma ("a Sofia, que trata das compras, está de férias"): "Hola Pedro, que
        // tal" is a greeting. Nordic "som" right after the name ("Mikael som du sökte har
        // semester").
        // These need the verb after them to be no first person's: "Hola Pedro, que gusto
        // saludarte, estoy de vacaciones", "Hej Anna, som vanligt har jag semester".
        let after_comma = f.is_punct(k.wrapping_sub(1), b',');
        let relative = f.is_any(k, &["who", "qui"])
            || (f.is_any(k, &["che", "quien", "der", "die", "wie"]) && after_comma)
            || !first_person
                && ((f.is_any(k, SLAVIC_RELATIVES) && after_comma)
                    || (f.is_any(k, &["que", "joka", "jonka", "jota"])
                        && after_comma
                        && (k + 1..at).any(|j| f.is_punct(j, b',')))
                    || (f.is_word(k, "som")
                        && k > 0
                        && (capitalised_name(f, original, k - 1, sentences)
                            || after_comma && k >= 2 && capitalised_name(f, original, k - 2, sentences)))
                    // "en nombre de Marta Ruiz, que está de vacaciones": "que" after a name and
                    // its comma, before a verb of the third person
                    || (f.is_word(k, "que")
                        && after_comma
                        && k >= 2
                        && capitalised_name(f, original, k - 2, sentences)
                        && f.is_any(k + 1, THIRD_PERSON_BE)));
        // (Slovak "som" is "I am": the word itself is read as a relative first. Czech "je" is
        // "is", "má" "has"; French "ma" is "my".)
        let homograph = f.is_word(k, "je") && lang == Some(Lang::Cs)
            || f.is_word(k, "ma") && lang != Some(Lang::Fr)
            || small_i(f, k);
        if f.is_a_word(k) && FIRST_PERSON_SET.contains(f.word(k)) && !homograph {
            first_person = true;
        }
        if relative {
            // "contact Rahul Iyer (rahul@example.in), who is himself travelling": the name
            // before its bracket.
            let mut n = k.checked_sub(1 + usize::from(f.is_punct(k.wrapping_sub(1), b',')));
            if let Some(close) = n.filter(|&j| f.is_punct(j, b')')) {
                n = (close.saturating_sub(12)..close)
                    .rev()
                    .find(|&j| f.is_punct(j, b'('))
                    .and_then(|open| open.checked_sub(1));
            }
            // French "au directeur qui", "à ma collègue qui": a noun with its determiner.
            // English "our IT manager, who's back on Monday", "my colleague who handles this":
            // a person's noun with a possessive or an article, a word or two before.
            let determined = |n: usize| {
                let french = f.is_word(k, "qui")
                    && f.is_a_word(n)
                    && f.is_any(
                        n.wrapping_sub(1),
                        &[
                            "au", "aux", "le", "la", "les", "mon", "ma", "mes", "notre", "nos", "du", "un",
                            "une",
                        ],
                    );
                let english = f.is_word(k, "who")
                    && f.is_a_word(n)
                    && (n.saturating_sub(2)..n).any(|d| f.is_any(d, &["our", "my", "the", "your", "his", "her", "their"]))
                    // not the writer's own ("I'm the one who is away until Monday")
                    && !(n.saturating_sub(4)..n).any(|d| f.is_any(d, &["i", "im", "m", "am"]));
                french || english
            };
            return n.is_some_and(|n| capitalised_name(f, original, n, sentences) || determined(n));
        }
    }
    false
}

/// A Japanese clause whose topic is a colleague: "担当の佐藤は5月7日まで出張", "弊社の伊藤は
/// 休暇のため", "田中さんは不在", "店長は休暇中": a person of the company, a name with its
/// honorific or a role before "は" or "が" ("部長の木村が来週いっぱい夏季休暇"), and no "私" (I)
/// after it. "弊社は休業" (the company itself) is the writer's.
static JAPANESE_THIRD_PARTY: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?:(?:担当|同僚|上司|弊社|当社|部長|課長|営業|社長)の[^、。はのが私]{1,8}|[^、。はのが私]{1,8}(?:さん|様|氏)|店長|社長|部長|課長|係長|主任|担当者|担当|上司|同僚|院長|所長|先生)[はが][^。私]*$").ok()
});

/// Whether the Japanese sentence of token `at`, up to it, has a colleague for its topic or
/// subject (see [`JAPANESE_THIRD_PARTY`]): Japanese names no subject otherwise, and the
/// English and Romance reading of pronouns and names finds nothing there.
pub(crate) fn japanese_third_party(f: &Folded, original: &str, at: usize, sentences: &[u32]) -> bool {
    let Some(tok) = f.toks.get(at) else { return false };
    let sentence = sentences.get(at);
    let start = (0..at)
        .rev()
        .take_while(|&k| sentences.get(k) == sentence)
        .last()
        .and_then(|k| f.toks.get(k))
        .map_or(tok.o_start, |t| t.o_start);
    let Some(clause) = original.get(start..tok.o_start) else {
        return false;
    };
    // Only a Japanese clause: the cheap test first.
    (clause.contains('は') || clause.contains('が'))
        && (JAPANESE_THIRD_PARTY
            .as_ref()
            .is_some_and(|re| re.is_match(clause))
            || japanese_stand_in(clause, original.get(tok.o_start..).unwrap_or("")))
        || (CJK_THIRD_PARTY.as_ref().is_some_and(|re| re.is_match(clause))
            && !["我", "저는", "제가", "나는", "내가"]
                .iter()
                .any(|i| clause.contains(i)))
}

/// A surname alone as the topic ("山田は", "田中は": the company speaks of its own people
/// without an honorific), which the words of a stand-in later in the text make a colleague:
/// "代わりに私、佐藤がご用件を承ります", "不在中は私が対応いたします". Without them the bare
/// topic may be the day or the house ("本日は", "当店は").
static JAPANESE_BARE_TOPIC: std::sync::LazyLock<Option<regex::Regex>> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"^\s*(\p{Han}{1,3})は").ok());

/// The writer stands in for someone: "代わりに", "代理", "不在中は" with "私" (I) after it.
static JAPANESE_STAND_IN: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?:代わりに|代理|不在中は|不在の間は)[^。]{0,12}私[^。]*").ok()
});

/// Words written in kanji alone that open a notice's topic and name no person: days, the
/// house, its seasons.
const JAPANESE_NOT_NAMES: &[&str] = &[
    "本日",
    "今日",
    "明日",
    "明後日",
    "当店",
    "弊社",
    "当社",
    "当院",
    "当館",
    "店舗",
    "会社",
    "私",
    "今週",
    "来週",
    "今月",
    "来月",
    "期間",
    "営業",
    "休暇",
    "休業",
    "年末",
    "年始",
    "夏季",
    "冬季",
    "土日",
    "祝日",
    "週末",
    "午後",
    "午前",
];

/// The writer says "I" standing in for someone (see [`JAPANESE_STAND_IN`]): a colleague there
/// and speaking, as "I handle her mail" is.
pub(crate) fn japanese_stands_in(text: &str) -> bool {
    text.contains('私') && JAPANESE_STAND_IN.as_ref().is_some_and(|re| re.is_match(text))
}

/// Whether byte `at` of `text` lies in the writer's words of standing in ("不在中は私が対応"):
/// the absence named there is the one the writer covers, not theirs.
pub(crate) fn in_japanese_stand_in(text: &str, at: usize) -> bool {
    JAPANESE_STAND_IN
        .as_ref()
        .is_some_and(|re| re.find_iter(text).any(|m| m.range().contains(&at)))
}

/// The clause's topic is a bare surname and the rest of the text (`after`) has the writer
/// standing in for them (see [`JAPANESE_BARE_TOPIC`], [`JAPANESE_STAND_IN`]).
fn japanese_stand_in(clause: &str, after: &str) -> bool {
    JAPANESE_BARE_TOPIC
        .as_ref()
        .and_then(|re| re.captures(clause))
        .and_then(|c| c.get(1))
        .is_some_and(|name| !JAPANESE_NOT_NAMES.contains(&name.as_str()))
        && JAPANESE_STAND_IN.as_ref().is_some_and(|re| re.is_match(after))
}

/// The Chinese and Korean forms of [`JAPANESE_THIRD_PARTY`]: a colleague by role or title,
/// maybe after a surname, opening the sentence's topic, which holds across its commas
/// ("李经理这周休假，下周一回来", "김 과장님은 추석 연휴 끝나고 복귀"); the caller checks that
/// no "I" follows.
static CJK_THIRD_PARTY: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?:^|[，,。\s])[\p{Han}]{0,2}(?:经理|經理|总监|總監|主任|主管|老师|老師|同事|老板|老闆|总|總)[^。.]*$|[\p{Hangul}]{0,4}\s?(?:과장|부장|팀장|대리|차장|실장|대표|이사|사장|선생)님?(?:은|는|이|가|께서)[^。.]*$",
    )
    .ok()
});

/// Token `n` is the dot of an abbreviated title ("M.", "Dott.ssa", "p.").
fn title_dot(f: &Folded, n: usize) -> bool {
    f.is_punct(n, b'.') && n > 0 && (f.is_any(n - 1, TITLES) || f.is_any(n - 1, SLAVIC_TITLES))
}

/// Polish and Czech titles of address ("pan", "pani", "paní", "p."), read only in those
/// languages or a text too short to tell ("pan" is bread in Spanish).
const SLAVIC_TITLES: &[&str] = &[
    "pan",
    "pani",
    "panu",
    "pana",
    "p",
    // a colleague named with the word: "kolega Novák je do 15. 6. na dovolené", "koleżanka
    // Anna jest na urlopie"
    "kolega",
    "kolegyne",
    "kolezanka",
];

/// Token `k` is a title that begins a third person's subject: the title, at most three
/// words of name or role (with the title's dot, "Dott.ssa", and an apposition's commas),
/// then a third-person verb, all before the cue at `at`. A title in a greeting ("Sehr
/// geehrter Herr Weber, bis 5. Mai nicht im Büro") is followed by no verb and names no
/// subject.
fn titled_person(f: &Folded, k: usize, at: usize, lang: Option<Lang>) -> bool {
    let slavic_text = matches!(lang, None | Some(Lang::Pl | Lang::Cs));
    let slavic = slavic_text && f.is_any(k, SLAVIC_TITLES);
    if !(f.is_a_word(k) && (f.is_any(k, TITLES) || slavic)) {
        return false;
    }
    // A one-letter title is one with its dot ("M. Garnier", "p. Kowalski"): "I'm" is no
    // "M.".
    if f.word(k).len() == 1 && !(f.is_punct(k + 1, b'.') && f.glued(k + 1))
        || f.glued(k) && f.is_punct(k.wrapping_sub(1), b'\'')
    {
        return false;
    }
    let mut words = 0;
    for n in k + 1..=at.min(k + 8) {
        // French "a" (has) only in French: the English article is no verb.
        // "la Lic. Castillo se encuentra", "il Dott. Rossi si trova": the reflexive "is".
        let verb = f.is_any(n, THIRD_VERBS) && (!f.is_word(n, "a") || lang == Some(Lang::Fr))
            || f.is_any(n, &["se", "si"]) && f.is_any(n + 1, &["encuentra", "encontra", "trova", "halla"])
            // Portuguese puts it after: "o Eng. Tavares encontra-se de baixa"
            || f.is_word(n, "encontra") && f.is_punct(n + 1, b'-') && f.is_word(n + 2, "se");
        if verb || f.is_any(n, SLAVIC_VERBS) && slavic_text {
            return words > 0;
        }
        // An initial's dot ("J. van Leeuwen") is the name's too.
        let initial_dot = f.is_punct(n, b'.') && f.is_a_word(n - 1) && f.word(n - 1).len() == 1;
        if f.is_punct(n, b',') || f.is_punct(n, b'.') && n == k + 1 || title_dot(f, n) || initial_dot {
            continue;
        }
        // "Dott.ssa": the ending after the dot belongs to the title.
        if n == k + 2 && f.is_punct(k + 1, b'.') && f.glued(n) {
            continue;
        }
        if !f.is_a_word(n) || f.is_any(n, FIRST_PERSON) {
            return false;
        }
        // "Mr. drs. J. van Leeuwen": a further title, an initial and a name's particle are
        // parts of the name, not more of its words.
        let initial = f.word(n).len() == 1 && f.is_punct(n + 1, b'.') && f.glued(n + 1);
        if !(initial || f.is_any(n, TITLES) || f.is_any(n, NAME_PARTICLES) && words > 0) {
            words += 1;
        }
        if words > 3 {
            return false;
        }
    }
    false
}

/// Nouns of a colleague's role, the last word of a role of two ("general manager", "sales
/// director", "direkter Vorgesetzter").
const ROLE_NOUNS: &[&str] = &[
    "manager",
    "director",
    "boss",
    "colleague",
    "assistant",
    "buyer",
    "head",
    "lead",
    "owner",
    "partner",
    "ceo",
    "cfo",
    "cto",
    "coo",
    "president",
    "officer",
    "engineer",
    "coordinator",
    "supervisor",
    "contact",
    "vorgesetzter",
    "vorgesetzte",
    "kollege",
    "kollegin",
    "chef",
    "chefin",
    "leiter",
    "leiterin",
];

/// Polish and Czech relative pronouns ("który", "która", "kterému" ...), folded.
const SLAVIC_RELATIVES: &[&str] = &[
    "ktory", "ktora", "ktore", "ktorego", "ktorej", "ktoremu", "ktorym", "ktery", "ktera", "ktere",
    "ktereho", "kteremu", "kterou", "kterym",
];

/// Polish and Czech verbs of a third person's stay or return ("przebywa", "wraca", "będzie",
/// "bude", "vrací"); their "is" ("jest", "je") is in [`THIRD_VERBS`].
const SLAVIC_VERBS: &[&str] = &["przebywa", "wraca", "bedzie", "bude", "vraci"];

/// Whether the word at `n`, between a person noun and its verb, is part of the name apposed
/// to it: a title, or a capitalised word (in German, where every noun has a capital, only
/// after a title, which `n` then is or follows).
fn apposed_name(f: &Folded, n: usize, lang: Option<Lang>) -> bool {
    let upper = f.toks.get(n).is_some_and(|t| t.upper);
    let titled = f.is_any(n, TITLES) || (n > 0 && f.is_any(n - 1, TITLES));
    f.is_a_word(n) && (titled || (upper && lang != Some(Lang::De)))
}

/// Capitalised words that open sentences and are no names: a name is read from a capital
/// only when the word is none of these.
const OPENERS: &[&str] = &[
    // Nouns that open a note about the writer's own plans: "Plan is to be back Jan 10",
    // "Return is expected on the 5th".
    "plan",
    "idea",
    "goal",
    "hope",
    "return",
    "schedule",
    "update",
    "reminder",
    "this",
    "that",
    "it",
    "there",
    "here",
    "everything",
    "everyone",
    "nobody",
    "everybody",
    "what",
    "which",
    "today",
    "tomorrow",
    "office",
    "support",
    "service",
    "team",
    "shop",
    "store",
    "das",
    "es",
    "dies",
    "heute",
    "morgen",
    "ce",
    "cela",
    "il",
    "aujourd",
    "esto",
    "eso",
    "hoy",
    "questo",
    "oggi",
    "dit",
    "het",
    "vandaag",
    "isto",
    "hoje",
    "det",
    "den",
    "idag",
    "i",
    "all",
    "nothing",
    "one",
    // the impersonal "we" of a notice: "Si va in vacanza", "Se cierra por vacaciones", "On
    // part en vacances", "Man ist im Urlaub"
    "si",
    "se",
    "on",
    "man",
    "men",
];
