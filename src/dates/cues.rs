//! Cue words: what ties a date to an absence. A date only counts when something around it
//! says the writer is away, coming back, or asks to be contacted again; "let's meet on
//! June 15" has no such cue and gives nothing.
//!
//! Three families are searched in the folded text with one regex each (compiled once):
//! return cues ("back", "wieder", "de retour", "rientro", "terug", "de volta"), absence cues
//! ("out of office", "Urlaub", "congés", "vacaciones", "ferie", "afwezig", "férias") and
//! callback cues ("call me", "melden Sie sich", "recontactez-moi"). A negated return cue ("not
//! back", "nicht erreichbar", "pas disponible") counts as an absence cue, and so does a negated
//! work verb or a day-off noun ("I don't work on Mondays", "vrije dag"), marked as a weekly
//! absence whose weekday may be the reference day itself. The operators right
//! before a date ("until", "bis", "jusqu'au", "ab", "à partir du", "after") are read from the
//! tokens, as are the postpositions after a date in Finnish and Turkish ("asti", "kadar",
//! "itibaren"), and language detection.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::dates::lexicon::Unit;
use crate::dates::schedule;
use crate::dates::tokens::{Folded, Kind};
use crate::dates::Lang;

/// What a cue says about the writer: it gives the [`Basis`](crate::dates::Basis) of a date it ties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    /// The writer is back or available ("back", "wieder", "retour").
    Return,
    /// The writer is away ("out of office", "Urlaub", "congés").
    Absence,
    /// The writer asks to be contacted again ("call me", "melden Sie sich").
    Callback,
}

/// A cue found in the text, as token positions.
#[derive(Debug, Clone, Copy)]
pub struct Cue {
    /// Whether the cue says back, away or contact me.
    pub kind: CueKind,
    /// Index of its first token in [`Folded::toks`].
    pub start: usize,
    /// Index one past its last token.
    pub end: usize,
    /// A return cue with no date of its own ("when I'm back", "upon my return"): it only
    /// ties a date written right after it ("when I'm back on Monday").
    pub undated: bool,
    /// An absence that comes back every week ("I don't work on Mondays", "ik werk niet op
    /// maandag", "my day off"): a weekday it names may be today.
    pub recurring: bool,
    /// An answer promised ("I'll get back to you on Monday", "jag återkommer i veckan",
    /// "nous répondons sous 48h"), kept as a return cue only beside an absence: no coming
    /// back of the writer's, nor anyone's.
    pub promise: bool,
}

/// The operator written right before a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// "until", "bis", "jusqu'au", "hasta", "fino al", "tot", "até", "through", "do", "till",
    /// "asti", "kadar": the date is the last day away.
    Until,
    /// "till och med", "til og med", "t.o.m.": until and including, so the whole period the
    /// date names is away (as "through next week").
    Through,
    /// "after", "nach", "après": the date is the last day away as well.
    After,
    /// "from", "ab", "à partir du", "vanaf", "a partir de": a start, of the return or of the
    /// absence depending on the cues around it.
    From,
    /// "before", "vor", "avant", "antes": not back before this day, so this is the day.
    Before,
}

static RETURN_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?x-u)\b(?:
        # back to the usual rhythm, before plain back so that it is read whole: we'll be back
        # to our regular schedule on the 20th
        back\ to\ (?:our|my|the)\ (?:regular|normal|usual)\ (?:schedule|programming|hours|service)
        # back to the place of work, read whole so that the day after it is the return's:
        # volto ao trabalho no dia 4, vuelvo a la oficina el día 4, rientro in ufficio il 4
        | (?:volto|voltarei|regresso|regressarei|retorno|vuelvo|volvere|regreso|regresare|rientro|rientrero|torno|tornero)\ (?:ao|aos|as|a\ la|al|in|all'?|a)\ ?(?:trabalho|escritorio|atividades|oficina|trabajo|actividades|ufficio|lavoro|sede)
        # (and 'bk', back as a phone shortens it: 'on PTO, bk tues 25th')
        | back | bk | return\w* | i'll\ be\ in | available | reachable
        # a publication back: the next issue lands on Tuesday, next episode on the 3rd
        | (?:next|new)\ (?:issue|edition|episode|newsletter)
        # home again from a stay away: come home from my assignment in 2-4 weeks
        | (?:come|comes|coming|get|getting)\ home
        # service resumed: retomamos la atención el lunes, reanudamos actividades
        | (?:retomamos|reanudamos|retomaremos|reanudaremos)\ (?:la\ |las\ |el\ )?(?:atencion|actividad\w*|labores|servicio|operaciones)
        # non-native English: 'From Monday I am again available'
        | again\ available
        # mail answered again from a day on: I'll answer emails from Monday, respondo correos a
        # partir del lunes, je réponds aux mails dès lundi, rispondo alle mail da lunedì
        | (?:answer|answering|reply\ to|replying\ to|respond\ to|responding\ to|read|reading|go\ through|going\ through|work\ through|working\ through|catch\ up\ on|check|checking)\ (?:all\ |any\ |my\ |the\ )?(?:e-?mails|mails|messages|inbox|mailbox|correspondence)(?:\ again)?
        # ... or handled: 'we will handle your email from Wednesday', 'wij behandelen uw e-mail
        # vanaf woensdag', 'wiadomości będą rozpatrywane od poniedziałku'
        | (?:handle|handling|process|processing|deal\ with|dealing\ with|answer|reply\ to|respond\ to)\ your\ (?:e-?mail|mail|message)s?
        | (?:behandelen|behandel|verwerken)\ (?:we\ |wij\ |ik\ )?(?:uw|je|jouw|de|alle)\ (?:e-?mails?|mails?|berichten|bericht)
        | (?:wiadomosci|korespondencja|e-?maile)\ (?:bedzie|beda)\ (?:rozpatrywan|odczytywan|obslugiwan|realizowan)\w*
        | (?:respondo|respondere|respondemos|responderemos|contesto|contestare|atiendo|atendere|leo|leere|reviso|revisare)\ (?:a\ )?(?:los\ |las\ |tus\ |sus\ |tu\ |su\ |el\ |todos\ los\ )?(?:correos?|mails?|emails?|e-mails?|mensajes?)
        | (?:repondrai|reponds|repondrons|repondons|traiterai|traite|traiterons|lirai|consulterai)\ (?:a\ |aux\ |au\ )?(?:vos\ |votre\ |ton\ |tes\ |tous\ les\ |les\ |mes\ |ma\ )?(?:e-?mails?|mails?|courriels?|messages?|messagerie)
        | (?:rispondero|rispondo|rispondiamo|risponderemo|leggero|evadero|evado|controllero)\ (?:a\ |alle\ |le\ |la\ |il\ |tutte\ le\ |ai\ )?(?:tua\ |tue\ |sua\ |sue\ )?(?:e-?mail|mail|messaggi|messaggio|casella|posta)
        | (?:beantwoord|beantwoorden|lees|bekijk)\ (?:ik\ |we\ )?(?:mijn\ |de\ |alle\ |uw\ |je\ |jouw\ )?(?:e-?mails?|mails?|berichten|bericht|mailbox)
        | (?:uw|je|jouw|de|mijn)\ (?:e-?mails?|mails?|berichten|bericht)\ (?:lees|beantwoord|behandel|bekijk)\ (?:ik|we)
        | (?:respondo|responderei|leio|lerei)\ (?:a\ |aos\ |os\ |as\ |sua\ |seu\ |todos\ os\ )?(?:e-?mails?|mensagens?)
        # the mail named before its verb: je les lirai, le leggerò, los atenderé, vou lê-las
        | les\ (?:lirai|traiterai|consulterai) | le\ (?:leggero|evadero) | (?:los|las)\ (?:atendere|leere|contestare|respondere|revisare)
        | (?:vou\ |irei\ )?le-(?:las|los) | (?:vou|irei)\ ler\ (?:as|os|a|o|sua|seu|suas|seus)

        # work taken up again from a day: orders and emails will be picked up from Tuesday,
        # requests processed from the 3rd
        | (?:picked\ up|processed|dealt\ with|handled|answered|dispatched|shipped)\ (?:again\ )?(?:from|on|starting)
        # ... in the Romance passives: les demandes seront traitées à partir du 25, se
        # atenderán después del 6, serão lidas novamente a partir de 1, verranno evase dal 3
        | (?:seront|sera)\ (?:\w+\ )?(?:traitee?s?|lue?s?|consultee?s?|repondue?s?)\ (?:\w+\ ){0,2}(?:a\ partir|des|apres|a\ compter)
        | (?:se\ )?(?:atenderan|responderan|contestaran|revisaran|leeran|tramitaran|gestionaran|procesaran)\ (?:\w+\ ){0,2}(?:a\ partir|despues|desde|tras)
        | seran\ (?:\w+\ )?(?:atendid|respondid|contestad|leid|tramitad|revisad|gestionad|procesad)[oa]s?\ (?:\w+\ ){0,2}(?:a\ partir|despues|desde|tras)
        | (?:serao|sera)\ (?:\w+\ )?(?:lid|respondid|tratad|analisad|processad|atendid|verificad)[oa]s?\ (?:\w+\ ){0,2}(?:a\ partir|depois|apos|desde)
        | (?:verranno|verra|saranno|sara)\ (?:\w+\ )?(?:evas|lett|gestit|trattat|elaborat|risposte)[oie]?\ (?:\w+\ ){0,2}(?:a\ partire|dal|dalla|dopo|da)
        # time regained: 'I should have time for this again from June 11'
        | (?:have|has|get)\ (?:some\ |more\ )?time\ (?:for\ (?:this|it|that)\ )?again
        # free again, the writer's: but free Tuesday, I'm free from Monday (not feel free, free trial)
        | (?:but|i'm|i\ am|im|be)\ free | in\ the\ office | in\ office
        | resum(?:e|es|ed|ing|ption) | reanud\w* | riprend\w* | ripresa | hervat\w* | wiederaufnahme
        | vernus | vernusy | vernemsya | vyydu | vykhozhu | budu\ v\ ofise | vozvrashch\w* | dostupen | dostupna
        | (?:normal|regular|full|usual)\ (?:service|hours|operations|schedule) | business\ as\ usual | back\ to\ normal
        | pick\ up\ again | picks\ up\ again | up\ and\ running\ again
        | see\ you\ (?:again\ |all\ )?(?:in|after|from) | arrivederci | ci\ (?:ri)?vediamo\ (?:a|ad|in|nel|dopo) | ci\ salutiamo\ (?:a|ad|in|nel|dopo)
        | rendez-vous\ (?:en|des|apres) | nos\ vemos\ (?:en|a\ la\ vuelta|despues|tras|a\ partir)
        # a writer's farewell to readers: nos leemos, ci leggiamo, nos lemos
        | nos\ leemos | ci\ (?:ri)?leggiamo | nos\ lemos
        # shipping or work starting again: le spedizioni ripartono, el envío se reanuda
        | ripart\w*
        | on\ se\ (?:retrouve|retrouvera|revoit|reverra)\ (?:en|des|apres|a\ la|au) | (?:nous\ nous|vous)\ retrouverons\ (?:en|des|apres|a\ la|au)
        # 'on vous retrouve samedi', 'nous vous retrouvons le 2': we see you (again) then
        | on\ vous\ retrouve\w* | nous\ vous\ retrouv\w*
        # the first working day after a break: erster Arbeitstag, erster Backtag, first day back
        | erste[rn]?\ (?:arbeitstag|werktag|offnungstag|oeffnungstag|backtag|geschaftstag|verkaufstag|praxistag)
        | first\ (?:day\ back|working\ day|business\ day|day\ of\ business)
        | we\ zien\ (?:jullie|elkaar|je|u)\ (?:weer\ )?(?:in|na|vanaf)
        | vemo-nos | nos\ vemos\ em | wir\ sehen\ uns\ (?:im|in|nach|ab|wieder)
        | normalbetrieb | regularbetrieb | (?:regularer|normaler|gewohnter)\ betrieb | heropen\w* | reprendr\w*
        # again at the place: 'sarò di nuovo in studio venerdì', 'estaré de nuevo en la oficina'
        | (?:saro|saremo|sono|estare|estaremos|estoy|estarei|estaremos|estou)\ (?:di|de)\ (?:nuovo|nuevo|novo)
        | service\ normal | horaires\ habituels | servicio\ normal | horario\ habitual
        | servizio\ regolare | orari\ regolari | normale\ openingstijden | horario\ normal | atendimento\ normal
        | wieder | zuruck\w* | zurueck\w* | ruckkehr | rueckkehr | erreichbar | im\ buro | im\ buero | im\ haus | verfugbar
        | retour | dispo | rentr\w* | reviens | reviendrai | reviendrons | revenons | reviendra | revient | reprise | reprends | reprendrai | de\ nouveau | disponible | joignable | au\ bureau
        | regolare\ apertura | apertura\ regolare | reouverture | riapertura | riapr\w* | reabertura | reabr\w* | rouvr\w* | reouvr\w* | heropening | wiedereroffnung | reopen\w* | re-open\w*
        # Czech and Polish resuming: 'úřední hodiny obnovujeme ve čtvrtek', 'wznawiamy pracę',
        # 'znovu otevřeno od'
        | obnovujeme | obnovime | wznawiamy | wznowimy | znovu\ otevr\w* | ponownie\ otwar\w*
        # answering again from a day: só volto a responder a e-mails a partir de, vuelvo a
        # contestar el lunes, torno a rispondere da lunedì
        | (?:volto|voltarei|vuelvo|volvere|torno|tornero)\ a\ (?:responder|contestar|rispondere|atender|leer|ler|leggere)
        # around again: 'el jueves ya estoy por aquí', 'de nuevo por aquí'
        | (?:ya\ )?estoy\ (?:de\ nuevo\ )?por\ aqui | de\ nuevo\ por\ aqui
        | regres\w* | incorpor\w* | vuelta | vuelvo | volve\w* | vuelve | (?:abrimos|abriremos|abrimos\ las\ puertas)\ (?:de\ nuevo|nuevamente|otra\ vez) | volvemos\ a\ abrir | reincorpor\w* | reintegrar\w* | reintegro | en\ la\ oficina | localizable
        | rientr\w* | torno | tornero | torniamo | torneremo | tornare | tornem | tornarem | tornada | ritorn\w* | disponibile | raggiungibile | in\ ufficio | in\ sede
        | terug | terugkeer | terugkomst | weer | bereikbaar | aanwezig | op\ kantoor | beschikbaar
        | volta\w* | volto | retorn\w* | disponivel | no\ escritorio
        | wracam | wracamy | wroce | wrocimy | wroci | powrot\w* | z\ powrotem | dostepn\w* | osiagaln\w*
        | w\ biurze | do\ biura | do\ pracy
        | tillbaka | tillbaks | ater | aterkommer | tillganglig\w* | antraffbar | nabar | pa\ kontoret | i\ tjanst | pa\ plats | igen
        | tilbage | tilbagekomst | traeffes | tilgaengelig | pa\ arbejde | tilbake | tilgjengelig | pa\ jobb | igjen | treffes
        | palaan | palaamme | palaa | paluu\w* | takaisin | takas | takasin | toimistolla | toissa | tavoitettavissa | paikalla | saatavilla
        | kaytettavissa | taas
        | zpet | zpatky | vratim | vratime | vrati | vracim | vracime | navrat\w* | k\ zastizeni | dostupn\w* | v\ kancelari | v\ praci | k\ dispozici | opet
        # Slovak: späť, opäť, k zastihnutiu, v kancelárii, k dispozícii
        | spat | opat | k\ zastihnutiu | v\ kancelarii | k\ dispozicii
        | geri | donecegim | donecegiz | donuyorum | donuyoruz | donerim | doneriz | donus\ tarihi\w* | ofiste\w* | ofise | ulasilabilir\w*
        | musait\w* | is\ basinda\w* | hizmetinizde\w*
        | shussha | modori | fukki | kisha | eigyou | taiou | saikai
        )\b",
    )
    .ok()
});

static ABSENCE_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?x-u)\b(?:
        out\ of\ (?:the\ )?office | out\ of\ (?:the\ )?country | ooo | ooto | away | off | out | vacation\w* | holiday\w* | hols | leave | furlough\w* | out\ of\ station | official\ (?:tour|duty|trip|visit|travel) | on\ (?:business\ |work\ )?travel | absent\w*
        | absence | unavailable | travel\w* | trip | abroad | sick | parental
        | malade | enferm[oa]s? | malat[oaie] | doente | a\ l'?\ ?etranger | en\ el\ extranjero
        | all'?\ ?estero | im\ ausland | no\ estrangeiro | in\ het\ buitenland | maternit\w* | paternit\w* | sabbatical
        | offline | closed | shut | shutdown | pto | annual\ leave | hiatus
        # nobody at work: unser Büro ist nicht besetzt, não teremos expediente, no habrá
        # atención, het kantoor is niet bemand, the office is unstaffed
        | nicht\ besetzt | unbesetzt | niet\ bemand | onbemand | unstaffed | not\ staffed
        | (?:nao|sem)\ (?:teremos|havera|tera|ha)\ expediente | sem\ expediente | no\ habra\ (?:atencion|servicio)
        # a business closing for a time, in the third person: la tienda cierra temporalmente,
        # il negozio chiude per ferie, a loja fecha para balanço, unser Laden bleibt zu
        | (?:cierra|cierran|chiude|chiudono|fecha|fecham|schliesst|schliessen)\ (?:temporalmente|temporaneamente|temporariamente|vorubergehend|por\ vacaciones|per\ ferie|para\ ferias|por|per|para|fur)
        # ... or from a day on: el estudio cierra del 12 al 20, il negozio chiude dal 10 (not
        # Spanish 'la fecha del', the date of; not one day, el plazo cierra el 15, a deadline)
        | (?:cierra|cierran|chiude|chiudono|fecham|schliesst|schliessen|sluit|sluiten)\ (?:del|dal|dalle|dai|vom|van|desde|de|do|da)
        | (?:bleibt|bleiben)\ (?:\w+\ ){0,3}zu
        # away for work or in hospital: auf Montage, w szpitalu, in the hospital; leaving for
        # a time (wyjeżdżam na 2 tygodnie); the Dutch builders' holiday (bouwvak); staying in
        # one's home town; Turkish: I will not be able to come to work, my illness
        # on a building site, in the field, out of action: auf der Baustelle, sur le chantier,
        # in cantiere, op de bouwplaats; en trabajo de campo, fieldwork; außer Gefecht, out of
        # action; absenting oneself (mi assento, me ausento), taking time (me tomo un tiempo)
        | auf\ (?:der|einer|unserer)\ baustelle | auf\ baustellen | sur\ (?:le|un|les|des|nos|mon|mes)\ (?:\w+\ )?chantiers? | in\ cantiere
        # a course away (auf Lehrgang, auf einer Schulung), a harvest or a vintage, a jury, a
        # move of house, a trade fair; the desk left for it (statt am Schreibtisch);
        # far from any network; a break taken in German (Pause machen); 'be scarce'
        | auf\ (?:einem\ |dem\ )?lehrgang | auf\ (?:einer\ )?(?:schulung|fortbildung|weiterbildung)
        | harvest\w* | weinlese | (?:in\ der|mitten\ in\ der)\ ernte | vendang\w* | vendemmia | cosecha | colheita
        | (?:picked|selected|called)\ for\ (?:a\ )?jury | on\ a\ jury
        | de\ mudanca | de\ mudanza | im\ umzug | mitten\ im\ umzug | en\ plein\ demenagement | in\ trasloco | aan\ het\ verhuizen
        | in\ fiera | alla\ fiera | auf\ (?:der|einer)\ (?:\w+)?messe | en\ la\ feria | na\ feira | au\ salon | op\ de\ beurs
        | statt\ am\ schreibtisch | instead\ of\ (?:at\ )?(?:my|the)\ desk
        | loin\ de\ tout\ reseau | far\ from\ (?:any\ )?(?:signal|network|wi-?fi|internet)
        | (?:mache|machen|mach)\ (?:ich\ |wir\ )?(?:\w+\ )?pause | be\ scarce | (?:geopereerd|eruit\ lig\w*)
        | m'?\ ?eloigne\w* | pour\ une\ duree\ indeterminee
        | (?:toy|estoy|ando|andamos)\ (?:de|d)\ vacas | (?:de|d)\ vacas\ hasta
        # unable to answer: non riuscirò a rispondere, no podré responder, je ne pourrai pas
        # répondre, ich kann nicht antworten, não vou conseguir responder
        | non\ (?:riusciro|potro|posso|riesco)\ a\ rispondere | no\ (?:podre|puedo|voy\ a\ poder)\ (?:responder|contestar)
        | ne\ (?:pourrai|peux|pourrons)\ pas\ (?:repondre|lire) | nao\ (?:vou\ )?(?:conseguir|poderei|posso|consigo)\ responder
        | op\ (?:de|een)\ (?:bouwplaats|werf) | en\ (?:la\ )?obra | na\ obra
        | (?:trabajo|trabalho|lavoro)\ (?:de|di|sul)\ campo | field\ ?work | feldarbeit | veldwerk | sur\ le\ terrain
        | ausser\ gefecht | out\ of\ (?:action|commission)
        | mi\ assent\w* | me\ ausent\w* | (?:vou|irei)\ (?:me\ )?ausentar\w*
        | me\ (?:tomo|tomare|voy\ a\ tomar)\ (?:un\ tiempo|un\ descanso|un\ respiro|unos\ dias|unas\ semanas|unas\ vacaciones)
        # bedridden: cloué au lit, bettlägerig, a letto con la febbre, en cama, de cama,
        # acamado; not working and reading no mail (niet aan het werk, lees geen mail); bad
        # wifi (slecht wifi, schlechtes WLAN, mauvais réseau); offline a few days (sin
        # conectarme); the bridge day taken (me tomé el puente)
        | cloue(?:e|s|es)?\ au\ lit | bedridden | laid\ up | bettlagerig | (?:a|al)\ letto | en\ cama | de\ cama | acamad[oa]s?
        | niet\ aan\ het\ werk | (?:lees|check|bekijk)\ (?:ik\ )?(?:geen|niet|nauwelijks)\ (?:\w+\ )?(?:e-?mail|mail|mails)
        | (?:slecht|slechte|weinig)\ (?:wifi|wi-fi|bereik|internet|verbinding) | (?:schlechtes|kaum|wenig)\ (?:wlan|wifi|netz|internet)
        | mauvais\ (?:reseau|wifi) | sin\ conectar\w* | senza\ conness\w*
        | (?:me|nos)\ (?:tome|tomo|tomamos|cogi|cojo|cogimos)\ el\ puente | (?:he|hemos)\ cogido\ el\ puente
        | auf\ montage | w\ szpitalu | na\ oddziale | wyjezdzam\w* | bouwvak\w*
        | (?:my|our)\ (?:hometown|home\ town|home\ country|village)
        | ise\ gelemeyecegim | ise\ gelemiyorum | ise\ gelemeyecegiz | rahatsizligim\w*
        # Brazilian speech drops the first syllable of estou: tô de atestado, tô viajando
        | (?:to|tou)\ (?:de\ (?:atestado|ferias|folga|licenca|recesso)|viajando|fora|afastad[oa])
        # (its 'por' left to the length after it: 'fora por 1 a 2 semanas')
        | (?:estou|estarei|estamos|estaremos|vou\ estar)\ (?:\w+\ )?fora(?:\ (?:em|ate))?
        # out visiting customers: em visita a clientes, visiting clients, bei Kunden, bij klanten
        | visiting\ (?:customers|clients|a\ customer|a\ client) | (?:customer|client)\ visits?
        | (?:em|de)\ visita\ (?:a\ |aos\ |com\ |de\ )?clientes? | visitando\ clientes | de\ visita\ (?:a|con)\ clientes
        | in\ visita\ (?:presso|da|ai|dai)\ ?client[ie] | en\ visite\ (?:chez|client) | bei\ kunden | kundenbesuch\w* | kundentermin\w*
        | bij\ klanten | klantbezoek\w*
        # no service: no atenderán, no atendemos, não atenderemos; on sick leave as Latin
        # America says it (estoy incapacitada); without internet (sin servicio de internet,
        # zonder internetverbinding, acesso muito limitado à internet)
        | no\ (?:se\ )?(?:atenderan|atenderemos|atendemos|atendera|atiende|atienden) | nao\ (?:se\ )?(?:atenderemos|atendemos|atendera|atenderao)
        | incapacitad[oa]s? | (?:de|con|por)\ incapacidad
        | sin\ servicio\ de\ internet | sin\ (?:conexion|senal|cobertura) | zonder\ (?:internet\w*|wifi|bereik|verbinding)
        | acesso\ (?:muito\ )?(?:limitado|reduzido|restrito|irregular)
        # common misspellings of holiday and vacation (hoilday, holliday, vaction)
        | hoilday\w* | holliday\w* | holdiay\w* | vaction\w* | vacaton\w* | vacatoin\w*
        # German trips in compounds (Konferenzreise, Geschäftsreise; not Preise)
        | konferenzreise | messereise | kundenreise | \w+sreise
        # on a mission, on the road, the French bridge day, a door closed, Slovak closed,
        # Turkish abroad written as one word
        | (?:em|numa|de|na)\ missao | w\ trasie | (?:fait|faisons|font|fais|faire)\ le\ pont | porte\ close
        | zatvoren\w* | yurtdisi\w*
        # out of the running for a while (Dutch: uit de running, uit de roulatie)
        | uit\ de\ (?:running|roulatie)
        # days of rest: unos días de descanso, estoy de descanso, giorni di riposo, jours de
        # repos, dias de folga
        | de\ descanso | em\ descanso | di\ riposo | in\ riposo | de\ repos | de\ folga | em\ folga
        # leaving for a few days: je pars quelques jours, parto qualche giorno, me voy unos días
        | (?:je\ pars|nous\ partons|parto|partiamo|me\ voy|nos\ vamos|vou\ viajar|vamos\ viajar)\ (?:pour\ |per\ |por\ )?(?:quelques|qualche|unos|unas|alguns|algumas|deux|trois|due|tre|dos|tres|dois|\d+)\ (?:jours|semaines|giorni|settimane|dias|semanas)
        # withdrawing from one's work for a while: stepping back from the project
        | stepping\ (?:back|away)\ from | step\ (?:back|away)\ from | taking\ a\ step\ back
        | no\ (?:proper\ |reliable\ |regular\ )?(?:internet|e-?mail\ access|access\ to\ (?:my\ )?e-?mail) | limited\ (?:internet|access)
        | without\ (?:internet|a\ computer|my\ laptop) | ohne\ internet | sans\ internet | sin\ internet | senza\ internet
        | geen\ internet | sem\ internet | (?:ben|zijn)\ er\ niet | niet\ (?:mailen|bereikbaar|aanwezig|op\ kantoor) | standstill | on\ hold | afk | pausing | paused
        | (?:take|taking|on)\ a\ (?:short\ |little\ |long\ )?break | on\ (?:a\ |an\ )?(?:\w+\ )?pause
        | (?:takes|taking)\ (?:its|our|my|the|their)\ (?:\w+\ ){0,2}break | off\ the\ grid | off-grid | offgrid | on\ (?:\w+\ )?break
        | (?:summer|winter|christmas|xmas|holiday|spring|easter|festive|year-end|new\ year|thanksgiving)\ (?:break|closure|shutdown)
        | (?:limited|reduced)\ (?:availability|capacity|support)
        # in meetings or a workshop for the whole day: away from the mail today
        | (?:in|en)\ (?:back-to-back\ |back\ to\ back\ )?(?:meetings|terminen|besprechungen|sitzungen|reunion|reuniones|riunione|riunioni|vergadering|vergaderingen|reuniao|reunioes|workshops?|formation)
          \ (?:all\ day|the\ whole\ day|den\ ganzen\ tag|ganztags|toute\ la\ journee|todo\ el\ dia|tutto\ il\ giorno|tutta\ la\ giornata|de\ hele\ dag|o\ dia\ todo|todo\ o\ dia)
        | (?:all\ day|den\ ganzen\ tag|toute\ la\ journee|todo\ el\ dia|tutto\ il\ giorno|de\ hele\ dag|o\ dia\ todo)\ (?:in|en)\ (?:meetings|terminen|besprechungen|reunion|reuniones|riunione|vergadering|reuniao)
        | availability\ (?:is|will\ be|may\ be)\ (?:\w+\ )?(?:limited|reduced|restricted|patchy)
        | slow(?:er)?\ (?:to|in)\ (?:respond\w*|reply\w*|answer\w*|get\ back) | slow(?:er)?\ (?:on|with)\ (?:e-?mails?|replies|responses|messages) | (?:delayed|slow|slower)\ (?:responses?|replies|response\ times?)
        | busy | swamped | snowed\ under
        # mail read less or not at all: with spotty email, not monitoring this mailbox, la
        # posta non sarà letta; away overseas, offsite; military or civil service
        | (?:spotty|patchy|intermittent|sporadic|irregular)\ (?:e-?mail|internet|connectivity|wi-?fi|signal|reception)
        | not\ (?:be\ )?monitoring | (?:posta|casella)\ (?:elettronica\ )?non\ (?:sara|verra)\ (?:letta|controllata)
        | overseas | (?:i'?m|i\ am|im|am|are|we'?re|be|been|being|currently|still|working)\ (?:offsite|off-site)
        | (?:militar|zivil|wehr)dienst\w* | on\ mc
        # Russian, transliterated: v otpuske, otsutstvuyu, vne ofisa, v komandirovke, na bolnichnom.
        | otpusk\w* | otsutstv\w* | vne\ ofisa | menya\ ne\ budet | ne\ budu\ v\ ofise | ne\ v\ ofise | komandirovk\w* | bolnichn\w* | boleyu | bolen | bolna | nedostupen | nedostupna
        | (?:at\ a\ )?slower\ pace | (?:responses|replies|answers)\ (?:will|may|might|could)\ be\ (?:\w+\ )?(?:delayed|slower|slow)
        # Illness and care, and places with no mail: I have covid, in hospital, at sea, ich
        # habe Corona, j'ai la grippe, tengo covid, sono ricoverato, internado.
        | at\ sea | (?:in|at)\ (?:the\ )?hospital | hospitali[sz]ed | unwell | surgery
        # a mailbox or an office nobody attends for a while: unattended until further notice,
        # permanecerá desatendido, sans surveillance, nicht besetzt, niet bemand
        | unattended | unstaffed | unmonitored | (?:will\ )?not\ be\ monitored | on\ secondment | en\ detachement | in\ distacco |
        # skiing, and the Turkish in hospital: beim Skifahren, au ski, a sciare, hastanedeyim
        skifahren | skiing | ski\ trip | au\ ski | a\ sciare | op\ wintersport | esquiando | hastane(?:de|dey)\w* | raporluyum | raporum\ var | raporlu\ \w+ | desatendid[oa] | sans\ surveillance | non\ presidiat[oa]
        | (?:have|got|caught|with|positive\ for|down\ with)\ (?:covid\w*|corona\w*|the\ flu|flu|influenza|pneumonia|a\ fever)
        | (?:i'?m|i\ am|im|feeling|fallen|fell|been|got|gotten|be)\ (?:\w+\ )?ill
        | im\ krankenhaus | in\ der\ klinik | (?:habe|hab)\ (?:\w+\ )?(?:corona|covid\w*|grippe|fieber)
        | hospitalise\w* | a\ l'?\ ?hopital | (?:j'?\ ?ai|avec)\ (?:le\ covid|la\ covid|la\ grippe|de\ la\ fievre)
        | hospitalizad\w* | en\ el\ hospital | (?:tengo|con)\ (?:covid|gripe|fiebre)
        | ricoverat\w* | in\ ospedale | (?:ho|con)\ (?:il\ covid|la\ covid|l'?\ ?influenza|la\ febbre)
        | in\ het\ ziekenhuis | (?:heb|met)\ (?:corona|covid|griep|koorts)
        | internad[oa]s? | no\ hospital | (?:estou|estava)\ com\ (?:covid|gripe|febre)
        # Out of reach of the network: no signal in the mountains, spotty reception, kein
        # Empfang, pas de reseau, sin cobertura, senza campo, geen bereik, sem sinal.
        | no\ (?:cell\ |phone\ |mobile\ |cellular\ )?(?:signal|reception|coverage|cell\ service|wi-?fi|connectivity)
        | (?:spotty|patchy|limited|intermittent|poor|little)\ (?:cell\ |phone\ )?(?:reception|signal|connectivity|coverage|wi-?fi)
        | kein(?:en)?\ (?:empfang|netz|handyempfang|mobilfunkempfang) | pas\ de\ (?:reseau|connexion|couverture)
        | sin\ (?:cobertura|senal|conexion) | senza\ (?:campo|copertura|connessione|rete) | geen\ (?:bereik|verbinding|netwerk) | zonder\ (?:bereik|verbinding|netwerk|internet|wifi|ontvangst)
        | ohne\ (?:empfang|netz|internet|handyempfang)
        | sem\ (?:sinal|rede|cobertura) | on\ the\ road
        # bez zasięgu, bez signálu, utan täckning, uden dækning, uten dekning, ilman verkkoa
        | bez\ (?:zasiegu|internetu|signalu|pripojeni|dostepu\ do\ (?:internetu|poczty|sieci))
        | utan\ (?:tackning|mottagning|internet) | uden\ (?:daekning|internet|forbindelse) | uten\ (?:dekning|internett|nett)
        # the blog, the shop takes a (little) break: tar en liten pause, tager en pause
        | (?:tar|tager)\ en\ (?:\w+\ )?pause
        | ilman\ (?:nettia|verkkoa|kenttaa|yhteytta)
        # On the road, said the way each language does: auf Achse, sur la route, de gira,
        # in giro, onderweg, na estrada.
        | auf\ achse | auf\ tour | sur\ la\ route | en\ vadrouille | en\ tournee | de\ gira | en\ la\ carretera
        | in\ giro | onderweg | op\ pad | na\ estrada
        # Out on an assignment: ute på oppdrag, på uppdrag, ude på opgave.
        | (?:ute\ |ude\ )?pa\ (?:oppdrag|uppdrag|opgave)
        # On a plane or a train: im Flugzeug, dans le train, en el avión, in treno, in de trein.
        | on\ (?:a|the|my)\ (?:plane|flight|train|cruise) | im\ (?:flugzeug|flieger|zug) | dans\ (?:l'?\ ?avion|le\ train)
        | en\ el\ (?:avion|tren) | in\ (?:aereo|treno) | in\ (?:het\ vliegtuig|de\ trein) | no\ (?:aviao|trem|comboio)
        # Within reach only a little or only by phone: only reachable by phone, nur eingeschränkt
        # erreichbar, joignable uniquement par téléphone, disponibilidad limitada, raggiungibile
        # solo al cellulare, beperkt bereikbaar, só contactável por telefone.
        | (?:only|just)\ (?:be\ )?(?:reachable|available|contactable|reached)\ (?:by|on|via)\ (?:my\ )?(?:phone|mobile|cell|telephone|whatsapp|text|sms)
        | can\ only\ be\ reached
        | (?:eingeschrankt|beschrankt|bedingt|sporadisch|unregelmassig)\ erreichbar | eingeschrankte\ erreichbarkeit
        | (?:eingeschrankt|beschrankt|bedingt|sporadisch|unregelmassig|begrenzt|schlecht)\ (?:per|uber|via|mit)\ (?:e-?mail|mail|telefon|handy|mobiltelefon)\ erreichbar
        | (?:nur|ausschliesslich|lediglich)\ (?:noch\ )?(?:telefonisch|mobil|per\ handy|per\ telefon|per\ mobiltelefon)\ erreichbar
        | (?:peu|difficilement)\ joignables? | joignables?\ uniquement | disponibilite\ (?:reduite|limitee)
        | disponibilidad\ (?:limitada|reducida) | (?:solo|unicamente)\ (?:estoy\ |estare\ )?(?:localizable|contactable)\ (?:por|al|en)
        | disponibilita\ (?:limitata|ridotta) | raggiungibile\ solo | (?:poco|difficilmente|solo)\ raggiungibile
        | (?:beperkt|slecht|minder|alleen\ telefonisch)\ bereikbaar
        | disponibilidade\ (?:limitada|reduzida) | pouca\ disponibilidade
        | (?:poca|escasa|muy\ poca)\ disponibilidad | disponibilidad\ (?:limitada|reducida)
        | (?:dispo|disponibilite)\ (?:limitee|reduite|restreinte) | peu\ disponible
        | (?:sporadisch|selten|unregelmassig|eingeschrankt|begrenzt)\ (?:online|erreichbar)
        | (?:rarely|sporadically|occasionally|intermittently|barely)\ online | little\ availability
        | sans\ (?:mon\ )?(?:ordi|ordinateur|pc|laptop|portable) | sin\ (?:mi\ )?(?:ordenador|portatil|laptop|pc)
        | ohne\ (?:meinen\ |mein\ )?(?:laptop|rechner|computer) | zonder\ (?:mijn\ )?(?:laptop|computer) | (?:so|apenas)\ (?:estou\ |estarei\ )?(?:contactavel|contatavel)\ (?:por|pelo|via)
        | (?:no\ tengo|non\ ho|nao\ tenho|n'?\ ?ai\ pas|habe\ kein)\ (?:\w+\ )?(?:internet|wi-?fi|conexion|connessione|conexao|connexion|reseau|empfang|cobertura|campo|sinal)
        # No net at all: we don't have internet at the cabin, won't have wifi.
        | (?:don't|dont|do\ not|won't|wont|will\ not|not)\ (?:\w+\ )?have\ (?:any\ )?(?:\w+\ )?(?:internet|wi-?fi|signal|reception|coverage)
        # Cut off from mail or the net: the writer will not read this (won't be checking
        # e-mail, no reliable internet access, keinen Zugriff auf meine E-Mails, sans
        # acces a mes mails, sin acceso al correo, senza accesso alla posta).
        | (?:not|never|won't|wont|don't|can't|cannot|unable\ to)\ (?:be\ |have\ )?(?:able\ to\ )?(?:regularly\ |always\ |often\ )?
          (?:check|checking|read|reading|monitor|monitoring|answer|answering|respond\ to|responding\ to|see|seeing|look\ at)
          \ (?:my\ |any\ |work\ |office\ )?(?:e-?mails?|mails?|messages|inbox|mailbox|email\ account)
        | (?:check|checking|read|reading)\ (?:my\ |the\ )?(?:e-?mails?|mails?|inbox|messages)\ (?:only\ )?
          (?:occasionally|sporadically|intermittently|rarely|infrequently|periodically|sparingly|irregularly)
        | (?:no|limited|little|sporadic|intermittent|occasional|patchy|spotty|poor|bad|decreasing|reduced|without|have\ no|(?:not|won't|wont)\ (?:even\ |always\ )?have)
          \ (?:\w+\ )?(?:internet|e-?mail|wi-?fi|network|cell|phone|mobile|laptop|computer)\ (?:access|connection|connectivity|coverage|reception|signal)
        | (?:kein|keinen|keine|eingeschrankte\w*|begrenzte\w*)\ (?:\w+\ )?(?:zugriff|zugang|internet|netz|empfang)
          (?:\ (?:auf|zu|zum)\ (?:meine\ |mein\ |meinen\ |die\ |das\ )?(?:e-?mails?|mails?|postfach|e-?mail-postfach|internet|nachrichten))?
        | (?:lese|checke|prufe|bearbeite|beantworte|abrufe|abrufen)\ (?:\w+\ )?(?:meine\ |die\ )?(?:e-?mails?|mails?|nachrichten)\ (?:nicht|nur\ sporadisch|nur\ unregelmassig|nur\ eingeschrankt)
        | (?:lese|checke|prufe|bearbeite)\ (?:\w+\ ){0,5}keine\ (?:e-?mails?|mails?|nachrichten)
        | (?:sans|pas\ d'?\ ?|aucun|peu\ d'?\ ?|un\ acces\ limite\ a)\ ?(?:acces|connexion|reseau)(?:\ (?:a|au|aux|a\ la)\ (?:mes\ |ma\ |mon\ |la\ |l'?\ ?)?(?:e-?mails?|mails?|messagerie|courriels?|boite|internet|ordinateur))?
        | (?:consult\w*|lir\w*|lis|lirai|releverai|relev\w*)\ (?:pas|plus|que\ rarement|qu'?\ ?occasionnellement)\ (?:mes|ma|mon|la|les)\ (?:e-?mails?|mails?|messagerie|courriels?|boite)
        | (?:sin|poco|acceso\ limitado\ a)\ (?:acceso\ |conexion\ |cobertura\ )?(?:a\ |al\ |a\ la\ )?(?:mi\ |mis\ |el\ |los\ |la\ )?(?:correos?|e-?mails?|internet|buzon|red)
        | no\ (?:podre|puedo|voy\ a|estare|estoy)\ (?:\w+\ )?(?:revisar|leer|consultar|contestar|responder|revisando|leyendo)\ (?:\w+\ )?(?:correos?|e-?mails?|mensajes|buzon)
        # the verb's own future or present: no atenderé el correo, no reviso mis mensajes
        | nao\ (?:leio|vejo|consulto|verifico|abro)\ (?:o\ |os\ |as\ |meu\ |meus\ |minha\ |a\ )?(?:correio|e-?mails?|mails?|mensagens|caixa)
        | no\ (?:atendere|revisare|leere|consultare|contestare|respondere|atiendo|reviso|leo|consulto|contesto)\ (?:el\ |mi\ |mis\ |los\ |su\ |sus\ |ningun\ )?(?:correos?|e-?mails?|mails?|mensajes|buzon)
        # German future or modal: ich werde keine E-Mails lesen, kann keine Mails abrufen
        | keine\ (?:e-?mails?|mails?|nachrichten|anfragen)\ (?:\w+\ )?(?:lesen|beantworten|bearbeiten|abrufen|empfangen)
        # on strike: en grève, de huelga, in sciopero, im Streik, em greve, in staking
        | on\ strike | im\ streik | streike | en\ greve | grevistes? | (?:de|en)\ huelga | in\ sciopero | (?:em|de)\ greve | in\ staking | ik\ staak
        | senza\ (?:accesso\ |connessione\ |copertura\ )?(?:a\ |al\ |alla\ |alle\ |ad\ )?(?:la\ |le\ |mia\ |mie\ )?(?:posta|e-?mail|mail|internet|rete|pc|computer)
        | non\ (?:potro|posso|riusciro|avro|ho)\ (?:\w+\ ){0,2}(?:leggere|controllare|consultare|rispondere|accesso)\ (?:\w+\ ){0,2}(?:posta|e-?mails?|mail|messaggi|internet)
        | non\ (?:leggo|controllo|consulto|guardo|leggero|controllero)\ (?:la\ |le\ |i\ )?(?:posta|e-?mails?|mail|messaggi)
        | (?:accesso|connessione)\ limitat[ao]
        | geen\ (?:toegang|internet|bereik|verbinding)(?:\ tot\ (?:mijn\ |de\ )?(?:e-?mails?|mail|mailbox|inbox|internet))?
        | (?:lees|check|bekijk|beantwoord)\ (?:mijn\ |de\ )?(?:e-?mails?|mail|berichten)\ (?:niet|nauwelijks|beperkt)
        | (?:lees|check|bekijk|beantwoord)\ (?:\w+\ ){0,5}geen\ (?:e-?mails?|mail|berichten)
        | beperkte?\ (?:toegang|bereikbaarheid)
        | sem\ (?:acesso\ |conexao\ |rede\ )?(?:a\ |ao\ |aos\ |as\ |a\ minha\ |ao\ meu\ )?(?:meu\ |meus\ |minha\ )?(?:e-?mails?|correio|internet|rede|computador)
        | nao\ (?:vou\ |irei\ |poderei\ |consigo\ |terei\ )?(?:ler|verificar|consultar|responder|acessar|aceder\ a|ter\ acesso\ a)\ (?:\w+\ ){0,2}(?:e-?mails?|mensagens|correio|internet)
        | acesso\ limitado
        | conference | congress | trade\ ?show | trade\ fair | business\ trip | work\ trip | messe
        # shortened on a phone, and out at customers' sites: 'at a conf in Vegas', 'on site
        # visits in remote WA', 'at a client site all week'
        | at\ (?:a|the)\ conf | site\ visits? | at\ (?:a\ |the\ )?(?:client|customer)(?:'?\ ?s)?\ sites?
        | (?:am|m|are|re|be|been)\ (?:away\ )?(?:at|on)\ (?:(?:a|an|the|our|my)\ )?(?:\w+\ )?(?:offsite|off-site|retreat) | kongress | konferenz | schulung | fortbildung | seminar | formation | formazione | fiera
        | \w*abwesen\w* | \w*karenz | \w*urlaub\w* | \w*ferien | dienstreise | geschaftsreise | elternzeit | mutterschutz | krank\w* | erkrankt
        # closing days, a Dutch office shut: 'hat Schließtage bis', 'ons kantoor is dicht'
        | schliesstag\w* | schliesszeit\w* | dicht
        # in the operating room or in court all day: in surgery, in sala operatoria, em
        # cirurgia, en quirófano, au bloc, im OP, in court, au tribunal, in udienza
        | in\ surgery | in\ theatre | in\ sala\ operatoria | em\ cirurgia | en\ cirugia | en\ quirofano | en\ el\ quirofano
        | au\ bloc | im\ op | in\ de\ operatiekamer | in\ court | au\ tribunal | en\ audience | in\ udienza | vor\ gericht
        | em\ audiencia | en\ juicio
        # field work away from the desk: im Außendienst, auf Montage
        | im\ aussendienst | im\ ausendienst | auf\ montage
        | betriebsruhe | ausser\ haus | auser\ haus | unterwegs | verreist | geschlossen | betriebsferien | nicht\ im\ buro | nicht\ (?:in\ der|im|in|am|beim)\ \w+
        # a mailbox not attended, a long time out (not staffed: nicht besetzt, unbesetzt, above)
        | nicht\ betreut | wird\ derzeit\ nicht\ (?:betreut|bearbeitet|gelesen) | auszeit
        | nicht\ da | nicht\ hier | nicht\ im\ haus\w* | nicht\ vor\ ort | injoignable | irraggiungibile | onbereikbaar | ilocalizable
        | conge\w* | vacances | deplacement | a\ l'?\ ?exterieur\ du\ bureau | indisponible | maladie | hors\ du\ bureau | hors\ bureau | ferme\w*
        | ausente | ausencia | vacaciones | cierran?\ por | de\ puente | fuera | afuera | viaj\w* | permiso | baja | cerrad\w*
        | assente | assenza | ferie | congedo | vacanz\w* | fuori | viaggio | trasferta | malattia | chius\w*
        | afwezig\w* | \w*vakantie | \w*verlof | vrij | ziek | gesloten | op\ reis | buiten\ kantoor
        | ferias | licenca | folga | fora | afastad[oa]s? | fechad\w* | encerrad\w* | viagem | atestado
        # no work taken in for a while: will not process any requests, nebude vyřizovat
        | (?:will\ not|won'?t)\ (?:be\ )?(?:process|handl|answer|respond\w*\ to)\w*\ (?:any\ |new\ )?(?:requests|orders|enquiries|inquiries|tickets|queries)
        | (?:nebude|nebudeme|nebudou)\b[\ -~]{0,60}?\bvyrizova\w* | nevyrizuje\w*
        # a bridge day taken: tirei ponte, vou fazer ponte, me cojo el puente
        | (?:tirei|tiro|tirar|tiramos|vou\ tirar|faco|fazer|fazemos|vou\ fazer)\ (?:a\ |uma\ )?ponte | (?:cojo|cogi|cogemos|hago|hacemos)\ (?:el\ )?puente
        | (?:faccio|facciamo|faro|faremo)\ (?:il\ )?ponte
        # Polish time off: biorę wolne, mam wolne, wziąłem urlop (urlop\w* below)
        | (?:biore|bierzemy|wzialem|wzielam|mam|mamy|bede\ mial|bede\ miala)\ (?:\w+\ )?wolne | na\ wolnym
        # Nordic business trips: jobbreise, forretningsreise, arbejdsrejse, jobbresa
        | jobbreise\w* | jobbrejse\w* | jobbresa | jobbresor | arbeidsreise\w* | arbejdsrejse\w* | forretningsreise\w* | forretningsrejse\w*
        # Staying closed, whoever the business: resterà chiusa, will remain closed, bleibt
        # geschlossen, blijft gesloten, permanecerá cerrada, restera fermé, ficará fechada.
        | (?:rester\w*|rimarr\w*|rimane|restano|rimangono)\ chius\w* | (?:will\ )?remains?\ closed | will\ be\ closed
        | bleib\w*\ geschlossen | blijf\w*\ gesloten | (?:permanecer\w*|permanece\w*|seguir\w*)\ cerrad\w*
        | rester\w*\ ferme\w* | (?:ficar\w*|permanecer\w*)\ fechad\w*
        # Season breaks: pausa estiva, chiusura estiva, fermeture estivale, Sommerpause.
        | (?:pausa|chiusura|sospensione)\ (?:estiva|invernale|natalizia) | ferie\ estive
        | (?:fermeture|pause|coupure)\ (?:estivale|annuelle|hivernale) | sommerpause | winterpause | betriebsurlaub | \w{3,}pause | pausier\w* | ruht | ruhen | pausat | pausad | pausar | holder\ pause | har\ pause | tar\ paus | burn-?out
        # Suspended or interrupted for a while: service suspendu, suspendemos las clases,
        # attività sospese, interromperemos o atendimento, Betrieb unterbrochen, opgeschort.
        | suspend\w* | suspension | suspens[aeo]s? | sospes[aeio] | sospend\w* | sospensione | interromp\w* | interrump\w* | unterbroch\w* | unterbrech\w* | opgeschort
        | (?:cierre|pausa|descanso)\ (?:estival|vacacional|por\ vacaciones) | (?:pausa|recesso)\ (?:de\ verao|de\ fim\ de\ ano|de\ final\ de\ ano|de\ natal|coletivo|forense|escolar)
        # A break, not the Italian and Portuguese withdrawal from a contract (diritto di recesso).
        | em\ recesso | entr\w*\ em\ recesso | en\ receso | receso\ (?:navideno|vacacional|de\ fin\ de\ ano|escolar)
        | zomerstop | zomersluiting | tussenuit | ertussenuit
        # On pause: a shop, a blog or a project paused for a while (in pausa fino al 16, fazer
        # uma pausa de quatro semanas, en pausa hasta, en pause jusqu au, op pauze).
        | (?:in|en|em|on|op)\ pau(?:sa|se|ze) | (?:fare|fazer|hacer|faire|prendre|tomar|prendersi)\ (?:uma\ |una\ |une\ |un\ )?(?:pequena\ |piccola\ |petite\ |breve\ |pequena\ )?pau(?:sa|se)
        # the same verbs conjugated: si prende una pausa, je prends une pause, me tomo una pausa
        | (?:prend\w*|tom[oa]\w*|fac\w*|faz\w*|hac\w*|hag\w*|fai\w*|fa|fais|fait|dar|da|dou|damos|dare|diamo)\ (?:una|uma|une|un)\ (?:\w+\ )?pau(?:sa|se)
        # Catalan: closed, we close.
        | tancat\w* | tanquem | tancarem
        # We close: the verb says who (nous fermons, cerraremos, chiudiamo, fecharemos).
        | fermons | fermerons | cerramos | cerraremos | chiudiamo | chiuderemo | fechamos | fecharemos
        | training | trade\ fair | workshop | exhibition | expo | summit | business\ trip | bereavement | on\ a\ course
        | arbeitsunfahig\w* | tagung | weiterbildung | zur\ kur | in\ kur | reha
        | arret | incapacite | voyage | seminaire | salon | en\ mission | rtt | convalescence | colloque | congres
        | licencia | feriado\ legal | congreso | conferencia | feria | formacion | capacitacion | seminario
        | permesso | convegno | congresso | aspettativa | in\ missione
        | ziek\w* | beurs | congres | conferentie | cursus | zakenreis | dienstreis | studiereis | opleiding
        | baixa | conferencia | formacao | treinamento | (?:na|numa|uma|a|em)\ feira
        # A leave of absence or a sabbatical: excedencia, aspettativa, Sabbatical, sabático.
        | excedencia | sabbatic[oa]s? | sabatic[oa]s? | sabbatique | sabbatjaar | sabbatjahr | sabbatsar
        | urlop\w* | nieobecn\w* | poza\ biur\w* | poza\ firma | zwolnieni\w* | l4 | delegacj\w* | wyjazd\w* | podroz\w*
        | niedostepn\w* | chory | chora | chorob\w* | macierzynsk\w* | rodzicielsk\w* | ojcowsk\w* | wakacj\w* | zamkniet\w* | nieczynn\w* | przerw(?:a|e|ie) | wstrzyman\w* | (?:slaby|brak|bez)\ zasieg\w* | zasieg\w*\ (?:slaby|ograniczony)
        | konferencj\w* | szkoleni\w* | targ(?:i|ach|ow)
        # Polish 'wypadam na tydzień' (I drop out for a week), w szpitalu
        | wypadam | wypadne | w\ szpitalu
        # Polish: I am not / will not be (in), nie ma mnie, nie bedzie mnie (see below for na
        # spotkaniu)
        | nie\ bedzie\ mnie | nie\ ma\ mnie | mnie\ nie\ (?:bedzie|ma)
        | semester\w* | \w*ledig\w* | franvar\w* | borta | vaek | vekk | borte | pa\ \w*tur | sjuk\w* | tjansteres\w* | pa\ resa | pa\ resande\ fot | bortrest
        | \w*stangt | \w*stangd\w* | konferens\w* | utbildning\w*
        # limited access to mail: begränsad tillgång, begrænset adgang, begrenset tilgang
        | begransad\ tillgang | begraenset\ adgang | begrenset\ tilgang
        # Danish and Norwegian compounds: sommerferie, skiferie, juleferie
        | \w*ferie\w* | fravaer\w* | \w*barsel\w* | orlov | syg | sygemeld\w* | bortrejst | rejse\w* | tjenesterejse | \w*lukket | kursus
        | konference | (?:holder|har|tager|tar)\ fri | \w*permisjon | sykemeld\w* | sykmeld\w* | syk | reise\w* | bortreist | \w*stengt
        | avspasering | kurs | konferanse | ute\ av\ kontoret | ude\ af\ kontoret | ikke\ til\ stede
        # at the cabin or the summer house: på hytta, i sommerhuset
        | pa\ (?:hytta|hytten|hytteferie|sommerstedet|stugan|landstedet|sommarstugan|torpet)
        | i\ (?:sommerhuset|sommerhus|sommarstugan)
        # Finnish: at or to the summer cottage (mökillä, mökille), back at the computer
        | mokilla | mokille | mokkeilla
        | (?:kesa|vuosi|talvi|hiihto|sairas|sairaus|aitiys|isyys|vanhempain|joulu|syys|kevat|perhe|opinto|vuorottelu)?lom(?:a|aa|alla|alle|alta|ani|allani|an|illa|ille|ilta|illani)
        | \w*vapaalla | poissa | matkoilla | \w*matkalla | reissussa | reissulla | sairas\w* | tavoittamattomissa | suljettu\w* | \w*tauo\w* | \w*tauko\w* | \w*kiinni | (?:olemme|on|ovat|ollaan)\ kiinni | koulutuksessa | messuilla
        | dovolen\w* | nepritom\w* | mimo\ kancelar\w* | mimo\ kancl | mimo\ firmu | mimo\ pracoviste | sluzebni\w* | pracovni\ cest\w* | zahranicni\w*\ cest\w* | obchodni\w*\ cest\w*
        | nemocn\w* | nemocensk\w* | neschopn\w* | rodicovsk\w* | matersk\w* | nedostupn\w* | zavren\w* | zavreno | skoleni | konferenc\w*
        # at an installation job, at home after an operation
        | na\ montazi | na\ montaz | po\ operaci
        | volno | v\ zahranici | na\ cestach | prazdnin\w* | na\ horach | veletrh\w* | veltrh\w* | uzavren\w* | pozastaven\w* | prerusen\w* | prestavk\w*
        # the writer away: jsem pryč, budu pryč (not je to pryč, it is gone)
        | (?:jsem|budu|jsme|budeme)\ pryc
        # Slovak: na dovolenke (dovolen\w* above), na PN-ke, práceneschopný, na služobnej ceste,
        # mimo kancelárie, nie som v práci, na materskej (matersk\w* above)
        | pn-?ke | peenke | na\ pn | praceneschopn\w* | sluzobn\w*\ cest\w* | pracovn\w*\ cest\w* | mimo\ kancelarie
        | mimo\ uradu | nie\ som\ (?:v\ praci|v\ kancelarii|k\ zastihnutiu|dostupn\w*) | nebudem\ (?:v\ praci|v\ kancelarii|k\ zastihnutiu|dostupn\w*)
        | (?:som|budem|sme|budeme)\ prec | skoleni\w*
        # at the construction site, in the home town, no signal
        | santiye\w* | memlekete | memleketteyim | memlekette | internet\ cekmiyor | cekmiyor
        | izin\w* | izn\w* | tatil\w* | istirahat\w* | hastanede\w* | ofis\ disi\w* | yurt\ disi\w* | ofiste\ degil\w* | (?:ofiste|iste|burada)\ olmay\w* | seyahat\w* | raporlu\w* | ulasilama\w* | ulasamay\w* | kapali\w* | (?:internet|erisim\w*)\ (?:yok|kisitli)
        | egitim\w* | hastayim | hastalandim | fuar\w* | konferans\w* | bulunmuyor\w* | bulunmayacag\w* | yokum
        | fuzai | kyuuka | shucchou | kyuugyou | yasumi | sankyuu | ikukyuu | gaishutsu | nenmatsunenshi
        # Not there, with a time after it: not around, je ne suis pas là, non ci sono fino a, no
        # estoy hasta, ik ben er tot ... niet, não estou cá, bin ... weg (see `not_there`).
        | not\ around | won'?t\ be\ around | will\ not\ be\ around
        | not\ (?:be\ )?in\ (?:the\ )?office | not\ at\ (?:my\ )?desk | not\ in | won'?t\ be\ in | will\ not\ be\ in
        | (?:i'?m|i\ am|we'?re|we\ are|i'?ll\ be|we'?ll\ be|will\ be|then)\ gone
        | (?:ne\ )?(?:suis|serai|sommes|serons)\ pas\ la | non\ ci\ (?:sono|saro|saremo)
        | no\ (?:estoy|estare|estaremos|estamos) | nao\ (?:estou|estarei|estaremos|estamos)
        | (?:ben|zijn)\ er | weg | raus
        # Time off of one's own kind: honeymoon, jury duty, gone fishing, a few days off.
        # Disappearing for a while: I'll disappear for two weeks, spariremo per un po',
        # desaparezco unos días, je disparais quelques jours, ik verdwijn even, ich tauche ab.
        | disappear(?:ing)?\ for | spari(?:sco|ro|remo|amo) | desaparezco | desaparecere\w* | disparais | disparaitr\w* | desapareco | verdwijn(?:en)? | tauche\ ab | abtauchen
        | honeymoon | huwelijksreis | flitterwochen | lune\ de\ miel | luna\ de\ miel | luna\ di\ miele | lua\ de\ mel
        # with the family elsewhere: visiting my parents, bei der Familie, en famille, bij mijn ouders
        | visiting\ (?:my\ |the\ )?(?:family|parents|relatives|in-laws|folks) | bei\ (?:der|meiner)\ familie | bei\ meinen\ eltern
        | en\ famille | bij\ (?:mijn\ |de\ )?(?:familie|ouders|schoonouders) | visitando\ (?:a\ )?(?:mi\ |minha\ )?(?:familia|mis\ padres|meus\ pais)
        # a research term (Forschungssemester, Freisemester)
        | forschungssemester | freisemester | forschungsfreisemester
        | jury\ duty | jury\ service | incapacidad | gone\ fishin(?:g)? | time\ off
        # a jury in the other languages: jurado popular, tribunal de júri, juré d'assises,
        # giudice popolare, Schöffe, Geschworene
        | (?:como|de)\ jurado | jurado\ popular | tribunal\ d[eo]\ juri | jure\ d'?\ ?assises | cour\ d'?\ ?assises
        | giudice\ popolare | giuria\ popolare | schoffe\w* | geschworene\w* | jurylid | jurydienst
        # no internet for a while, an office move: sem internet, sin internet, senza internet,
        # ohne Internet, zonder internet; de mudança de escritório, mudanza de oficina
        | (?:sem|sin|senza|ohne|zonder|without)\ (?:acesso\ (?:a\ |à\ )?|acceso\ a\ )?internet
        | mudanca\ de\ escritorio | mudanza\ de\ oficina | trasloco\ (?:dell'?\ ?)?ufficio | office\ move
        # Chilean 'en terreno' (out in the field), a poor signal; a hernia, a burn-out
        | en\ terreno | senal\ intermitente | sin\ senal | sem\ sinal | hernia | burn-?out
        # Australian and New Zealand 'crook' (ill): I'm crook, feeling crook
        | (?:i'?m|im|feeling|been|still)\ (?:a\ bit\ |pretty\ |really\ |bloody\ )?crook
        # called up: reserve duty, military service
        | reserve\ duty | military\ service | miluim
        # a service or office not working for now: non è operativo, no está atendiendo, not
        # operational, hizmet verememektedir
        | non\ (?:e|sara|siamo|saremo)\ (?:al\ momento\ |momentaneamente\ |temporaneamente\ )?operativ[oaie]
        | no\ (?:esta|estamos|estara|estaran|estaremos)\ (?:\w+\ )?atendiendo | not\ (?:currently\ )?operational
        | hizmet\ verem\w*
        # The return not known yet: not sure when I'll be back, ich weiss nicht, wann ich
        # zurück bin, no sé cuándo volveré, return date unknown, datum návratu není známo,
        # dönüş tarihim henüz belli değil.
        | (?:i'?m\ )?(?:not\ sure|unsure|don'?t\ know|do\ not\ know|no\ idea)\ (?:yet\ )?when\ (?:i'?ll|i\ will|i'?m|i\ am|we'?ll|we\ will|i\ can)\ (?:be\ )?(?:back|return\w*|in)
        | weiss\ (?:noch\ )?nicht,?\ wann\ ich | (?:ne\ )?sais\ pas\ (?:encore\ )?quand\ je | no\ se\ (?:todavia\ |aun\ )?cuando\ (?:volvere|regresare|estare|vuelvo)
        | non\ so\ (?:ancora\ )?quando\ (?:rientrero|tornero|saro|rientro|torno) | weet\ (?:nog\ )?niet\ wanneer\ ik | nao\ sei\ (?:ainda\ )?quando\ (?:volto|voltarei|regresso|retorno|estarei)
        | nie\ wiem,?\ kiedy\ wroc\w* | nevim,?\ kdy\ se\ vratim | (?:vet|ved)\ (?:inte|ikke)\ (?:an\ |endnu\ |enna\ )?(?:nar|hvornar)\ jeg
        | (?:return\ date|date\ of\ (?:my\ )?return|ruckkehrdatum|date\ de\ (?:mon\ )?retour|fecha\ de\ (?:mi\ )?(?:regreso|retorno|vuelta|reincorporacion)
          |data\ di\ (?:rientro|ritorno)|terugkeerdatum|data\ de\ (?:retorno|regresso)|data\ powrotu|datum\ navratu|donus\ tarih\w*|paluupaiva\w*|returdatum)
          (?:\ \w+){0,3}\ (?:unknown|not\ (?:yet\ )?(?:known|set|fixed|decided|confirmed)|tbc|tbd|unbekannt|offen|ungewiss|inconnue|indeterminee|pas\ encore
          |desconocida|por\ (?:definir|confirmar)|sin\ definir|da\ definire|sconosciuta|non\ ancora|onbekend|nog\ niet|indefinida|a\ definir|ainda\ nao
          |nieznana|nie\ jest|neni\ znam\w*|nezname|belli\ degil|belirsiz|ei\ ole|ole\ viela)
        | dias\ libres | giorni\ liberi | vrije\ dagen | freie\ tage | dias\ de\ folga
        # Disconnected and resting: desconectado, déconnecté, disconnesso, unplugged; de
        # reposo, a riposo, em repouso.
        | desconectad\w* | deconnecte\w* | disconness\w* | scollegat\w* | unplugged
        # ... and about to: 'me voy a desconectar los próximos 10 días', 'vou desligar-me',
        # 'je vais me déconnecter', 'mi disconnetto'
        | (?:voy|vamos)\ a\ desconectar\w* | desconectarme | vou\ (?:me\ )?(?:desconectar|desligar)\w* | (?:desconectar|desligar)-me
        | (?:vais|allons)\ (?:me\ |nous\ )?deconnecter | (?:mi|ci)\ disconnett\w*
        | (?:de|en|a|em)\ (?:reposo|riposo|repouso)
        | (?:sono|saro|siamo|saremo|sto|staro|stiamo|staremo)\ via
        # A farewell until a day: nos despedimos hasta, despede-se até, vi salutiamo fino a, wir
        # verabschieden uns bis (see `not_there`: not the closing of a letter).
        | despedimos | despedimo | despede | despedem | salutiamo | verabschieden\ uns | say\ goodbye
        # ich habe bis 11.6. frei, ich nehme mir frei (see `not_there`)
        | frei
        | (?:taking|take|takes|took|have|having)\ (?:a\ )?(?:few\ |couple\ (?:of\ )?|some\ |two\ |three\ |four\ |\d+\ )?(?:days?|weeks?)\ off
        )\b",
    )
    .ok()
});

static CALLBACK_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?x-u)\b(?:
        call\ me(?:\ back)? | call\ back | (?:ring|phone)\ me\ back | contact\ me | contact\ us | contact\ (?:this|our)\ office | reach\ (?:back\ )?out | reach\ back | reach\ me | get\ in\ touch
        | get\ back\ to\ me | follow\ up | try\ me | try\ us | trying\ me | trying\ us | try\ again | (?:call|ring|phone|write|email|e-mail)\ again | ping\ me | circle\ back | reconnect
        | write\ me | write\ us | tag\ me | mention\ me | nudge\ me | poke\ me | ping\ us | re-?ping
        | touch\ base | get\ back\ in\ touch | be\ back\ in\ touch | write\ to\ me | email\ me | (?:could|can|would|please|pls|kindly)\ (?:you\ )?(?:please\ |kindly\ )?(?:resend|re-send) | hit\ me\ up | catch\ me | marcame | marqueme | marcarme | ozvite\ sa | hit\ us\ up | dm\ me | message\ me | pm\ me | slack\ me | send\ it\ again | send\ this\ again | (?:please|pls|kindly)\ (?:re-?)?send\ (?:\w+\ ){0,3}again | send\ again\ (?:your|the|it|this) | send\ (?:it|this)\ over\ again | send\ me | e-mail\ me | check\ back | ask\ me\ again | come\ back\ to\ me | connect\ with\ (?:me|us) | revert\ to\ (?:me|us)
        | melden\ sie\ sich | melden | rufen\ s'?\ ?mich | kontaktieren | rufen\ sie | anrufen | schreiben\ sie | erneut | erreichen\ sie\ mich
        | noch\ einmal | noch\ mal | nochmals? | zuruckrufen | auf\ (?:mich|uns)\ zu(?:kommen)?
        | hablame | hableme | recontact\w* | rap{1,2}el{1,2}\w* | contactez | reprendre\ contact | revenez | relancez | ecrivez | revenir\ vers\ moi | revenez\ vers\ moi
        | contacte\w* | contacta\w* | llame\w* | llamame | llamenme | llamar\w* | escribame | escribeme | escribirme
        # the voseo of the River Plate: escribime, escribinos (llamame, contactame as above)
        | escribime | escribinos | escribanos | vuelva\ a | pongase\ en\ contacto
        # asked in the subjunctive or the infinitive: que nos escriba de nuevo en mayo, nous
        # renvoyer votre offre après le 15
        | (?:me|nos)\ escriba\w* | (?:nous|me)\ (?:renvoyer|reecrire|recontacter|readresser|resoumettre) | ripresent\w* | resubmit | re-submit
        # write or send again: reescríbeme, reenvíame, réécrivez-moi, reenvie (not the writer's
        # own reenvío, reenviamos: I forward, we forward)
        | reescrib\w* | reenvi(?:a|ame|anos|e\w*|ar\w*)\b | reecri\w*
        | comuniquese | ricontatt\w* | risent\w* | contatt\w* | richiam\w* | scriv(?:imi|i|a|ete\w*|ermi|erci|ere|ici)\b | chiamami | risentiamoci
        | sentiamoci | ci\ sentiamo | aggiorniamoci | ci\ aggiorniamo | neem\ contact | contact\ op | contact\ met\ (?:mij|me|ons)\ op | contact\ met\ (?:mij|me|ons)\ op | bel\ (?:me|mij|ons) | bellen | mail\ (?:me|mij|ons) | opnieuw | terugbellen
        | entre\ em\ contato | contato | ligue | ligar | escreva | retome | procure | procura | procurem | procurar
        | fale\ comigo | fala\ comigo | falar\ comigo | volte\ a | falamos | conversamos | hablamos | hablemos | relancer | benaderen | riscriv(?:imi|i|a|ete\w*|ermi|erci|ere)\b
        | ring\ me | phone\ me | text\ me | give\ (?:me|us)\ a\ (?:call|ring|buzz|shout|bell) | (?:talk|speak|chat)\ again
        # the object left out after a plea, before an hour: 'please call after 4 pm', 'pls ring
        # back at 3' (not 'please call Steve')
        | (?:please|pls|kindly)\ (?:call|ring|phone)(?:\ back)?\ (?:after|before|at|around|between)
        | bump\ (?:this|me|us|it) | remind\ (?:me|us) | revisit | on\ reprend | reprenons
        | uno\ squillo | una\ telefonata | voltar\ a\ (?:falar|contactar|ligar|escrever)
        | ruf\ mich | meld\ dich | melde\ dich | sprechen\ wir | horen\ wir | (?:sprechen|horen)\ uns\ (?:im|in|nach|anfang|mitte|ende|ab)
        | reparl\w* | rediscut\w* | appel\w* | telephon\w* | relance\w*
        | llamas | llamais | llaman | retom\w* | volv[ea]mos\ a\ hablar
        | chiami | chiamate | chiamatemi | richiamatemi | scrivetemi | sentitemi | chiamarmi | richiami | telefonarmi | sentirmi | riparl\w* | fatti\ (?:ri)?sentire | fatevi\ (?:ri)?sentire
        | spreken\ elkaar | spreken\ we | bespreken | (?:reminder|herinnering)\ (?:sturen|stuur) | een\ herinnering | stuur\ (?:me|mij|ons) | stuurt\ u\ (?:me|mij|ons) | stuur\ je\ (?:me|mij|ons)
        | liga | chama | chame | voltamos\ a\ falar | telefon\w*
        | mandame | mandeme | mandenme | enviame | envieme | envienme | mandami | mandatemi | inviami | inviatemi
        | mande | manda | envie | envia | envoyez-moi | envoie-moi | meld\ je | meld\ u | van\ je\ horen | van\ u\ horen
        | drop\ me | shoot\ me | schicken\ sie\ mir | senden\ sie\ mir
        | o\ kontakt | skontaktuj\w* | kontakt\w*\ (?:sie\ )?ponownie | ponown\w* | odezwij\w* | odezwac\w* | odezwa\b | zadzwon\w* | napisz\w* | porozmawiaj\w*
        | wrocmy | odpisz\w* | prosze\ (?:sie\ )?(?:napisac|zadzwonic|odezwac) | wrocic\ do\ mnie | wroc\ do\ mnie
        | hor\ av\ dig | hor\ garna\ av\ dig | hor\ av\ er | kontakta\ (?:mig|oss) | ring\ (?:mig|oss|meg|til\ mig) | ring\ tillbaka
        | aterkoppla | skriv\ till\ mig | mejla\ mig | maila\ mig
        | kontakt\ (?:mig|os|meg) | kontakte\ mig | skriv\ til\ (?:mig|meg) | vend\w*\ tilbage | henvend\w* | tag\ kontakt
        | tage\ kontakt | ta\ (?:gjerne\ )?kontakt | send\ meg | hor\ fra\ (?:dig|deg)
        # call, write, try again (ringe, ringa, skriv igen, prøv igjen, återkomma, vi hørs)
        | (?:kan|vil|kunne|kunde)\ (?:du|ni|dere|de)\ (?:ringe|ringa|skrive|skriva|sende|skicka)
        | ring\ (?:igen|igjen|tillbaka|tilbage|tilbake|garna|gerne|gjerne)
        # the Nordic imperative before an adverb or its time: ring hellere, ring på torsdag
        | ring\ (?:hellere|heller|helst|hellre|pa|efter|etter|fra|fran|imorgen|imorgon)
        | (?:skriv|skriva|skrive)\ (?:igen|igjen) | (?:prov|prove|forsok|prova)\ (?:igen|igjen|pa\ nytt)
        # asked by meaning rather than by word: check in, remind, chase, a sign or a ring
        | check\ in\ (?:with\ (?:me|us)|again) | chase\ (?:me|us) | bug\ (?:me|us) | get\ hold\ of\ (?:me|us) | loop\ back
        | erinner(?:n|e)?\ (?:sie\ )?(?:mich|uns) | kontakt\ aufnehmen | haken\ sie\ (?:gern\ |gerne\ )?nach | hak\ nach
        | schreib\ mir | schreiben\ sie\ mir | mail\ mir
        | herinner\ (?:me|mij|ons) | app\ (?:me|mij|ons) | ping\ (?:me|mij) | bij\ (?:me|mij|ons)\ terug
        | fai(?:tes|s)-moi\ signe | me\ (?:re)?faire\ signe | redemande(?:z)?-moi | sonne[zr]?-moi
        | anklingeln | klingeln\ sie\ (?:mich|uns) | klingel\ (?:mich|uns)\ an | recuerd\w*melo | tentar\ (?:de\ novo|novamente) | tente\ (?:de\ novo|novamente) | pass(?:ez|e)-moi\ un\ coup\ de\ fil | un\ coup\ de\ fil | pingue(?:r|z)?(?:-moi)?\b
        | rifatt[io]\ viv[oa] | rifatevi\ vivi | fatti\ vivo | rifar(?:si|ti|vi|mi)\ viv[oaie] | ricordam\w* | ricordatemi | mi\ ricordi
        | insisteme | insistame | (?:pegame|dame|deme|echame|echeme)\ un\ toque | comunicate\ conmigo | recuerdam\w* | recuerdem\w* | buscame | busqueme | que\ me\ (?:escriba|escribas|escriban|llame|llames|llamen|contacte|contactes|contacten|busque|busques)
        | me\ (?:escribes|escribis|llamas|contactas|marcas)\ (?:otra\ vez|de\ nuevo|nuevamente|a\ partir|en|el|la|despues|desde) | me\ (?:buscas|buscais)
        | me\ cobr[ae] | cobre-me | (?:da|de)-me\ um\ toque | me\ d[ae]\ um\ toque | me\ lembre | lembre-me | relembre-me
        | aterkom | aterkomma | (?:send|skicka)\ (?:garna|gerne|gjerne) | (?:kom|komme)\ tilbake\ til\ (?:meg|oss)
        | vi\ (?:hors|hores)
        | ota\ yhteytta | ottakaa\ yhteytta | tag\ fat\ i\ (?:mig|os) | ta\ tak\ i\ (?:meg|oss) | (?:send|gi|giv|skicka|ge)\ (?:meg|mig|oss|os)\ (?:gjerne\ |gerne\ |garna\ )?en\ (?:paminnelse|pamindelse|purring|rykker) | otathan\ yhteytta | yhteytta\ uudelleen | soita\ minulle | soittakaa | soitathan
        | kirjoita\ minulle | laita\ viestia | laita | laittakaa | laitathan | soita | soitathan | soittele | soitelkaa | voisitko\ soittaa | palaa\ asiaan | uudestaan | palataan | uudelleen | lahesty\w* | jutellaan | keskustellaan
        | zavolajte\w* | zavolaj | napiste\ mi | ozvem\ sa | ozveme\ sa | kontaktujte\ ma
        | ozvete\ se | ozvi\ se | ozvete | ozvat | kontaktujte\w* | kontaktuj\w* | zavolejte\w* | zavolej
        | napiste\w* | napis\ mi | zkuste\ (?:mi\ |me\ |nas\ |nam\ )?(?:prosim\ )?(?:napsat|zavolat|ozvat|kontaktovat) | znovu | pozdeji | promluvme | (?:muzete|muzes|mohl\ byste|mohla\ byste|mohli\ byste)\ (?:mi\ |nam\ )?(?:zavolat|napsat)
        | tekrar\ iletisime\ gec\w* | iletisime\ gec\w* | iletisim\ kur\w* | tekrar\ yaz\w* | beni\ ara\w* | bizi\ ara\w*
        | arayin | arayiniz | ararsaniz | ararsan | arayabilirsiniz | yazabilirsiniz | arayabilir\ mi\w* | arar\ mi\w* | yazabilir\ mi\w* | yazar\ mi\w* | deneyin | deneyiniz | deneyebilirsiniz | ulasin | ulasabilirsiniz | tekrar | yeniden
        | renraku
        | pozvonit\w* | perezvon\w* | svyazhit\w* | napishit\w*
        # asked as a question or a plea, the object before the verb: 'me puedes marcar', 'pode
        # me chamar', 'mi mandi una mail', 'kindly connect after', 'sending this again'
        | (?:me|nos)\ (?:puedes|puede|pueden|podrias|podria|podrian|podes)\ (?:marcar|llamar|escribir|contactar|buscar)
        | (?:pode|podem|podes|poderia|poderiam)\ (?:me|nos)\ (?:chamar|ligar|escrever|procurar|contactar|contatar|mandar)
        | escrever\ (?:de\ novo|novamente) | (?:contacto|contato)\ (?:novamente|de\ novo) | entre\ em\ contacto
        | mi\ mandi | mi\ invii | mi\ riscriva | (?:kindly|please|pls)\ (?:connect|revert) | connect\ again
        | (?:kindly|please|pls|plz)\ (?:do\ )?(?:call|ring|phone)\ (?:on|after|at|back|tomorrow|next|in)
        | (?:sending|send)\ (?:this|it)\ (?:over\ |across\ )?again | nog\ eens | nogmaals | nog\ een\ keer
        | stuur\ (?:\w+\ ){0,6}(?:een\ )?(?:berichtje|bericht|mailtje|appje) | (?:schreib|schreibt)\ (?:mir|uns)
        | contacta\ conmigo
        | (?:prosze|prosimy)\ (?:o\ )?(?:wrocic|powrocic)\ do\ (?:tematu|sprawy|rozmowy)
        | fragen\ sie\ (?:gerne\ |gern\ |bitte\ |doch\ )*(?:im|in|nach|ab|anfang|ende|mitte|nachste\w*|kommende\w*|spater)
        )\b",
    )
    .ok()
});

/// An emergency's clause opener ("in case of emergency", "en cas d'urgence", "in dringenden
/// Fällen", "en caso de urgencia", "per urgenze", "bij spoed", "w pilnych sprawach"): the
/// contact asked for after it is someone else's or another line, no call-back.
static URGENT_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?x-u)\b(?:
        in\ case\ of\ (?:an\ )?(?:emergency|emergencies|urgency) | for\ (?:anything\ )?urgent(?:\ matters|\ issues|\ questions|\ requests)?
        | for\ emergencies | in\ urgent\ cases | if\ (?:it\ is|it\ s|its)\ urgent
        | en\ cas\ d\ ?'?\ ?urgence | pour\ toute\ urgence | si\ c\ ?'?\ ?est\ urgent
        | in\ dringenden\ fallen | in\ notfallen | im\ notfall | bei\ dringenden\ anliegen
        | en\ caso\ de\ urgencia | para\ urgencias | in\ caso\ di\ urgenza | per\ urgenze
        | em\ caso\ de\ urgencia | para\ assuntos\ urgentes | bij\ spoed | voor\ dringende\ zaken
        | w\ pilnych\ sprawach | v\ naleh\w+\ pripadech
        )\b",
    )
    .ok()
});

/// Words of a return already made, before the absence come back from ("voltei das férias",
/// "volví de vacaciones", "back from holiday", "sono rientrata dalle ferie").
const BACK_FROM: &[&str] = &[
    "voltei",
    "regressei",
    "retornei",
    "volvi",
    "regrese",
    "returned",
    "back",
    "rientrato",
    "rientrata",
    // "nu är jag tillbaka efter semestern", "ben net terug van vakantie", "zurück aus dem
    // Urlaub": the Nordic, Dutch and German "back" before the absence come back from
    "tillbaka",
    "tilbage",
    "tilbake",
    "terug",
    "zuruck",
];

/// Particles that finish a call verb ("call me back", "bel me terug", "ruf mich zurück").
const CALL_PARTICLES: &[&str] = &["back", "terug", "zuruck"];

/// Work verbs: negated ("I don't work on Mondays", "ich arbeite montags nicht", "je ne
/// travaille pas le lundi", "ik werk niet op maandag") they name a weekly day off.
static WORK_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?x-u)\b(?:work|working|arbeite|arbeiten|travaille|trabajo|lavoro|werk|trabalho)\b").ok()
});

/// Nouns a work word qualifies ("working hours", "working days", "work pattern"): with one,
/// it names no day off, negated or not.
const WORK_NOUNS: &[&str] = &[
    "hours", "hour", "day", "days", "time", "times", "week", "weeks", "pattern", "patterns", "schedule",
];

/// Nouns of a day off ("day off", "freier Tag", "jour de repos", "día libre", "giorno
/// libero", "vrije dag", "dia de folga").
static DAY_OFF_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?x-u)\b(?:
        day\ off | days\ off | non-working\ day | freier\ tag | freien\ tag | jour\ de\ repos | jour\ off
        | adv-dag | adv\ dag | atv-dag | snipperdag | roostervrije\ dag | bruckentag
        | dia\ libre | giorno\ libero | vrije\ dag | dia\ de\ folga | teikyuubi
        )\b",
    )
    .ok()
});

/// The words of opening hours at token `k`: "opening hours", "Öffnungszeiten", "horaires
/// (d'ouverture)", "horario", "orari", "openingstijden", "horário de funcionamento".
fn opening_hours_at(f: &Folded, k: usize) -> bool {
    f.is_any(
        k,
        &[
            "offnungszeiten",
            "oeffnungszeiten",
            "openingstijden",
            "orari",
            "horaires",
            "horario",
            "horarios",
        ],
    ) || f.is_any(k, &["opening", "business", "office", "store", "shop"]) && f.is_word(k + 1, "hours")
}

/// How many tokens from an absence word a weekday said as a habit is looked for.
const HABIT_REACH: usize = 6;

/// A weekday said as a habit at token `k`: a plural ("Sundays", "sonntags", "lundis",
/// "domingos", "zondags"), or after "every", "jeden", "tous les", "los", "ogni", "elke", "aos"
/// and the Italian and French articles of habit ("la domenica", "le lundi", not "le lundi
/// 5 mai", a date).
fn habitual_weekday(f: &Folded, k: usize) -> bool {
    let Some(tok) = f.toks.get(k) else { return false };
    if tok.kind != Kind::Word || tok.lex.weekday == 0 {
        return false;
    }
    let word = f.word(k);
    // (Spanish "viernes" is one Friday: see `SINGULAR_IN_S`.)
    let plural = !crate::dates::lexicon::SINGULAR_IN_S.contains(&word)
        && word
            .strip_suffix('s')
            .is_some_and(|stem| crate::dates::lexicon::lookup(stem).weekday == tok.lex.weekday);
    let before = k.checked_sub(1).map_or("", |b| f.word(b));
    let every = matches!(
        before,
        "every"
            | "each"
            | "jeden"
            | "jede"
            | "les"
            | "los"
            | "las"
            | "ogni"
            | "elke"
            | "iedere"
            | "aos"
            | "nos"
            | "todos"
            | "todas"
    );
    let article = matches!(before, "la" | "il" | "le") && !f.is_num(k + 1);
    plural || every || article
}

/// An absence with no end in sight: "until further notice", "bis auf Weiteres", "jusqu'à
/// nouvel ordre", "hasta nuevo aviso", "fino a nuovo avviso", "tot nader order", "até novo
/// aviso", "当面の間". It makes a closure temporary (a pause, not a stop) and leaves no day
/// to return on, whatever days were said before ("closed until the 6th, now extended until
/// further notice").
static OPEN_ENDED_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?x-u)\b(?:
        (?:until|till|til)\ further\ notice | for\ the\ foreseeable\ future | indefinitely
        | bis\ auf\ (?:weiteres|weiteren|weiters) | auf\ unbestimmte\ zeit
        | jusqu'?\ ?(?:a|au)\ nouvel\ (?:ordre|avis) | pour\ une\ duree\ indeterminee
        | hasta\ (?:nuevo\ aviso|nueva\ orden) | por\ tiempo\ indefinido
        | fino\ a\ (?:nuovo\ (?:avviso|ordine)|data\ da\ destinarsi)
        | tot\ nader\ (?:order|bericht) | voor\ onbepaalde\ tijd
        | ate\ (?:novo\ aviso|nova\ ordem) | por\ tempo\ indeterminado
        | tills\ vidare | (?:indtil|inntil)\ videre | do\ odwolania | do\ odvolani
        | toumen
        # the return's day said to be unknown: 'my return date isn't fixed yet', 'das
        # Rückkehrdatum steht noch nicht fest', 'la date de mon retour n'est pas encore
        # connue', 'fecha de regreso aún sin definir', 'data di rientro ancora da definire'
        | return\ date\ (?:is\ not|isn'?\ ?t)\ (?:yet\ )?(?:known|fixed|set|confirmed|decided)
        | return\ date\ is\ (?:still\ )?(?:unknown|unclear|open|tbc|tbd|not\ (?:yet\ )?(?:known|fixed|set|confirmed|decided))
        | no\ (?:fixed\ |firm\ )?return\ date | date\ of\ (?:my\ )?return\ (?:is\ )?(?:not\ (?:yet\ )?known|unknown|open)
        | (?:ruckkehrdatum|datum\ (?:meiner|der)\ ruckkehr)\ (?:steht|ist)\ (?:noch\ )?(?:nicht\ (?:fest|bekannt)|offen|unbekannt)
        | date\ (?:de|de\ mon)\ retour\ (?:n'?\ ?est\ )?(?:pas\ encore\ (?:connue|fixee|definie)|inconnue|indeterminee)
        | fecha\ de\ (?:regreso|reincorporacion|vuelta|retorno)\ (?:aun\ |todavia\ )?(?:no\ (?:esta\ )?(?:definida|confirmada|fijada)|sin\ definir|por\ definir)
        | data\ di\ rientro\ (?:non\ (?:e\ )?ancora\ (?:definita|nota|fissata)|ancora\ da\ definire|da\ definire)
        | datum\ van\ (?:terugkeer|terugkomst)\ (?:is\ )?(?:nog\ )?(?:niet\ bekend|onbekend|open)
        | data\ de\ (?:regresso|retorno)\ (?:ainda\ )?(?:nao\ (?:esta\ )?(?:definida|confirmada)|indefinida|por\ definir)
        # ... or the writer not knowing yet when they are back: 'now I don't know yet when I
        # am back', 'ich weiß noch nicht, wann ich zurück bin', 'no sé aún cuándo vuelvo'
        | (?:do\ not|don'?\ ?t|dont)\ (?:yet\ )?know\ (?:yet\ )?when\ i(?:'?\ ?ll|\ will|'?\ ?m|\ am|\ can|\ shall)?\ (?:be\ )?(?:back|return)
        | weiss\ (?:ich\ )?(?:noch\ )?nicht,?\ ?wann\ ich\ (?:wieder|zuruck)
        | (?:je\ )?ne\ sais\ pas\ (?:encore\ )?quand\ je\ (?:serai\ de\ retour|rentre|rentrerai|reviens|reviendrai)
        | no\ se\ (?:todavia\ |aun\ )?cuando\ (?:vuelvo|volvere|regreso|regresare|me\ reincorporo)
        | non\ so\ (?:ancora\ )?quando\ (?:rientro|rientrero|torno|tornero)
        | weet\ (?:ik\ )?(?:nog\ )?niet\ wanneer\ ik\ (?:terug|weer)
        | nao\ sei\ (?:ainda\ )?quando\ (?:volto|voltarei|retorno|regresso)
        )\b",
    )
    .ok()
});

/// Events one goes to and may meet people at (see [`meeting_before`]).
const EVENTS: &[&str] = &[
    "fair",
    "conference",
    "congress",
    "show",
    "expo",
    "exhibition",
    "summit",
    "messe",
    "tagung",
    "kongress",
    "salon",
    "congres",
    "colloque",
    "feria",
    "congreso",
    "fiera",
    "convegno",
    "congresso",
    "beurs",
    "targi",
    "targach",
    "veletrhu",
    "veletrh",
    "konferenci",
    "konferencji",
    "massan",
    "messen",
    "feira",
];

/// A farewell that meets the reader stands a few words before token `start` in its sentence: "see
/// you", "meet you", "wir sehen uns", "uvidíme se", "ci vediamo", "nos vemos", "on se
/// voit", "zien elkaar", "widzimy się", "vi ses".
fn meeting_before(f: &Folded, start: usize) -> bool {
    static MEET_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(
            r"(?x-u)\b(?:see\ you | meet\ you | meet\ up | sehen\ (?:wir\ )?uns | treffen\ (?:wir\ )?uns | uvidime\ se | potkame\ se
            | ci\ vediamo | nos\ vemos | on\ se\ voit | on\ se\ retrouve | zien\ (?:we\ )?elkaar | widzimy\ sie
            | spotkamy\ sie | vi\ ses | vemo-nos)\b",
        )
        .ok()
    });
    let Some(re) = MEET_RE.as_ref() else { return false };
    let Some(tok) = f.toks.get(start) else {
        return false;
    };
    let from = f.toks.get(start.saturating_sub(12)).map_or(0, |t| t.f_start);
    let window = f.text.get(from..tok.f_start).unwrap_or("");
    let Some(m) = re.find_iter(window).last() else {
        return false;
    };
    // In the same sentence: a date's dots ("am 7. Dezember") end none.
    let sentences = sentences(f);
    sentences.get(f.tok_at(from + m.start())) == sentences.get(start)
}

/// German prepositions and articles before an ordinal and its noun ("im 3. Quartal", "zum 2.
/// Mal"): the ordinal's dot ends no sentence there.
const GERMAN_BEFORE_ORDINAL: &[&str] = &[
    "im", "am", "zum", "zur", "vom", "bis", "ab", "dem", "der", "den", "des", "ins", "seit", "nach", "vor",
    "jeden", "jede", "jeder", "die", "das",
];

/// The first tokens of the open-ended markers of `f` (see [`OPEN_ENDED_RE`]), in order.
pub(crate) fn open_ended(f: &Folded) -> Vec<usize> {
    OPEN_ENDED_RE
        .as_ref()
        .map(|re| re.find_iter(&f.text).map(|m| f.tok_at(m.start())).collect())
        .unwrap_or_default()
}

/// Stems of verbs whose particle is "off" or "out" ("hold off", "figure out", "reach out",
/// "sold out"): with them the particle says nothing of an absence. Leaving words ("head
/// out", "log off", "sign off", "switch off", "set off", "cut off") are absences and stay out.
const PHRASAL_VERBS: &[&str] = &[
    "hold", "put", "kick", "pay", "paid", "show", "drop", "write", "call", "cool", "laid", "lay", "ward",
    "fend", "tip", "push", "figur", "find", "found", "check", "reach", "work", "sort", "point", "carr",
    "roll", "send", "sent", "print", "fill", "tr", "watch", "look", "stand", "sell", "sold", "rule", "hash",
    "flesh", "phas", "opt", "freak", "burn", "spell", "map", "lock", "lift", "branch", "rang", "ran",
    "start",
];

/// Words before "Weg" the noun ("auf dem Weg", "im Weg", "einen Weg", Dutch "de weg kwijt",
/// "een weg"): no absence.
const WEG_ARTICLES: &[&str] = &[
    "de",
    "een",
    "deze",
    "mijn",
    "zijn",
    "onze",
    "dem",
    "den",
    "der",
    "im",
    "am",
    "einen",
    "meinem",
    "unserem",
    "halben",
    "richtigen",
    "guten",
];

/// Words of time or place that, right after a "not there" ("je ne suis pas là", "non ci
/// sono", "no estoy", "não estou"), make it an absence rather than "not the right person",
/// "no problems", "not sure". French, Italian, Spanish, Portuguese, then the Dutch words that
/// may stand between "ben er" and "niet" ("d" is the French "d'ici").
const NOT_THERE_NEXT: &[&str] = &[
    "cette", "cet", "ce", "avant", "jusqu", "jusque", "demain", "aujourd", "du", "des", "les", "pendant",
    "entre", "d", "fino", "dal", "da", "per", "oggi", "domani", "questa", "questo", "tutta", "tutto", "la",
    "il", "hasta", "desde", "del", "esta", "este", "manana", "hoy", "aqui", "el", "ca", "ate", "na", "no",
    "amanha", "hoje", "tot", "t", "m", "tm", "en", "met", "vanaf", "van", "deze", "volgende", "morgen",
    "vandaag", "de", "hele",
];

/// How many words may stand between a "not there" and the place that completes it ("nie ma
/// mnie dziś i jutro w biurze").
const NOT_THERE_PLACE_GAP: usize = 5;

/// Words that end the reach of a "not there" over a place after it: a conjunction opens
/// another clause ("nie ma mnie dziś, ale jutro będę w biurze").
const NOT_THERE_BREAKS: &[&str] = &[
    "ale", "but", "mais", "pero", "ma", "mas", "lecz", "jednak", "then",
];

/// The absence words of `ABSENCE_RE` that hold only in context: "not around", "not in" and "je ne
/// suis pas là" and their kin before a word of time or place or at the end of the sentence;
/// "ik ben er" with "niet" a few time words later ("ik ben er tot maandag niet"); "weg"
/// after "bin"/"sind" ("ich bin ab Montag weg"), not the noun ("auf dem Weg"); "frei" after
/// "habe"/"nehme" ("ich habe morgen frei"), not after a noun ("noch Kapazitäten frei");
/// "sono via", not "sono via email". Every other absence cue holds as found.
fn not_there(f: &Folded, start: usize, end: usize) -> bool {
    let first = f.word(start);
    let last = f.word(end - 1);
    let fits = |k: usize| {
        f.is_any(k, NOT_THERE_NEXT)
            || f.toks
                .get(k)
                .is_none_or(|t| matches!(t.kind, Kind::Punct(b'.' | b',' | b'!' | b';')))
    };
    // "no estoy aquí hasta el lunes", not "no estoy aquí para vender nada": after "here" the
    // next word decides.
    let next_fits = |k: usize| {
        if f.is_any(k, &["aqui", "ca"]) {
            fits(k + 1)
        } else {
            fits(k)
        }
    };
    match (first, last) {
        ("ne" | "suis" | "serai" | "sommes" | "serons", "la") => next_fits(end),
        // "I'm not in until Monday", "not in today"; not "not in a position", "not in stock".
        (_, "around" | "in") => {
            next_fits(end)
                || f.is_any(
                    end,
                    &[
                        "until", "till", "til", "next", "this", "today", "tomorrow", "on", "from", "for",
                        "over", "during",
                    ],
                )
        }
        ("non", "sono")
        | ("no", "estoy" | "estare" | "estaremos" | "estamos")
        | ("nao", "estou" | "estarei" | "estaremos" | "estamos") => next_fits(end),
        // "ik ben er niet zeker van" is no absence; "ik ben er niet tot maandag" is.
        ("ben" | "zijn", "niet") => next_fits(end) || f.is_any(end, &["op", "in", "meer", "tussen"]),
        ("ben" | "zijn", "er") => {
            let timely = |k: usize| {
                f.is_any(k, NOT_THERE_NEXT)
                    || f.is_punct(k, b'/')
                    || f.toks.get(k).is_some_and(|t| {
                        t.kind == Kind::Num
                            || t.lex.weekday > 0
                            || t.lex.month > 0
                            || t.lex.next
                            || t.lex.unit != Unit::None
                    })
            };
            (end..end + 9)
                .take_while(|&k| f.is_word(k, "niet") || timely(k))
                .any(|k| k > end && f.is_word(k, "niet"))
        }
        // "ich habe morgen frei", "ich nehme mir die Woche frei"; not "noch Kapazitäten frei",
        // "Hände frei", "frei verfügbar".
        ("frei", _) => {
            let before = f.toks.get(start.wrapping_sub(1));
            before.is_some_and(|t| {
                !t.upper
                    || t.lex.weekday > 0
                    || t.lex.month > 0
                    || t.lex.unit != Unit::None
                    || t.kind != Kind::Word
            }) && (start.saturating_sub(7)..start)
                .any(|k| f.is_any(k, &["habe", "haben", "hab", "hat", "nehme", "nehmen", "genommen"]))
        }
        // "nos despedimos hasta septiembre", "vi salutiamo fino a settembre"; not a letter's
        // closing ("vi salutiamo cordialmente", "nos despedimos atentamente").
        ("despedimos" | "despedimo" | "despede" | "despedem" | "salutiamo" | "verabschieden" | "say", _) => {
            let mut k = end;
            // "despede-se", "despedimo-nos": the pronoun glued on.
            if f.is_punct(k, b'-') && f.is_any(k + 1, &["se", "nos"]) {
                k += 2;
            }
            if f.is_any(k, &["for", "in", "die", "den", "la", "a"])
                && f.is_any(
                    k + 1,
                    &[
                        "summer",
                        "sommerpause",
                        "estate",
                        "summer",
                        "vacaciones",
                        "ferias",
                    ],
                )
            {
                return true;
            }
            f.is_any(
                k,
                &[
                    "hasta", "ate", "fino", "bis", "until", "till", "dopo", "despues", "depois", "after",
                    "al",
                ],
            ) || (f.is_any(k, &["a", "in", "em", "en"]) && f.toks.get(k + 1).is_some_and(|t| t.lex.month > 0))
        }
        // "sono via email", "sono via Teams": a channel, not away.
        (_, "via") => !f.is_any(
            end,
            &[
                "email", "e", "mail", "posta", "telefono", "skype", "teams", "zoom", "whatsapp", "chat",
                "web", "pec", "sms",
            ],
        ),
        // "Jeg er væk resten af ugen", "jeg er borte til mandag": Danish and Norwegian
        // "away" after "er"; not "gå væk", "langt borte".
        ("vaek" | "vekk" | "borte", _) => {
            (start.saturating_sub(4)..start).any(|k| f.is_any(k, &["er", "blir", "bliver"]))
        }
        // "ich bin die nächsten zwei Wochen raus": colloquial "out", as "weg"; Dutch "ik ben
        // tot woensdag weg" too.
        // "Ich bin übrigens ab morgen bis zum 21. weg": the "be" may stand further back
        // within the clause, a time between.
        ("weg" | "raus", _) => {
            let prev = start.wrapping_sub(1);
            !f.is_any(prev, WEG_ARTICLES)
                && (start.saturating_sub(7)..start).any(|k| f.is_any(k, &["bin", "sind", "ben"]))
                || first == "weg"
                    && !f.is_any(
                        prev,
                        &[
                            "dem", "den", "der", "de", "het", "einen", "keinen", "im", "am", "auf",
                        ],
                    )
                    && (start.saturating_sub(10)..start)
                        .rev()
                        .take_while(|&i| {
                            !(sentence_stop(f, i) || f.is_punct(i, b',')) || f.is_num(i.wrapping_sub(1))
                        })
                        .any(|i| f.is_any(i, &["bin", "sind", "ben", "zijn"]))
        }
        _ => true,
    }
}

const NEGATIONS: &[&str] = &[
    "not", "nicht", "kein", "keine", "pas", "no", "non", "niet", "geen", "nao", "nie", "never", "inte", "ej",
    "ikke", "ikkje", "ole", "ei", "nebudu", "nejsem", "nebude", "nebudeme", "nejsme",
    // the second of two denials: "no paso consulta ni reviso el correo", "nor do I read mail"
    "ni", "nor", "nem",
];

/// Closure verbs in the first person plural ("nous fermons", "cerraremos", "chiudiamo",
/// "fecharemos"): the verb's ending says the writer's business is the subject.
pub(crate) const WE_CLOSE: &[&str] = &[
    "fermons",
    "fermerons",
    "cerramos",
    "cerraremos",
    "chiudiamo",
    "chiuderemo",
    "fechamos",
    "fecharemos",
];

/// Articles and determiners that open a direct object: after a closure verb, a thing closed.
const OBJECT_ARTICLES: &[&str] = &[
    "le", "la", "les", "l", "un", "une", "ce", "cette", "ces", "el", "los", "las", "lo", "il", "gli", "i",
    "o", "os", "as", "a", "um", "uma", "una", "uno", "este", "esta", "questo", "questa", "nuestro",
    "nuestra", "nostro", "nostra", "notre", "nos", "nosso", "nossa", "tu", "tua", "votre", "vos", "su",
    "sua", "seu",
];

/// Places of a meeting after a farewell ("see you in the office", "ci vediamo in ufficio",
/// "nos vemos en la oficina", "wir sehen uns im Büro").
const MEETING_PLACES: &[&str] = &[
    "office",
    "meeting",
    "call",
    "ufficio",
    "sede",
    "riunione",
    "oficina",
    "reunion",
    "buro",
    "buero",
    "bureau",
    "kantoor",
    "escritorio",
    "reuniao",
    "sala",
    "room",
];

/// The first words of the farewell cues ("see you in", "arrivederci", "ci vediamo",
/// "rendez-vous", "nos vemos", "vemo-nos", "wir sehen uns"): a return only as the cue itself,
/// never a word beside another cue, and a meeting when a place follows.
pub(crate) const FAREWELLS: &[&str] = &["see", "arrivederci", "ci", "rendez", "nos", "vemo", "wir"];

/// Whether the farewell cue from `start` to `end` ("see you in", "ci vediamo in") is followed
/// by a place of meeting rather than a time.
fn farewell_at_a_place(f: &Folded, start: usize, end: usize) -> bool {
    if !f.is_any(start, FAREWELLS) {
        return false;
    }
    let mut k = end;
    while f.is_any(k, &["the", "la", "l", "el", "le", "de", "het", "o", "a"]) || f.is_punct(k, b'\'') {
        k += 1;
    }
    f.is_any(k, MEETING_PLACES)
}

/// Whether a return cue starts at token `at` ("back", "de retour", "erreichbar"): negated,
/// it is an absence ("je ne suis pas de retour avant le 20", "nicht erreichbar").
pub(crate) fn return_cue_at(f: &Folded, at: usize) -> bool {
    let (Some(re), Some(tok)) = (RETURN_RE.as_ref(), f.toks.get(at)) else {
        return false;
    };
    re.find_at(&f.text, tok.f_start)
        .is_some_and(|m| m.start() == tok.f_start)
}

/// Verbs of setting off that carry their subject, the writer ("je pars", "salgo", "parto",
/// "ik vertrek", "vou", "ich fahre"): beside an absence, the writer leaving for it.
const LEAVING_FIRST_PERSON: &[&str] = &[
    "pars",
    "partons",
    "partirai",
    "partirons",
    "salgo",
    "salimos",
    "saldre",
    "saldremos",
    "voy",
    "vamos",
    "parto",
    "partiamo",
    "partiro",
    "partiremo",
    "vado",
    "andiamo",
    "vertrek",
    "ga",
    "vou",
    "saio",
    "saimos",
    "embarco",
    "viajo",
    "viajamos",
    "fahre",
    "fliege",
    "verreise",
    "breche",
    "reise",
];

/// Verbs of setting off without a subject of their own ("leaving for holidays soon",
/// "heading off on holiday"): the writer's only when nobody else is named.
const LEAVING_BARE: &[&str] = &[
    "leaving",
    "heading",
    "head",
    "departing",
    "depart",
    "departs",
    "flying",
    "fly",
    "going",
    "go",
    "leave",
    "set",
    "setting",
    "vertrekken",
    "vertrekt",
    "fahren",
    "fliegen",
    "verreisen",
];

/// How a verb of setting off at token `k` names its subject, if it is one: `Some(true)`
/// when its ending is the writer ("je pars", "parto"), `Some(false)` when the clause must
/// say who ("leaving tomorrow"). "Going to be out" is no setting off, nor "leave" as the
/// noun ("on leave").
pub(crate) fn leaving_verb(f: &Folded, k: usize) -> Option<bool> {
    let word = f.word(k);
    // Portuguese "entro de férias", "entro em licença" (Italian "entro" is "by").
    if LEAVING_FIRST_PERSON.contains(&word) || word == "entro" && f.is_any(k + 1, &["de", "em"]) {
        return Some(true);
    }
    let bare = LEAVING_BARE.contains(&word)
        && !(matches!(word, "going" | "go") && f.is_word(k + 1, "to") && f.is_word(k + 2, "be"))
        && (word != "leave" || f.is_any(k + 1, &["for", "on", "tomorrow", "today", "tonight"]))
        && (!matches!(word, "set" | "setting") || f.is_any(k + 1, &["off", "out"]));
    bare.then_some(false)
}

/// Whether a single folded word is itself an absence or a return ("vacation", "retour",
/// "regreso"): after "my" it is the writer's own, not another person ("mon retour est prévu
/// le 10 juin").
pub fn absence_or_return_word(word: &str) -> bool {
    [&*RETURN_RE, &*ABSENCE_RE].into_iter().flatten().any(|re| {
        re.find(word)
            .is_some_and(|m| m.start() == 0 && m.end() == word.len())
    })
}

/// A promise to answer, in the future or in a present that means it: "will reply", "I'll
/// respond", "répondrai", "responderé", "risponderò", "responderei", "antworte Ihnen".
/// Object pronouns before a present-tense promise ("te respondo", "je vous réponds"): part of
/// the promise's cue, and of [`ANSWER_PROMISE_RE`].
const PROMISE_OBJECTS: &[&str] = &["te", "le", "les", "os", "ti", "gli", "vi", "lhe", "lhes", "vous"];

/// Answers promised in the present with their day right after ("respondo na segunda",
/// "contesto el lunes", "ik antwoord maandag", "rispondo lunedì", "te escribo el lunes"; not
/// "te escribo yo porque ...", written now).
const PRESENT_PROMISES: &[&str] = &[
    "respondo", "contesto", "rispondo", "reponds", "antwoord", "reageer", "escribo", "escrevo", "scrivo",
    "ecris",
];

/// Words after a present-tense answer (or after its subject: "ti rispondo io perché")
/// that say it is written now: its reason ("perché", "porque", "parce", "omdat").
const WRITTEN_NOW: &[&str] = &[
    "perche", "porque", "parce", "pois", "poiche", "omdat", "siccome", "visto", "dado", "como",
];

static ANSWER_PROMISE_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?x-u)\b(?:
        (?:will|ll|shall)\ (?:reply|respond|answer|revert|write\ back)
        | repondrai | respondere | contestare | rispondero | ricontattero | responderei | antworte\ ihnen
        | beantworte\ ich | reageer\ ik | antwoord\ ik
        # Czech and Polish 'I (we) will get in touch': ozvu se, ozveme se, odezwę się
        | ozvu\ se | ozveme | odezwe | odezwiemy
        | melde\ mich | melde\ ich\ mich | antworte\ ich | antworte\ dir
        # mail read or answered, German: 'Ihre Nachricht lese ich am Montag', 'beantworte
        # E-Mails ab dem 22.' (as a promise: 'bearbeite Ihre Anfrage danach' follows an absence)
        | (?:nachricht|nachrichten|e-?mail|e-?mails|mail|mails|anfrage|anfragen)\ (?:lese|beantworte|bearbeite)\ ich
        | (?:lese|beantworte|bearbeite)\ (?:ich\ )?(?:ihre\ |deine\ |die\ |alle\ |meine\ )?(?:e-?mails?|mails?|nachrichten|nachricht|anfragen|anfrage)
        # a notice's noun: replies after the 14th, réponses à partir du 14
        | replies | responses | reponses | respuestas | risposte | antwoorden | respostas
        # the present for the future, with its object: te respondo el lunes, je vous réponds
        # lundi, ti rispondo lunedì, respondo-lhe na segunda
        | (?:{})\ (?:respondo|contesto|rispondo|reponds)
        | respondo-(?:lhe|lhes|te)
        # or with its day right after it: respondo na segunda, contesto el lunes, ik antwoord
        # maandag, rispondo lunedì
        | (?:{})\ (?:na\ |no\ |el\ |em\ |il\ |op\ |le\ )?(?:segunda|terca|quarta|quinta|sexta|lunes|martes|miercoles|jueves|viernes|lunedi|martedi|mercoledi|giovedi|venerdi|lundi|mardi|mercredi|jeudi|vendredi|maandag|dinsdag|woensdag|donderdag|vrijdag|manana|amanha|domani|demain|morgen|\d)
        )\b",
        PROMISE_OBJECTS.join("|"),
        PRESENT_PROMISES.join("|")
    ))
    .ok()
});

/// The return cue at `start..end` is a promise to answer: coming back to the reader or to
/// the matter rather than to a place. "I'll get back to you", "je reviens vers vous",
/// "vrátím se k vám", "wrócę do Pana", "ich komme auf Sie zurück", "palaan asiaan", "jag
/// återkommer", "kommer tilbake til deg", "te vuelvo a escribir".
fn promise_at(f: &Folded, start: usize, end: usize) -> bool {
    let word = f.word(start);
    let promise_fr = word.starts_with("revien") && f.is_word(end, "vers");
    let promise_en = f.is_word(start, "back")
        && f.is_any(
            start.wrapping_sub(1),
            &[
                "get", "got", "getting", "gets", "come", "coming", "write", "circle", "reach", "revert",
            ],
        )
        && f.is_word(end, "to")
        && f.is_any(
            end + 1,
            &["you", "u", "ya", "him", "her", "them", "everyone", "all", "y"],
        );
    // Czech "k"/"ke" and Polish "do" with a person or a matter, after the verb or before it
    // ("k vaší nabídce se vrátím", "do Pana wrócę"); "wrócę do biura" is a place.
    let after = if f.is_any(end, &["se", "sie"]) {
        end + 1
    } else {
        end
    };
    let before = |words: &[&str], span: usize| {
        (1..=span).any(|back| f.is_any(start.wrapping_sub(back), words))
            && !(1..=span).any(|back| {
                f.is_punct(start.wrapping_sub(back), b',') || f.is_punct(start.wrapping_sub(back), b'.')
            })
    };
    let promise_cs = (word.starts_with("vrat") || word.starts_with("vrac"))
        && (f.is_any(after, &["k", "ke"]) || before(&["k", "ke"], 4));
    let promise_pl = (word.starts_with("wroc") || word.starts_with("wrac"))
        && ((f.is_word(after, "do") && f.is_any(after + 1, PL_PROMISE_OBJECTS))
            || (f.is_word(start.wrapping_sub(2), "do")
                && f.is_any(start.wrapping_sub(1), PL_PROMISE_OBJECTS)));
    // German "auf Sie / auf Ihr Angebot / darauf zurückkommen", "melde mich zurück"; not
    // "auf Geschäftsreise und Montag zurück".
    let promise_de = (word.starts_with("zuruck") || word.starts_with("zurueck"))
        && (word.ends_with("melden")
            || before(&["darauf", "drauf", "hierauf", "melde", "melden"], 4)
            || (2..=4).any(|back| {
                f.is_word(start.wrapping_sub(back), "auf")
                    && f.is_any(start.wrapping_sub(back - 1), DE_PROMISE_OBJECTS)
                    && before(&["auf"], back)
            }));
    // Dutch "ik kom er volgende week bij je op terug", "ik kom hier later op terug": back to
    // the reader or the matter ("ik kom maandag terug op kantoor" is a return).
    let kom = (1..=12).find(|&back| f.is_any(start.wrapping_sub(back), &["kom", "komen", "komt"]));
    let promise_nl = word == "terug"
        && kom.is_some_and(|back| before(&["kom", "komen", "komt"], back))
        && (before(&["op", "erop", "hierop", "daarop"], 1)
            || (2..=11).any(|back| {
                f.is_word(start.wrapping_sub(back), "bij")
                    && f.is_any(start.wrapping_sub(back) + 1, &["je", "u", "jou", "jullie"])
            }));
    // Swedish "återkommer" (with something, to you), not "återkommer till kontoret";
    // Danish and Norwegian "tilbage/tilbake til dig/deg".
    let promise_nordic = (word == "aterkommer"
        && (!f.is_word(end, "till") || f.is_any(end + 1, NORDIC_READERS)))
        || (matches!(word, "tilbage" | "tilbake")
            && f.is_word(end, "til")
            && f.is_any(end + 1, NORDIC_READERS));
    // Finnish "palaan asiaan", "palaamme aiheeseen", "palaan sinulle".
    let promise_fi = word.starts_with("palaa")
        && ["asia", "aihe", "sinulle", "teille", "viesti", "kysymy"]
            .iter()
            .any(|stem| f.word(end).starts_with(stem));
    // "te vuelvo a escribir", "torno a scriverti", "volto a falar": to do again, here
    // to write or call; "vuelvo a la oficina", "torno a lavorare" are a return.
    let promise_again = f.is_word(end, "a")
        && ["volv", "vuelv", "torn", "volt"]
            .iter()
            .any(|stem| word.starts_with(stem))
        && AGAIN_VERBS.iter().any(|stem| f.word(end + 1).starts_with(stem));
    // Portuguese "damos retorno", "te dou um retorno", "daremos retorno em abril": to give
    // feedback, an answer.
    // ... and Brazilian "te retorno até sexta" (I get back to you), the reader before the verb
    let promise_pt = word.starts_with("retorno")
        && f.is_any(start.wrapping_sub(1), &["te", "lhe", "lhes", "vos"])
        || word.starts_with("retorno")
            && (1..=3).any(|back| {
                let w = f.word(start.wrapping_sub(back));
                f.is_a_word(start.wrapping_sub(back))
                    && matches!(
                        w,
                        "dar"
                            | "dou"
                            | "damos"
                            | "daremos"
                            | "darei"
                            | "da"
                            | "dara"
                            | "daria"
                            | "dariamos"
                            | "dando"
                    )
            });
    promise_fr
        || promise_nl
        || promise_en
        || promise_pt
        || promise_cs
        || promise_pl
        || promise_de
        || promise_nordic
        || promise_fi
        || promise_again
}

/// Whom or what a Polish writer comes back to when that is an answer: the reader ("Pana",
/// "Państwa", "ciebie") or the matter ("tematu", "sprawy").
const PL_PROMISE_OBJECTS: &[&str] = &[
    "pana", "pani", "panstwa", "panow", "ciebie", "was", "tematu", "sprawy", "tego", "oferty", "pytania",
    "rozmowy",
];

/// What a German writer comes back to ("auf Sie", "auf Ihr Angebot", "auf diese Frage"):
/// the reader or a matter, named by a pronoun or a determiner.
const DE_PROMISE_OBJECTS: &[&str] = &[
    "sie", "dich", "euch", "ihr", "ihre", "ihren", "ihrem", "dein", "deine", "deinen", "euer", "eure", "die",
    "das", "den", "diese", "dieses", "diesen", "unser", "unsere", "unseren", "ihn",
];

/// The reader in Swedish, Danish and Norwegian ("dig", "er", "deg", "dere", "jer", "Dem").
const NORDIC_READERS: &[&str] = &["dig", "er", "deg", "dere", "jer", "dem", "eder"];

/// Verbs of writing and calling after "volver a", "tornare a", "voltar a" (to do again).
const AGAIN_VERBS: &[&str] = &[
    "escrib", "llam", "contact", "habl", "respond", "contest", "scriv", "chiam", "contatt", "sentir",
    "rispond", "escrev", "fala", "liga", "contat",
];

/// The text promises an answer ("I will reply", "I'll get back to you", "je vous répondrai",
/// "te respondo"), which [`find`] keeps as a cue only beside an absence; a part-timer's week
/// with such a promise is a notice.
pub(super) fn answer_promised(f: &Folded) -> bool {
    ANSWER_PROMISE_RE.as_ref().is_some_and(|re| re.is_match(&f.text))
        || RETURN_RE.as_ref().is_some_and(|re| {
            re.find_iter(&f.text).any(|m| {
                let start = f.tok_at(m.start());
                promise_at(f, start, f.tok_at(m.end()).max(start + 1))
            })
        })
}

/// Finds every cue, in text order.
pub fn find(f: &Folded) -> Vec<Cue> {
    let mut cues = Vec::new();
    let mut promises = Vec::new();
    let families = [
        (&*RETURN_RE, CueKind::Return),
        (&*ABSENCE_RE, CueKind::Absence),
        (&*CALLBACK_RE, CueKind::Callback),
    ];
    // "Your e-ticket: ... coach C seat 42. Return: Sun 26 Oct", "voiture 12, place 45. Retour
    // le dimanche", "Reise Oslo S – Bergen ... Sete 42, vogn 3": a travel ticket's trip and
    // return are the reader's journey, not the writer away. Two of its marks make a ticket.
    let ticket = std::cell::OnceCell::new();
    let ticket = || {
        *ticket.get_or_init(|| {
            TICKET_RE
                .as_ref()
                .is_some_and(|re| re.find_iter(&f.text).nth(1).is_some())
        })
    };
    // Looked for once an absence cue stands: most replies hold none.
    let invited = std::cell::OnceCell::new();
    let invited = || *invited.get_or_init(|| (0..f.toks.len()).find(|&k| f.is_any(k, INVITATIONS)));
    for (re, kind) in families {
        let Some(re) = re else { continue };
        for m in re.find_iter(&f.text) {
            let start = f.tok_at(m.start());
            let end = f.tok_at(m.end()).max(start + 1);
            let kind = if kind == CueKind::Return && (negated(f, start) || negated_after(f, end)) {
                CueKind::Absence
            } else {
                kind
            };
            // "a national holiday", "Happy holidays!", "bonnes vacances", "enjoy your
            // vacation": a public day off or a wish to the reader, not the writer away.
            if kind == CueKind::Absence && f.is_any(start.wrapping_sub(1), NOT_AWAY_BEFORE) {
                continue;
            }
            // "Einladung: 4. Konferenz Stadtlogistik, 12.–13. Mai", "Zaproszenie: IV
            // Konferencja ...", "... Těšíme se na Vás! Tým konference": an event named after
            // an invitation is the one the reader is invited to, not the writer away (an
            // absence of another kind after it still is: "Thanks for the invitation. I am on
            // vacation until 5 May").
            if kind == CueKind::Absence
                && f.is_a_word(start)
                && EVENT_STEMS.iter().any(|stem| f.word(start).starts_with(stem))
                && invited().is_some_and(|at| at < start)
            {
                continue;
            }
            if matches!(kind, CueKind::Absence | CueKind::Return) && ticket() {
                continue;
            }
            // "20% off all annual plans", "$50 off", "half off": a discount.
            if kind == CueKind::Absence
                && f.is_word(start, "off")
                && (f.is_punct(start.wrapping_sub(1), b'%')
                    || f.is_num(start.wrapping_sub(1))
                    || f.is_any(start.wrapping_sub(1), &["half", "percent", "pct"]))
            {
                continue;
            }
            // "See you at the fair on the 7th", "wir sehen uns auf der Messe", "uvidíme se na
            // veletrhu": an event the writer meets the reader at, nobody away.
            if kind == CueKind::Absence
                && (start..end).any(|k| f.is_any(k, EVENTS))
                && meeting_before(f, start)
            {
                continue;
            }
            // "the conference room", "a conference call", "the trade show booth": a room, a
            // call or a stand named after the event, nobody away.
            if kind == CueKind::Absence
                && f.is_any(end - 1, &["conference", "congress", "seminar", "training"])
                && f.is_any(
                    end,
                    &[
                        "room", "rooms", "call", "calls", "centre", "center", "line", "bridge", "hall",
                    ],
                )
            {
                continue;
            }
            // "holiday rota", "vacation schedule", "Urlaubsplan", "planning des congés",
            // "calendario ferie": a schedule of absences, anybody's.
            if kind == CueKind::Absence && schedule(f, start, end) {
                continue;
            }
            // "cerramos la cuenta", "nous fermons le dossier", "chiudiamo il ticket": closing
            // a thing, not the business ("cerramos por vacaciones", "nous fermons lundi").
            // "Já fechamos com outro fornecedor", "cerramos con otro proveedor": a deal closed
            // with someone.
            if kind == CueKind::Absence
                && f.is_any(start, WE_CLOSE)
                && (f.is_any(end, OBJECT_ARTICLES) || f.is_any(end, &["com", "con", "with", "mit", "avec"]))
            {
                continue;
            }
            // "We closed the deal on Monday", "I closed your ticket": the past of a verb with
            // its subject and object, not a business closed ("we are closed on Monday").
            if kind == CueKind::Absence
                && end == start + 1
                && f.is_word(start, "closed")
                && f.is_any(
                    start.wrapping_sub(1),
                    &["we", "i", "they", "he", "she", "you", "who"],
                )
                && f.is_any(
                    end,
                    &[
                        "the", "a", "an", "our", "your", "my", "their", "his", "her", "this", "that", "it",
                        "out",
                    ],
                )
            {
                continue;
            }
            // "Rappel : le dossier doit être déposé avant le 31", "appel à projets", "appel
            // d'offres": a reminder and a call for entries, nobody to call back. "Shortlisted
            // candidates will be contacted by 30 June": others will be contacted, the reader is
            // asked nothing. "Meld je nu aan voor ons webinar": sign up.
            if kind == CueKind::Callback && not_a_plea(f, start, end) {
                continue;
            }
            // Dutch "is dicht bij het station": near, not shut.
            if kind == CueKind::Absence
                && f.is_word(end - 1, "dicht")
                && f.is_any(end, &["bij", "in", "aan", "op", "tegen"])
            {
                continue;
            }
            // Polish "nie będzie mnie na spotkaniu": missing a meeting, not away ("nie będzie
            // mnie w biurze", "nie będzie mnie jutro").
            if kind == CueKind::Absence && f.is_word(start, "nie") && f.is_any(end, &["na", "przy"]) {
                continue;
            }
            if kind == CueKind::Absence && !not_there(f, start, end) {
                continue;
            }
            // "I left the company back in March", "we met back in 2019": "back in" after a
            // verb gone by in its clause dates the past, no return.
            // The verb may stand a clause's length back ("we signed a 3-year contract with
            // another carrier back in January"), with no punctuation between.
            // A date's dots ("15.09.") end no clause.
            let in_clause = |k: usize| {
                (k..start).all(|j| match f.toks.get(j).map(|t| t.kind) {
                    Some(Kind::Punct(b'.')) => f.is_num(j.wrapping_sub(1)),
                    Some(Kind::Punct(b',' | b';' | b'!' | b'?')) => false,
                    _ => true,
                })
            };
            if kind == CueKind::Return
                && end == start + 1
                && f.is_word(start, "back")
                && f.is_any(end, &["in", "at", "around"])
                && (start.saturating_sub(12)..start).any(|k| f.is_any(k, PAST_VERBS) && in_clause(k))
            {
                continue;
            }
            // "Bitte senden Sie uns die Unterlagen bis 15.09. zurück": the particle of a
            // verb of sending or giving back, no return of the writer's.
            if kind == CueKind::Return
                && end == start + 1
                && (f.is_word(start, "zuruck") || f.is_word(start, "zurueck"))
                && (start.saturating_sub(16)..start).any(|k| f.is_any(k, DE_GIVE_BACK) && in_clause(k))
            {
                continue;
            }
            // "back-to-back meetings", "back to back lists": one after another, no return.
            if kind == CueKind::Return
                && f.is_word(start, "back")
                && (f.is_word(start + 1, "to") && f.is_word(start + 2, "back")
                    || f.is_word(start + 2, "to") && f.is_word(start + 4, "back")
                    || f.is_word(start.wrapping_sub(1), "to") && f.is_word(start.wrapping_sub(2), "back")
                    || f.is_word(start.wrapping_sub(2), "to") && f.is_word(start.wrapping_sub(4), "back"))
            {
                continue;
            }
            // "I'll get back to you on Monday", "je reviens vers vous lundi": a promise to
            // answer, a return only beside an absence ("I'm on leave and will get back to you
            // on Monday"); see below.
            if kind == CueKind::Return && promise_at(f, start, end) {
                promises.push(Cue {
                    kind,
                    start,
                    end,
                    undated: false,
                    recurring: false,
                    promise: true,
                });
                continue;
            }
            // "see you in the office on Monday", "ci vediamo in ufficio lunedì": a meeting at
            // a place, not a farewell until a day.
            if kind == CueKind::Return && farewell_at_a_place(f, start, end) {
                continue;
            }
            // "on the road to recovery", "no signal that the budget will change": a figure
            // of speech, not the writer out of reach ("on the road from Monday" is).
            let day_after = |k: usize| {
                f.toks.get(k).is_some_and(|t| {
                    t.lex.weekday > 0 || t.lex.next || t.lex.rel_day.is_some() || t.kind == Kind::Num
                })
            };
            if kind == CueKind::Absence
                && f.is_any(end - 1, &["road", "signal", "coverage"])
                && f.is_any(end, &["to", "that", "of", "from", "for", "on"])
                && !(f.is_any(end, &["from", "on"]) && day_after(end + 1))
            {
                continue;
            }
            // "Das Paket ist unterwegs", "de offerte is onderweg", "the parts are on the road":
            // a thing (or someone else) on its way, said with a third person's "is".
            if kind == CueKind::Absence
                && f.toks
                    .get(start)
                    .zip(f.toks.get(end - 1))
                    .and_then(|(a, b)| f.text.get(a.f_start..b.f_end))
                    .is_some_and(|t| ON_THE_WAY.contains(&t))
                && (start.saturating_sub(3)..start).any(|k| {
                    f.is_any(k, THIRD_PERSON_BE) && !f.is_any(k.wrapping_sub(1), WE) && !f.is_any(k + 1, WE)
                })
            {
                continue;
            }
            // "sign-off", "kick-off", "roll-out", "check-out": the second half of a compound
            // noun ("time-off" and "day-off" are time away).
            if kind == CueKind::Absence
                && end == start + 1
                && f.is_any(start, &["off", "out"])
                && f.is_punct(start.wrapping_sub(1), b'-')
                && f.glued(start)
                && f.glued(start.wrapping_sub(1))
                && f.is_a_word(start.wrapping_sub(2))
                && !f.is_any(start.wrapping_sub(2), &["time", "day", "days"])
            {
                continue;
            }
            // "je reprends ses dossiers", "je reprends votre demande", "je le reprends en
            // attendant": taking over a thing, not taking up work again ("je reprends le
            // travail le 5", "je reprends lundi").
            if kind == CueKind::Return
                && f.is_any(start, &["reprends", "reprendrai", "reprise"])
                && (f.is_any(end, TAKEN_OVER)
                    || f.is_any(end, &["le", "la", "les", "l"]) && f.is_any(end + 1, TAKEN_OVER_NOUNS)
                    || f.is_any(start.wrapping_sub(1), &["le", "la", "les", "l"])
                        && f.is_any(start.wrapping_sub(2), &["je", "j", "nous"]))
            {
                continue;
            }
            // "je viens de rentrer", "nous venons de revenir": a return just made, no day of
            // one to come.
            if kind == CueKind::Return
                && f.is_word(start.wrapping_sub(1), "de")
                && f.is_any(
                    start.wrapping_sub(2),
                    &["viens", "vient", "venons", "venez", "viennent"],
                )
            {
                continue;
            }
            // "The shop reopened on Monday", "le magasin a rouvert ce matin", "a loja reabriu":
            // a reopening that happened; the day with it is past, whatever weekday it names
            // ("will be reopened on Monday" is still to come).
            if kind == CueKind::Return
                && f.is_any(start, REOPENED)
                && !(start.saturating_sub(2)..start).any(|k| f.is_any(k, FUTURE_AUXILIARIES))
            {
                continue;
            }
            // "off to a meeting", "out to lunch": on the way somewhere, not away.
            if kind == CueKind::Absence
                && end == start + 1
                && f.is_any(start, &["off", "out"])
                && f.is_word(end, "to")
            {
                continue;
            }
            // "hold off until January", "figure it out by Friday", "sold out until June": the
            // particle of a verb, not the writer away.
            if kind == CueKind::Absence && end == start + 1 && f.is_any(start, &["off", "out"]) {
                let verb = if f.is_any(start.wrapping_sub(1), &["it", "this", "that", "them", "things"]) {
                    start.wrapping_sub(2)
                } else {
                    start.wrapping_sub(1)
                };
                if PHRASAL_VERBS.iter().any(|stem| f.word(verb).starts_with(stem)) {
                    continue;
                }
            }
            let undated = kind == CueKind::Return && undated_return(f, start, end);
            cues.push(Cue {
                kind,
                start,
                end,
                undated,
                recurring: false,
                promise: false,
            });
        }
    }
    // "I'm travelling this week and will reply next week", "je répondrai lundi": a promise
    // to answer on a day, which beside an absence is the return (as "get back to you" above).
    if let Some(re) = &*ANSWER_PROMISE_RE {
        for m in re.find_iter(&f.text) {
            let end = f.tok_at(m.end()).max(f.tok_at(m.start()) + 1);
            // "ti rispondo io perché Davide è in ferie", "te respondo yo, porque ...": a
            // present with its subject or its reason after it is the answer being written.
            let now_after = |k: usize| f.is_any(k, WRITTEN_NOW) || f.is_punct(k, b',') || f.is_punct(k, b':');
            if f.is_any(end.wrapping_sub(1), PRESENT_PROMISES)
                && (now_after(end) || f.is_any(end, &["io", "yo", "eu", "moi", "ik"]) && now_after(end + 1))
            {
                continue;
            }
            // "je vous réponds demain": the object pronoun belongs to the cue, so that whose
            // promise it is is read before it ("je"), not from it (the reader's "vous").
            let object = f.is_any(end.wrapping_sub(2), PROMISE_OBJECTS);
            let (start, end) = if object {
                (end - 2, end)
            } else {
                // "respondo na segunda": the verb is the cue, its day an expression of its own.
                let first = f.tok_at(m.start());
                if first + 1 < end && f.is_any(first, PRESENT_PROMISES) {
                    (first, first + 1)
                } else {
                    (end - 1, end)
                }
            };
            promises.push(Cue {
                kind: CueKind::Return,
                start,
                end,
                undated: false,
                recurring: false,
                promise: true,
            });
        }
    }
    // A weekly day off: a negated work verb or a day-off noun.
    for (re, needs_negation) in [(&*WORK_RE, true), (&*DAY_OFF_RE, false)] {
        let Some(re) = re else { continue };
        for m in re.find_iter(&f.text) {
            let start = f.tok_at(m.start());
            let end = f.tok_at(m.end()).max(start + 1);
            if needs_negation && !negated(f, start) && !negation_after(f, end) {
                continue;
            }
            // "My working hours may not be your working hours": a noun of work, no day off.
            if needs_negation && f.is_any(end, WORK_NOUNS) {
                continue;
            }
            cues.push(Cue {
                kind: CueKind::Absence,
                start,
                end,
                undated: false,
                recurring: true,
                promise: false,
            });
        }
    }
    // "back" inside "call back" or "get back to me" is a callback, not a return.
    let callbacks: Vec<(usize, usize)> = cues
        .iter()
        .filter(|c| c.kind == CueKind::Callback)
        .map(|c| (c.start, c.end))
        .collect();
    cues.retain(|c| {
        c.kind == CueKind::Callback || !callbacks.iter().any(|&(s, e)| c.start >= s && c.end <= e)
    });
    // "bel me morgen terug", "ruf mich morgen zurück", "call me tomorrow back": the particle
    // of a call verb a few words on, with no stop between, is the call's, not a return.
    for c in cues.iter_mut() {
        let particle = c.kind == CueKind::Return && c.end == c.start + 1 && f.is_any(c.start, CALL_PARTICLES);
        let called = callbacks.iter().any(|&(_, e)| {
            e <= c.start
                && c.start - e <= 8
                && (e..c.start).all(|k| f.is_a_word(k) || f.is_num(k) || f.is_punct(k, b':'))
        });
        if particle && called {
            c.kind = CueKind::Callback;
        }
    }
    // "ofiste" inside Turkish "ofiste değilim" (not in the office) is no return, nor
    // "telefonisch" inside "nur telefonisch erreichbar" a call asked for.
    let absences: Vec<(usize, usize)> = cues
        .iter()
        .filter(|c| c.kind == CueKind::Absence)
        .map(|c| (c.start, c.end))
        .collect();
    // "Nie ma mnie dziś i jutro w biurze": the place after a "not there" with only days
    // between completes it, and is no return ("w biurze" is "in the office").
    let not_there_ends: Vec<usize> = cues
        .iter()
        .filter(|c| c.kind == CueKind::Absence && f.is_any(c.start, &["nie", "not", "no", "nao", "non"]))
        .map(|c| c.end)
        .collect();
    let completes = |c: &Cue| {
        not_there_ends.iter().any(|&e| {
            e <= c.start
                && c.start - e <= NOT_THERE_PLACE_GAP
                && (e..c.start).all(|k| f.is_a_word(k) && !f.is_any(k, NOT_THERE_BREAKS))
        })
    };
    cues.retain(|c| {
        c.kind == CueKind::Absence
            || !(absences
                .iter()
                .any(|&(s, e)| c.start >= s && c.end <= e && e - s > c.end - c.start)
                || (c.kind == CueKind::Return && completes(c)))
    });
    // "Closed on Sundays", "sonntags geschlossen", "nous fermons tous les lundis", "chiuso la
    // domenica", "sábados y domingos, cerrado": an absence beside a weekday said as a habit
    // is a weekly closure, like a day off, not an absence now.
    // Under "opening hours" every weekday is one of the week ("Öffnungszeiten: Mo–Fr 9–18
    // Uhr, Sonntag geschlossen"); looked for once, and only when a weekday stands near an
    // absence word.
    let opening_hours = std::cell::OnceCell::new();
    for c in cues.iter_mut() {
        if c.kind == CueKind::Absence && !c.recurring {
            let sentence_break = |k: usize| f.is_punct(k, b'.') || f.is_punct(k, b'!') || f.is_punct(k, b'?');
            let habit = |k: usize| {
                f.toks.get(k).is_some_and(|t| t.lex.weekday > 0)
                    && (habitual_weekday(f, k)
                        || *opening_hours.get_or_init(|| (0..f.toks.len()).any(|k| opening_hours_at(f, k))))
            };
            let before = (c.start.saturating_sub(HABIT_REACH)..c.start)
                .rev()
                .take_while(|&k| !sentence_break(k))
                .any(habit);
            let after = (c.end..c.end + HABIT_REACH)
                .take_while(|&k| !sentence_break(k))
                .any(habit);
            // "毎年この日は店を休みます" (every year we close on this day): a habit.
            // Japanese may put the day between ("毎年この日曜日は休ませて").
            let reach = if crate::dates::verb_last(f, c.start) {
                HABIT_REACH
            } else {
                1
            };
            let every = (c.start.saturating_sub(reach)..c.start)
                .rev()
                .take_while(|&k| !sentence_break(k))
                .any(|k| f.is_word(k, "every"));
            c.recurring = before || after || every;
        }
    }
    // "back from vacation on Monday", "ab dem 7. aus dem Urlaub zurück", "de retour de congés
    // le 5", "terug van vakantie": the absence named with a return is what the writer comes
    // back from, not one of its own. Written after the return cue, it joins it, and the whole
    // only ties a date right after it: "back from leave, though meetings fill this week" and
    // "returned from holiday last week; the house move takes the next two weeks" say nothing
    // of a return day.
    let mut joined: Vec<(usize, usize)> = Vec::new();
    let mut dropped: Vec<usize> = Vec::new();
    for (k, c) in cues.iter().enumerate() {
        if c.kind != CueKind::Absence {
            continue;
        }
        match returned_from(f, c, &cues) {
            Some(From::Before(r)) => {
                joined.push((r, c.end));
                dropped.push(k);
            }
            Some(From::After) => dropped.push(k),
            None => {}
        }
    }
    for (r, end) in joined {
        if let Some(cue) = cues.get_mut(r) {
            cue.end = cue.end.max(end);
            cue.undated = true;
        }
    }
    let mut k = 0;
    cues.retain(|_| {
        k += 1;
        !dropped.contains(&(k - 1))
    });
    // "je vous appelle jeudi", "nous vous appelons lundi": the writer will call, which asks
    // the reader for nothing. ("Je vous rappelle le 8 juin", a call back promised for a day,
    // still holds the lead until then.)
    cues.retain(|c| {
        let call = c.kind == CueKind::Callback && f.word(c.start).starts_with("appel");
        let object = usize::from(f.is_any(c.start.wrapping_sub(1), &["vous", "te", "t", "le", "la", "l"]));
        let subject = c.start.wrapping_sub(1 + object);
        !(call && f.is_any(subject, &["je", "j", "nous", "on"]))
    });
    // "En cas d'urgence, contactez le 15", "for urgent matters please call the front desk
    // on the 3rd floor": whom to reach meanwhile, not when to reach the writer.
    // Asked only when a call-back cue stands: most replies hold none.
    if let Some(re) = URGENT_RE
        .as_ref()
        .filter(|_| cues.iter().any(|c| c.kind == CueKind::Callback))
    {
        let urgent: Vec<usize> = re.find_iter(&f.text).map(|m| f.tok_at(m.end())).collect();
        cues.retain(|c| {
            c.kind != CueKind::Callback
                || !urgent.iter().any(|&end| {
                    end <= c.start
                        && c.start - end <= 6
                        && (end..c.start)
                            .all(|k| !f.is_punct(k, b'.') && !f.toks.get(k).is_some_and(|t| t.para))
                })
        });
    }
    // An absence come back from ("voltei das férias hoje", "back from holiday today, I'll
    // reply by Wednesday") is over: the answer promised is a person's.
    // So is one told in the past right before it ("var borta 7–25 juli", "I was away").
    let back_from = |c: &Cue| {
        (c.start.saturating_sub(3)..c.start).any(|k| f.is_any(k, BACK_FROM))
            || (c.start.saturating_sub(2)..c.start).any(|k| crate::dates::away::over_word(f, k))
    };
    let promised: Vec<(usize, usize)> = promises.iter().map(|c| (c.start, c.end)).collect();
    // A part-timer's notice ("ich arbeite in Teilzeit (Mo–Mi) und lese Ihre Mail ab Montag,
    // dem 17.11.") is an absence on the other days, as a named one is.
    let part_timer = || !promises.is_empty() && schedule::notice(f) && schedule::working_days(f).is_some();
    if cues.iter().any(|c| c.kind == CueKind::Absence && !back_from(c)) || part_timer() {
        cues.append(&mut promises);
    }
    // "I can't get to this until next week", "busy until the 15th", "ich komme erst nächste
    // Woche dazu": the writer puts the reader off until a day, which asks to be contacted
    // then. Only where nothing else ties the dates around it: "out of the office and unable
    // to reply until Monday" stays an absence.
    let mut deferred = Vec::new();
    for start in deferrals(f) {
        let clear = !cues.iter().any(|c| {
            c.kind != CueKind::Callback
                && c.start <= start + DEFERRAL_CLEAR
                && start <= c.end + DEFERRAL_CLEAR
        });
        if clear {
            deferred.push(start);
            cues.push(Cue {
                kind: CueKind::Callback,
                start,
                end: start + 1,
                undated: false,
                recurring: false,
                promise: false,
            });
        }
    }
    // "Let's talk next week", "hablemos en enero", "lass uns im Januar sprechen": a talk put
    // off to a later day, asked for like "call me then".
    for (start, end) in talk_later(f) {
        cues.push(Cue {
            kind: CueKind::Callback,
            start,
            end,
            undated: false,
            recurring: false,
            promise: false,
        });
    }
    // "Durante agosto este buzón se revisa de forma esporádica", "ich schaue nur sporadisch
    // ins Postfach": the writer's mail read rarely for a while, an absence from it.
    // The tokens that name the writer's mail or mailbox, looked for once for the readings
    // of mail below.
    let mail = mail_tokens(f);
    for (start, end) in mail_read_rarely(f, &mail)
        .into_iter()
        .chain(mailbox_not_read(f, &mail))
    {
        cues.push(Cue {
            kind: CueKind::Absence,
            start,
            end,
            undated: false,
            recurring: false,
            promise: false,
        });
    }
    // "Ab dem 11. lese ich wieder Mails; bis dahin bin ich im Urlaub", "I'll be onshore again
    // on 27 September": a day the writer starts again from, named beside "until then" or with
    // "again", is the return, whatever the verb.
    for (start, end) in from_a_day_until_then(f)
        .into_iter()
        .chain(again_on_a_day(f))
        .chain(normal_from_a_day(f))
        .chain(own_mail_from_a_day(f, &mail))
    {
        cues.push(Cue {
            kind: CueKind::Return,
            start,
            end,
            undated: false,
            recurring: false,
            promise: false,
        });
    }
    for (start, end) in away_at_a_place(f).into_iter().chain(leaving_for_a_length(f)) {
        cues.push(Cue {
            kind: CueKind::Absence,
            start,
            end,
            undated: false,
            recurring: false,
            promise: false,
        });
    }
    // "Ich schreibe bis einschließlich 2. Dezember meine Abschlussprüfungen", "ik heb
    // tentamens tot 3 maart": whatever the writer says they do until a day, when nothing else
    // in that clause ties it (the words of being away are many; the shape is one).
    // A promise after the day ("ich leiste bis zum 5. August eine Reserveübung ab und melde
    // mich danach") is the return beside this absence; one before it is the clause's own
    // ("ich melde mich bis Freitag": by Friday).
    let mut added = false;
    // A deferral read from the same negation ("cette boîte mail ne sera pas consultée avant
    // le 27") gives way: the writer's mailbox unread until the day is an absence, not a plea.
    let mut writers = writer_until_a_day(f);
    if !writers.is_empty() && !deferred.is_empty() {
        cues.retain(|c| {
            !(c.kind == CueKind::Callback
                && deferred.contains(&c.start)
                && writers
                    .iter()
                    .any(|(at, until, _)| (*at..*until).contains(&c.start) && mailbox(f, *at)))
        });
    }
    for (at, until, clause) in writers.drain(..) {
        let free = |&(start, end): &(usize, usize)| !(start < clause.end && clause.start < end);
        if cues.iter().all(|c| free(&(c.start, c.end)))
            && promised
                .iter()
                .all(|&(start, end)| start > until || free(&(start, end)))
        {
            cues.push(Cue {
                kind: CueKind::Absence,
                start: at,
                end: until + 1,
                undated: false,
                recurring: false,
                promise: false,
            });
            added = true;
        }
    }
    if added {
        cues.append(&mut promises);
    }
    cues.sort_by_key(|c| c.start);
    cues
}

/// The writer's own clause that runs until a day: "Ich schreibe bis einschließlich 2.
/// Dezember meine Abschlussprüfungen", "ik heb tentamens tot 3 maart", "we're on location for
/// a shoot until 29 March", "Bis Samstag bin ich auf Klausurtagung". Whatever the writer says
/// they are doing, a state of theirs that holds until a named day keeps them from the reader
/// until then; the words people use for what keeps them (an exam, a jury, a harvest, a
/// retreat) are too many to list, the shape is one, and a pause is the cheap error (DESIGN
/// "Replies", point 7). A first-person subject or verb stands before "until" in its clause
/// (or, with "until" opening it, after the day: German and Dutch put the verb second), and a
/// day, not a time of day, follows it. Not a clause that speaks to the reader ("ich schicke
/// Ihnen das Angebot bis Freitag": German "bis" and Portuguese "até" are also "by"), that says
/// the writer is there or has time ("I'm around until Friday", "bis Freitag im Büro", "ich
/// habe bis Freitag Zeit"), that something is done or valid by then ("bis Freitag fertig"),
/// nor a question. The writer's token (or the notice's first word), the "until" token and the
/// clause's token range; [`find`] keeps only those
/// whose clause holds no other cue, and the clause reading ([`crate::dates::away`]) still
/// refuses the past and the negated.
fn writer_until_a_day(f: &Folded) -> Vec<(usize, usize, std::ops::Range<usize>)> {
    let mut found = Vec::new();
    let ends = |k: usize| {
        f.toks.get(k).is_none_or(|t| {
            matches!(t.kind, Kind::Punct(b'.' | b'!' | b'?' | b';' | b',' | b':'))
                && !(t.kind == Kind::Punct(b'.')
                    && f.is_num(k.wrapping_sub(1))
                    && f.word(k.wrapping_sub(1)).len() < 4)
        })
    };
    for k in 0..f.toks.len() {
        // Asked of every token: a look at the first letter of the "until" and "before" words
        // first, before the word lists.
        if !(f.toks[k].kind == Kind::Word
            && matches!(
                f.word(k).as_bytes().first(),
                Some(b'u' | b't' | b'b' | b'j' | b'h' | b'f' | b'a' | b'v' | b'p' | b'd')
            ))
        {
            continue;
        }
        // "I am on bed rest for 1-2 weeks", "ich bin für ca. zwei Wochen raus", "sono in
        // trasferta per tre settimane": a state of the writer's for a length, which the
        // grammar reads from the day of the reply.
        let length = f.is_any(k, FOR_LENGTH) && {
            let mut u = k + 1;
            while u < k + 6
                && (f.is_num(u)
                    || f.toks.get(u).is_some_and(|t| t.lex.number > 0)
                    || f.is_any(u, LENGTH_FILLERS)
                    || f.is_punct(u, b'-')
                    || f.is_punct(u, b'.'))
            {
                u += 1;
            }
            u > k + 1
                && f.toks.get(u).is_some_and(|t| {
                    t.kind == Kind::Word && t.lex.unit != Unit::None && t.lex.unit != Unit::Year
                })
        };
        // Dutch "t/m" (tot en met), one token on.
        let through = f.is_word(k, "t") && f.is_punct(k + 1, b'/') && f.is_word(k + 2, "m");
        // "ne sera pas consultée avant le 27", "not before Monday": a negated "before" is an
        // "until" too (the grammar reads its day as the return).
        let before = f.is_any(k, BEFORE_WORDS)
            && (k.saturating_sub(8)..k).rev().take_while(|&i| !ends(i)).any(|i| {
                f.is_any(
                    i,
                    &[
                        "not", "nicht", "niet", "pas", "non", "no", "nao", "nt", "ne", "ni",
                    ],
                )
            });
        // "Vor dem 9. März werde ich keine Mails lesen", "Before the 9th I won't be reading
        // mail": a "before" opening its clause, negated after its day.
        let before = before
            || f.is_any(k, BEFORE_WORDS)
                && (k == 0 || ends(k - 1) || f.toks[k].para)
                && (k + 1..k + 16)
                    .take_while(|&i| {
                        !f.toks.get(i).is_none_or(|t| {
                            matches!(t.kind, Kind::Punct(b'.' | b'!' | b'?' | b';'))
                                && !f.is_num(i.wrapping_sub(1))
                        })
                    })
                    .any(|i| {
                        f.is_any(
                            i,
                            &[
                                "not", "nicht", "kein", "keine", "keinen", "niet", "geen", "pas", "non",
                                "no", "nao", "nt", "never", "nie",
                            ],
                        )
                    });
        if !(through || before || length || f.is_any(k, UNTIL_ONLY)) {
            continue;
        }
        // The day: after "einschließlich", "en met", "zum", "au", "el", "al", "o dia", "the".
        let mut j = if through { k + 3 } else { k + 1 };
        while j < k + 5 && (f.is_any(j, UNTIL_FILLERS) || f.is_punct(j, b'\'')) {
            j += 1;
        }
        let Some(tok) = f.toks.get(j) else { continue };
        let lex = tok.lex;
        let day = if length {
            true
        } else if tok.kind == Kind::Num {
            // "until 3 pm", "bis 15:30", "bis 17 Uhr": a time of day; "jusqu'en 2027": a year,
            // a contract's term rather than an absence's.
            !(f.is_punct(j + 1, b':')
                || f.is_any(j + 1, TIME_WORDS)
                || f.is_any(j + 3, TIME_WORDS)
                || f.word(j).len() == 4 && (f.word(j).starts_with("20") || f.word(j).starts_with("19")))
        } else {
            tok.kind == Kind::Word && (lex.weekday > 0 || lex.month > 0 || lex.rel_day.is_some() || lex.next)
                // "hasta la semana que viene", "fino alla settimana prossima"
                || matches!(lex.unit, Unit::Week | Unit::Month)
                    && (f.toks.get(j + 1).is_some_and(|t| t.lex.next)
                        || f.is_word(j + 1, "que") && f.is_any(j + 2, &["viene", "vem"]))
        };
        if !day {
            continue;
        }
        let start = (k.saturating_sub(14)..k)
            .rev()
            .find(|&i| ends(i) || f.toks.get(i + 1).is_some_and(|t| t.para))
            .map_or(k.saturating_sub(14), |i| i + 1);
        let end = (j..j + 14)
            // A stop right after the day ends the clause ("bis Freitag. Gruß Max (von
            // unterwegs)"), unless the date goes on ("bis 14. Dezember", "bis 14.12."); a comma
            // there is the day's apposition ("Bis Freitag, 11. Dezember, bin ich").
            .find(|&i| {
                ends(i)
                    && !(f.is_punct(i, b'.')
                        && (f.is_num(i + 1) || f.toks.get(i + 1).is_some_and(|t| t.lex.month > 0)))
                    && (i > j + 1
                        || f.toks
                            .get(i)
                            .is_some_and(|t| matches!(t.kind, Kind::Punct(b'.' | b'!' | b'?'))))
                    || i >= f.toks.len()
            })
            .unwrap_or(j + 14)
            .min(f.toks.len());
        // The writer: the nearest subject before "until" is theirs; with none before it,
        // the subject after the day ("Bis Samstag bin ich ...", "tot vrijdag zit ik ...").
        // The cue opens at the writer's word (or at the notice's first word), so that whose
        // clause it is reads from there ("Unser Lager ist bis ..." is the writer's).
        let mut writer = false;
        let mut cue_at = k;
        let mut words_before = 0;
        for i in (start..k).rev() {
            if until_subject(f, i) {
                writer = true;
                cue_at = i;
                break;
            }
            if f.is_any(i, OTHER_SUBJECTS) {
                break;
            }
            words_before += usize::from(f.is_a_word(i));
        }
        // "bin grad im Werk in Ingolstadt, voraussichtlich bis Freitag", "on site in Leeds,
        // probably until Thursday": an "until" after a comma with at most a hedge before it
        // takes the subject of the clause before the comma.
        if !writer
            && start > 0
            && f.is_punct(start - 1, b',')
            // ... or a notice of a few words ("en rando dans les Pyrénées, zéro réseau jusqu'à
            // dimanche", "on the ship, no signal until Friday")
            && ((start..k).all(|i| !f.is_a_word(i) || f.is_any(i, HEDGES))
                || (start..k).filter(|&i| f.is_a_word(i)).count() <= 3
                    && (start..k).any(|i| f.is_any(i, NOTICE_MARKERS)))
            // nothing after the day but the date's own words ("..., tot vrijdag dan!" is a
            // farewell)
            && (j + 1..end).all(|i| !f.is_a_word(i) || f.toks[i].lex.month > 0 || f.toks[i].lex.weekday > 0)
        {
            let before = (start.saturating_sub(16)..start - 1).rev().take_while(|&i| {
                (!ends(i) || f.is_punct(i, b',')) && !f.toks.get(i + 1).is_some_and(|t| t.para)
            });
            if let Some(i) = before
                .filter(|&i| {
                    until_subject(f, i) || f.is_any(i, &["bin", "ben", "sono", "estoy", "estou", "suis"])
                })
                .last()
            {
                writer = true;
                cue_at = i;
            }
        }
        // "Sono, per motivi familiari, lontano dall'ufficio fino a venerdì", "I am, due to a
        // family matter, away until Friday": the writer's verb, an aside between commas, then
        // the clause without its subject.
        if !writer && start > 1 && f.is_punct(start - 1, b',') {
            let aside = (start.saturating_sub(9)..start - 1)
                .rev()
                .find(|&i| f.is_punct(i, b','));
            if let Some(open) = aside
                .filter(|&open| open > 0 && (open + 1..start - 1).all(|i| !ends(i) || f.is_punct(i, b'.')))
            {
                let verb = open - 1;
                if until_subject(f, verb)
                    || f.is_any(verb, &["bin", "ben", "suis", "sono", "estoy", "estou", "am", "m"])
                {
                    writer = true;
                    cue_at = verb;
                }
            }
        }
        if !writer && words_before == 0 {
            // "Bis Freitag, 11. Dezember, bin ich ...": the verb and its subject may follow the
            // day's apposition. "Bis Freitag findet kein Versand statt", "tot zaterdag zijn er
            // geen leveringen": a service denied until the day is the writer's house closed.
            let rest: Vec<usize> = (j + 1..j + 12)
                .take_while(|&i| {
                    !f.toks
                        .get(i)
                        .is_none_or(|t| matches!(t.kind, Kind::Punct(b'.' | b'!' | b'?')))
                        || f.is_num(i.wrapping_sub(1))
                })
                .collect();
            // Only the day's apposition and the verb (and Dutch "er") stand between: "Bis
            // Freitag dann, ich freue mich" is a farewell.
            let said = |p: usize| {
                (j + 1..p)
                    .filter(|&i| f.is_a_word(i) && f.toks[i].lex.weekday == 0 && f.toks[i].lex.month == 0)
                    .count()
                    <= 2
                    && !(j + 1..p)
                        .any(|i| f.is_any(i, &["dann", "then", "entonces", "alors", "allora", "dan", "also"]))
            };
            // Romance verbs carry their subject: "Até 14 de março, vou consultar o e-mail só
            // esporadicamente".
            // "Fino al 17 agosto l'ufficio opera a ranghi ridotti": the writer's place and a word
            // of the notice after the day.
            let place_notice = rest
                .iter()
                .any(|&i| crate::dates::subject::own_place(f, i) || f.is_any(i, OWN_WORKS) || mailbox(f, i))
                && rest.iter().any(|&i| f.is_any(i, NOTICE_MARKERS));
            // "Hasta el 30 de abril apenas miro el correo", "fino al 30 aprile i messaggi
            // potrebbero non essere letti", "hasta la semana que viene no podré ponerme al
            // día": after the day, a negation or a restriction with the writer's mail or the
            // writer's "can".
            let denied = rest.iter().any(|&i| {
                f.is_any(i, NOTICE_MARKERS)
                    || f.is_any(
                        i,
                        &[
                            "apenas",
                            "kaum",
                            "nauwelijks",
                            "amper",
                            "a",
                            "peine",
                            "quasi",
                            "mal",
                        ],
                    )
            }) && rest.iter().any(|&i| {
                f.is_any(i, MAIL_WORDS)
                    || mailbox(f, i)
                    || f.is_any(i, WRITER_CAN)
                    || f.is_any(i, &["podre", "potro", "poderei", "pourrai"])
            });
            writer = place_notice
                || denied
                || rest.iter().any(|&i| {
                    (f.is_any(i, &["ich", "wir", "ik", "wij", "we", "vou", "voy", "vado"])
                        || f.is_any(i, NO_SERVICE))
                        && said(i)
                });
        }
        // The past ("I waited until December 1st", "ich war bis gestern ..."): over.
        let past = (cue_at..k).any(|i| {
            f.is_any(i, WAS)
                // "sono stato", "j'ai été" (not "esami di stato", "l'été")
                || f.is_any(i, &["stato", "stata", "stati", "ete"])
                    && f.is_any(i.wrapping_sub(1), &["sono", "siamo", "ero", "ai", "avons", "a"])
                || i == cue_at + 1 && f.is_any(cue_at, &["i", "we"]) && f.word(i).ends_with("ed")
        });
        if past {
            continue;
        }
        // A notice opening the reply, with no subject at all ("Hors connexion jusqu'au
        // 12/09.", "Serviços mínimos até 2 de setembro", "En la montaña, sin wifi, hasta el
        // 3"): after a greeting at most.
        // Not a farewell ("¡Hasta mañana!", "Bis Montag!"): the notice names something before
        // its "until".
        let opens_reply = || {
            let greeting = f.is_any(0, super::away::GREETINGS);
            let sentence = (0..k)
                .rev()
                .find(|&i| {
                    matches!(f.toks[i].kind, Kind::Punct(b'.' | b'!' | b'?')) && !f.is_num(i.wrapping_sub(1))
                        || f.toks.get(i + 1).is_some_and(|t| t.para)
                })
                .map_or(0, |i| i + 1);
            let first = (sentence..k).find(|&i| f.is_a_word(i) && !f.is_any(i, super::away::GREETINGS))?;
            ((0..sentence).all(|i| !f.is_a_word(i) || greeting && i < 3)
                && !(sentence..k).any(|i| f.is_any(i, OTHER_SUBJECTS) || f.is_any(i, THIRD_BE))
                && (sentence..k).any(|i| f.is_any(i, NOTICE_MARKERS) || f.is_any(i, NO_SERVICE)))
            .then_some(first)
        };
        if !writer {
            match opens_reply() {
                Some(first) => cue_at = first,
                None => continue,
            }
        }
        // German "da" (there) ends its clause ("ich bin bis Freitag noch da"); elsewhere it is
        // "of" or "from" ("Paragem técnica da fábrica").
        let spoiled = (start..end).any(|i| {
            f.is_any(i, READER)
                || f.is_any(i, THERE_OR_DONE)
                // (not away from it: "lontano dall'ufficio", "away from the office", "fuera de
                // la oficina")
                || f.is_any(i, PLACES_OF_WORK)
                    && !(i.saturating_sub(3)..i).any(|j| {
                        f.is_any(
                            j,
                            &[
                                "dall", "dal", "dallo", "from", "vom", "lontano", "fuori", "fuera", "afuera", "fora", "hors",
                                "away", "out", "buiten", "weg", "ausser", "auser",
                            ],
                        )
                    })
                || f.is_word(i, "da") && ends(i + 1)
                // compounds of an offer: "Frühjahrsaktion", "najaarsactie", "Sonderangebot"
                || f.is_a_word(i)
                    && ["aktion", "actie", "angebot", "aanbieding", "rabatt", "korting", "promotie"]
                        .iter()
                        .any(|end| f.word(i).len() > end.len() + 2 && f.word(i).ends_with(end))
        });
        // "von Montag bis Mittwoch", "from the 3rd until the 7th": the end of a range, read by
        // the range grammar ("Ich arbeite in Teilzeit von Montag bis Mittwoch" is a week).
        let dayish = |i: usize| {
            f.toks.get(i).is_some_and(|t| {
                t.kind == Kind::Num || t.lex.weekday > 0 || t.lex.month > 0 || t.lex.rel_day.is_some()
            })
        };
        // A day right before "until" is the range's first end ("dinsdag t/m donderdag").
        let ranged = dayish(k.wrapping_sub(1))
            || (start..k).any(|i| {
                f.is_any(
                    i,
                    &[
                        "von", "vom", "from", "du", "dal", "dalla", "desde", "van", "vanaf", "de", "do",
                        "del",
                    ],
                ) && (i + 1..(i + 5).min(k)).any(dayish)
            });
        if ranged {
            continue;
        }
        // A question: the sentence ends with "?"; or a request in it ("I have budget until
        // December 31, send me the quote").
        let sentence_end = (end..end + 30)
            .find(|&i| {
                f.toks
                    .get(i)
                    .is_none_or(|t| matches!(t.kind, Kind::Punct(b'.' | b'!' | b'?')))
            })
            .unwrap_or(end + 30);
        let asked = f.is_punct(sentence_end, b'?') || super::away::asks_reader_in(f, start, sentence_end);
        if !spoiled && !asked && !f.is_punct(end, b'?') {
            // A length's expression holds its "for": the cue ends before it.
            let until = if length {
                k.saturating_sub(1).max(cue_at)
            } else {
                k
            };
            found.push((cue_at, until, start.min(cue_at)..end));
        }
    }
    found
}

/// A token that names a day or starts its name: a number, a weekday, a month, "tomorrow",
/// "next".
fn day_token(f: &Folded, i: usize) -> bool {
    f.toks.get(i).is_some_and(|t| {
        t.kind == Kind::Num
            || t.kind == Kind::Word
                && (t.lex.weekday > 0 || t.lex.month > 0 || t.lex.rel_day.is_some() || t.lex.next)
    })
}

/// Token `i` ends a sentence or a clause of one for the readings below: a stop, "!", "?" or
/// ";" (not a German ordinal's dot after its number), or the text's end.
fn sentence_stop(f: &Folded, i: usize) -> bool {
    f.toks.get(i).is_none_or(|t| {
        matches!(t.kind, Kind::Punct(b'.' | b'!' | b'?' | b';')) && !f.is_num(i.wrapping_sub(1))
    })
}

/// "Until then" in each language ("bis dahin", "tot dan", "d'ici là", "jusque-là", "fino ad
/// allora", "fino a quel giorno", "hasta entonces", "até lá", "in the meantime"), as its words.
const UNTIL_THEN: &[&[&str]] = &[
    &["until", "then"],
    &["till", "then"],
    &["in", "the", "meantime"],
    &["bis", "dahin"],
    &["tot", "dan"],
    &["tot", "die", "tijd"],
    &["d", "'", "ici", "la"],
    &["jusque", "-", "la"],
    &["jusque", "la"],
    &["fino", "ad", "allora"],
    &["fino", "a", "quel"],
    &["fino", "a", "allora"],
    &["hasta", "entonces"],
    &["hasta", "ese"],
    &["hasta", "esa"],
    &["ate", "la"],
    &["ate", "entao"],
    &["ate", "esse"],
    &["ate", "essa"],
];

/// Words a day is counted from ("from", "ab", "vanaf", "à partir du", "dès", "dal", "desde").
const STARTS_FROM: &[&str] = &[
    "from", "starting", "ab", "vanaf", "partir", "compter", "des", "da", "dal", "dalla", "dall", "desde",
];

/// "À partir du lundi 25, je replonge dans ma boîte mail ; d'ici là, je suis injoignable",
/// "Ab dem 11. lese ich wieder Mails, bis dahin bin ich im Urlaub", "hasta entonces estoy de
/// fiesta": a day counted from, in the sentence before "until then" or in its own, is when
/// the writer is there again, whatever verb says so (the verbs of starting again are too many
/// to list). The "from" word's token, as a return cue.
pub(crate) fn from_a_day_until_then(f: &Folded) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for m in 0..f.toks.len() {
        // The phrases' first words first: most tokens open none.
        if !f.is_any(
            m,
            &[
                "until", "till", "in", "bis", "tot", "d", "jusque", "fino", "hasta", "ate",
            ],
        ) {
            continue;
        }
        let Some(words) = UNTIL_THEN.iter().find(|words| {
            words.iter().enumerate().all(|(n, w)| {
                if *w == "'" || *w == "-" {
                    f.is_punct(m + n, w.as_bytes()[0])
                } else {
                    f.is_word(m + n, w)
                }
            })
        }) else {
            continue;
        };
        // "bis dahin" after a day of its own ("bis dahin, den 14.") names that day.
        if day_token(f, m + words.len()) {
            continue;
        }
        let near = m.saturating_sub(30)..(m + 30).min(f.toks.len());
        let Some(from) = near
            .clone()
            .filter(|&i| !(m..m + words.len()).contains(&i))
            .find(|&i| f.is_any(i, STARTS_FROM) && (i + 1..i + 5).any(|d| day_token(f, d)))
        else {
            continue;
        };
        // The writer's: a first person in the clauses of the day or of "until then" ("Our new
        // pricing applies from January 4th. Until then the current rates hold" is an offer).
        let clause = |at: usize| {
            let ends = |i: usize| sentence_stop(f, i);
            let start = (at.saturating_sub(15)..at)
                .rev()
                .find(|&i| ends(i))
                .map_or(at.saturating_sub(15), |i| i + 1);
            let end = (at..at + 15).find(|&i| ends(i)).unwrap_or(at + 15);
            start..end
        };
        // "Ich bin ab Mitte Mai in Karenz, bis dahin können wir gern sprechen": an absence in
        // the words of the day itself starts then; until then the writer is there.
        let own = if from < m {
            from..m
        } else {
            from..(from..from + 15)
                .find(|&i| sentence_stop(f, i))
                .unwrap_or(from + 15)
        };
        let starts_absence = f
            .toks
            .get(own.start)
            .zip(f.toks.get(own.end.min(f.toks.len()).saturating_sub(1)))
            .and_then(|(first, last)| f.text.get(first.f_start..last.f_end))
            .is_some_and(|words| ABSENCE_RE.as_ref().is_some_and(|re| re.is_match(words)));
        if !starts_absence
            && clause(from)
                .chain(clause(m))
                .any(|i| f.is_any(i, WRITER_SUBJECTS))
        {
            found.push((from, from + 1));
        }
    }
    found
}

/// The writer as a clause's subject: pronouns, their reflexive forms ("je me remets", "me
/// pongo") and the forms of "be" that carry the first person.
const WRITER_SUBJECTS: &[&str] = &[
    "i",
    "ll",
    "ich",
    "bin",
    "wir",
    "sind",
    "ik",
    "ben",
    "wij",
    "we",
    "je",
    "j",
    "me",
    "serai",
    "suis",
    "nous",
    "serons",
    "sommes",
    "io",
    "mi",
    "saro",
    "sono",
    "saremo",
    "siamo",
    "yo",
    "estare",
    "estoy",
    "estaremos",
    "estamos",
    "eu",
    "estarei",
    "estou",
];

/// Stems of answering, reading mail and being reached, in each language.
const ANSWER_STEMS: &[&str] = &[
    "repl",
    "answer",
    "respon",
    "rispond",
    "repond",
    "contest",
    "antwort",
    "beantwort",
    "bearbeit",
    "lese",
    "read",
    "lire",
    "legg",
    "leer",
    "ler",
    "mail",
    "e-mail",
    "correo",
    "posta",
    "messag",
    "erreich",
    "joign",
    "raggiung",
    "contact",
    "contatt",
    "bereik",
    "reach",
    "treat",
    "trait",
    "atend",
    "evad",
];

/// Words of rarity and restriction said of reading mail ("sporadically", "unregelmäßig",
/// "saltuariamente", "de forma esporádica", "af en toe", "de façon irrégulière"), as stems.
const RARELY_STEMS: &[&str] = &[
    "sporadi",
    "esporadi",
    "saltuari",
    "irregul",
    "irregol",
    "unregelm",
    "onregelm",
    "occasion",
    "ocasional",
    "rarely",
    "rarement",
    "raramente",
    "selten",
    "zelden",
    "intermitt",
    "eingeschr",
    "beperkt",
    "limited",
    "limite",
    "limitat",
    "limitad",
    "once",
    "einmal",
];

/// "Now and then" in each language, as its words.
const NOW_AND_THEN: &[&[&str]] = &[
    &["af", "en", "toe"],
    &["ab", "und", "zu"],
    &["de", "temps", "en", "temps"],
    &["di", "tanto", "in", "tanto"],
    &["de", "vez", "en", "cuando"],
    &["de", "vez", "em", "quando"],
    &["now", "and", "then"],
    &["every", "now", "and"],
];

/// Mail words a reading verb takes ("mail", "e-mails", "Posteingang", "correo", "posta").
const MAIL_WORDS: &[&str] = &[
    "mail",
    "mails",
    "email",
    "emails",
    "messages",
    "messaggi",
    "mensajes",
    "mensagens",
    "correo",
    "correos",
    "posta",
    "nachrichten",
    "berichten",
    "courriels",
];

/// The tokens that name mail or a mailbox ([`mailbox`], [`MAIL_WORDS`]), in order.
pub(crate) fn mail_tokens(f: &Folded) -> Vec<usize> {
    (0..f.toks.len())
        .filter(|&k| f.is_a_word(k) && (f.is_any(k, MAIL_WORDS) || mailbox(f, k)))
        .collect()
}

/// "Durante agosto este buzón se revisa de forma esporádica", "ich schaue nur sporadisch ins
/// Postfach", "Cette adresse est relevée de façon très irrégulière pendant l'été", "I'll be
/// checking mail only sporadically": the writer's mailbox (or their mail) and a word of
/// rarity within a few words in one clause: the writer is away from their mail. The span from
/// the first of the two to the last.
fn mail_read_rarely(f: &Folded, mail: &[usize]) -> Vec<(usize, usize)> {
    let ends = |i: usize| sentence_stop(f, i);
    let mut found = Vec::new();
    for &k in mail {
        // ... or now and then: "af en toe", "ab und zu", "de temps en temps", "di tanto in
        // tanto", "de vez en cuando", "de vez em quando", "now and then"
        let rare = |i: usize| {
            f.is_a_word(i) && RARELY_STEMS.iter().any(|stem| f.word(i).starts_with(stem))
                || NOW_AND_THEN
                    .iter()
                    .any(|words| words.iter().enumerate().all(|(n, w)| f.is_word(i + n, w)))
        };
        let after = (k + 1..k + 9).take_while(|&i| !ends(i)).find(|&i| rare(i));
        let before = (k.saturating_sub(8)..k)
            .rev()
            .take_while(|&i| !ends(i))
            .find(|&i| rare(i));
        // Not the reader's mail ("your mail", "Ihre Nachrichten") nor mail someone else reads.
        let readers = f.is_any(k.wrapping_sub(1), READER)
            || f.is_any(k.wrapping_sub(1), &["ihre", "uw", "vos", "sus", "suoi"]);
        if readers {
            continue;
        }
        match (before, after) {
            (_, Some(a)) => found.push((k, a + 1)),
            (Some(b), None) => found.push((b, k + 1)),
            _ => {}
        }
    }
    found
}

/// Participles of reading or watching mail, said of a mailbox not read ("not monitored",
/// "niet gelezen", "nicht gelesen", "pas consultée", "no se revisa", "non è presidiata",
/// "não é lida").
const NOT_READ: &[&str] = &[
    "monitored",
    "checked",
    "read",
    "answered",
    "attended",
    "staffed",
    "gelezen",
    "bekeken",
    "beantwoord",
    "gecontroleerd",
    "bijgehouden",
    "gelesen",
    "betreut",
    "bearbeitet",
    "abgerufen",
    "uberwacht",
    "ueberwacht",
    "consultee",
    "consultees",
    "consulte",
    "lu",
    "lue",
    "releve",
    "relevee",
    "surveillee",
    "traitee",
    "revisa",
    "revisado",
    "revisada",
    "atiende",
    "atendido",
    "atendida",
    "lee",
    "leido",
    "leida",
    "monitoreado",
    "monitoreada",
    "controllata",
    "controllato",
    "letta",
    "presidiata",
    "monitorata",
    "consultata",
    "lida",
    "lido",
    "verificada",
    "monitorizada",
    "monitorada",
    "consultada",
    "vigiada",
];

/// "Van 24 december t/m 1 januari wordt deze mailbox niet gelezen", "this shared mailbox is not
/// monitored over the Easter weekend", "dieses Postfach wird bis zum 6. nicht gelesen": the
/// writer's mailbox with a negated participle of reading in its sentence, the days around it
/// written anywhere in it. The negation and the participle, as an absence.
pub(crate) fn mailbox_not_read(f: &Folded, mail: &[usize]) -> Vec<(usize, usize)> {
    let ends = |i: usize| sentence_stop(f, i);
    let mut found = Vec::new();
    for &k in mail.iter().filter(|&&k| mailbox(f, k)) {
        let not_read = |from: usize, to: usize| {
            (from..to).find(|&n| {
                f.is_any(n, NEGATIONS)
                    && (n + 1..n + 6)
                        .take_while(|&p| f.is_a_word(p))
                        .any(|p| f.is_any(p, NOT_READ))
            })
        };
        let after_end = (k + 1..k + 16).find(|&i| ends(i)).unwrap_or(k + 16);
        let before_start = (k.saturating_sub(6)..k)
            .rev()
            .find(|&i| ends(i))
            .map_or(k.saturating_sub(6), |i| i + 1);
        if let Some(n) = not_read(k + 1, after_end).or_else(|| not_read(before_start, k)) {
            let p = (n + 1..n + 6).find(|&p| f.is_any(p, NOT_READ)).unwrap_or(n + 1);
            // French "ne ... pas": the cue holds both halves of its negation.
            let n = (n.saturating_sub(3)..n)
                .find(|&j| f.is_word(n, "pas") && f.is_any(j, &["ne", "n"]))
                .unwrap_or(n);
            found.push((n, p + 1));
        }
    }
    found
}

/// First-person possessives before the writer's mail ("my inbox", "ma boîte mail", "meine
/// Mails", "mijn mailbox", "la mia posta", "mi correo", "a minha caixa").
const MY: &[&str] = &[
    "my", "mein", "meine", "meinen", "meinem", "ma", "mon", "mes", "mia", "mio", "mie", "miei", "mi", "mis",
    "minha", "meu", "minhas", "meus", "mijn",
];

/// "je replonge dans ma boîte mail à partir du 19 octobre", "I'll dig into my inbox from the
/// 4th of May", "ab Montag kümmere ich mich wieder um meine Mails": the writer's own mail and
/// a day counted from in one clause: the writer is back at their mail from then, whatever
/// the verb. The "from" token, as a return cue.
pub(crate) fn own_mail_from_a_day(f: &Folded, mail: &[usize]) -> Vec<(usize, usize)> {
    let ends = |i: usize| sentence_stop(f, i) || f.is_punct(i, b':') && !f.is_num(i.wrapping_sub(1));
    let mut found = Vec::new();
    for &k in mail {
        if !(k.saturating_sub(3)..k).any(|i| f.is_any(i, MY)) {
            continue;
        }
        let from = (k.saturating_sub(12)..k + 10)
            .filter(|&i| (i.min(k)..i.max(k)).all(|j| !ends(j)))
            .find(|&i| f.is_any(i, STARTS_FROM) && (i + 1..i + 5).any(|d| day_token(f, d)));
        // Not mail the reader is asked to send ("please send the invoice to my inbox from
        // Monday").
        let lo = (k.saturating_sub(12)..k)
            .rev()
            .find(|&j| ends(j))
            .map_or(k.saturating_sub(12), |j| j + 1);
        let hi = (k..k + 12).find(|&j| ends(j)).unwrap_or(k + 12).min(f.toks.len());
        let asked = super::away::asks_reader_in(f, lo, hi) || (lo..hi).any(|j| f.is_any(j, READER));
        if let (Some(from), false) = (from, asked) {
            found.push((from, from + 1));
        }
    }
    found
}

/// Words of things back to normal ("normal service", "atención normal", "risposte regolari",
/// "wie gewohnt", "comme d'habitude").
const NORMAL_STEMS: &[&str] = &[
    "normal", "regular", "regolar", "habitu", "gewohnt", "normaal", "usual", "consueto",
];

/// "A partir del 1 de septiembre, atención normal", "Risposte regolari da settembre", "normal
/// service from Monday": a day counted from with a word of normality in its clause: the
/// return. The "from" token, as a return cue.
fn normal_from_a_day(f: &Folded) -> Vec<(usize, usize)> {
    let ends = |i: usize| sentence_stop(f, i);
    let mut found = Vec::new();
    for k in 0..f.toks.len() {
        if !(f.is_any(k, STARTS_FROM) && (k + 1..k + 5).any(|d| day_token(f, d))) {
            continue;
        }
        let normal = |i: usize| f.is_a_word(i) && NORMAL_STEMS.iter().any(|stem| f.word(i).starts_with(stem));
        if (k + 1..k + 10).take_while(|&i| !ends(i)).any(normal)
            || (k.saturating_sub(6)..k)
                .rev()
                .take_while(|&i| !ends(i))
                .any(normal)
        {
            found.push((k, k + 1));
        }
    }
    found
}

/// The writer's "can" in each language, its person in its ending ("potrò", "pourrai",
/// "podré", "poderei", "posso", "puedo", "kann").
const WRITER_CAN: &[&str] = &[
    "potro",
    "potremo",
    "posso",
    "possiamo",
    "pourrai",
    "pourrons",
    "peux",
    "pouvons",
    "podre",
    "podremos",
    "puedo",
    "podemos",
    "poderei",
    "poderemos",
    "kann",
    "konnen",
    "kan",
    "kunnen",
];

/// "I'll be onshore again on 27 September", "ich bin ab 14.12. wieder an Land", "sarò di
/// nuovo operativo dal 9": the writer is some state again on a day, which says they are not
/// until then. A first-person subject or verb before "again", a day right after it (maybe
/// after "on" or "from") or counted from earlier in its sentence. The "again" token, as a
/// return cue.
fn again_on_a_day(f: &Folded) -> Vec<(usize, usize)> {
    const AGAIN_WORDS: &[&str] = &[
        "again",
        "wieder",
        "weer",
        "nouveau",
        "nuovo",
        "nuevo",
        "novo",
        "nuovamente",
        "nuevamente",
        "novamente",
        "opnieuw",
    ];
    let mut found = Vec::new();
    for k in 0..f.toks.len() {
        if !f.is_any(k, AGAIN_WORDS) {
            continue;
        }
        let writer = (k.saturating_sub(6)..k)
            .rev()
            .take_while(|&i| f.is_a_word(i) || f.is_punct(i, b'\''))
            // (not "me": "check in with me again on the 14th" asks the reader)
            .any(|i| f.is_any(i, WRITER_SUBJECTS) && !f.is_any(i, &["me", "mi"]));
        let mut d = k + 1;
        while d < k + 4
            && (f.is_any(d, STARTS_FROM)
                || f.is_any(
                    d,
                    &[
                        "on", "am", "op", "le", "il", "el", "the", "a", "o", "dem", "du", "del", "dal", "do",
                    ],
                ))
        {
            d += 1;
        }
        // Or the day counted from earlier in the sentence: "Vanaf maandag 4 januari staan we
        // opnieuw voor u klaar", "A partir del lunes 4 estaremos nuevamente a su disposición".
        let from_before = || {
            (k.saturating_sub(14)..k)
                .rev()
                .take_while(|&i| !sentence_stop(f, i))
                .any(|i| f.is_any(i, STARTS_FROM) && (i + 1..i + 4).any(|d| day_token(f, d)))
        };
        if writer && (d > k + 1 && day_token(f, d) || from_before()) {
            found.push((k, k + 1));
        }
    }
    found
}

/// Words that hedge a day ("probably", "voraussichtlich", "sans doute", "probabilmente",
/// "probablemente", "provavelmente", "waarschijnlijk", "vermoedelijk", "likely", "presumably").
const HEDGES: &[&str] = &[
    "probably",
    "likely",
    "presumably",
    "most",
    "voraussichtlich",
    "vermutlich",
    "wahrscheinlich",
    "wohl",
    "sans",
    "doute",
    "probablement",
    "probabilmente",
    "presumibilmente",
    "probablemente",
    "seguramente",
    "provavelmente",
    "waarschijnlijk",
    "vermoedelijk",
    "normaal",
    "gesproken",
    "normally",
    "normalerweise",
    "normalement",
    "normalmente",
    "at",
    "least",
    "mindestens",
    "almeno",
    "al",
    "menos",
    "pelo",
    "au",
    "moins",
    "minstens",
    "noch",
    "still",
    "encore",
    "ancora",
    "todavia",
    "ainda",
    "nog",
];

/// "For" before a length ("for", "für", "pour", "per", "por", "voor", "durante", "pendant").
const FOR_LENGTH: &[&str] = &[
    "for",
    "fur",
    "pour",
    "per",
    "por",
    "voor",
    "durante",
    "pendant",
    "gedurende",
];

/// Words between "for" and a length's unit besides its number: "about", "ca.", "the next",
/// "a couple of", "ein paar", "quelques", "alcune", "unas".
const LENGTH_FILLERS: &[&str] = &[
    "a",
    "an",
    "about",
    "around",
    "approx",
    "approximately",
    "roughly",
    "ca",
    "circa",
    "etwa",
    "ungefahr",
    "rund",
    "the",
    "next",
    "couple",
    "of",
    "few",
    "ein",
    "eine",
    "einen",
    "paar",
    "die",
    "nachsten",
    "environ",
    "quelques",
    "les",
    "prochains",
    "prochaines",
    "deux",
    "un",
    "une",
    "circa",
    "alcuni",
    "alcune",
    "qualche",
    "le",
    "prossime",
    "prossimi",
    "unos",
    "unas",
    "las",
    "los",
    "proximas",
    "proximos",
    "uns",
    "umas",
    "as",
    "os",
    "een",
    "paar",
    "de",
    "komende",
    "volgende",
    "enkele",
    "la",
];

/// "No" before a service's noun ("kein Versand", "geen leveringen", "aucune livraison",
/// "nessuna spedizione", "ningún envío", "nenhuma entrega").
const NO_SERVICE: &[&str] = &[
    "kein", "keine", "keinen", "geen", "aucun", "aucune", "nessun", "nessuna", "ningun", "ninguna", "nenhum",
    "nenhuma",
];

/// Words that make a clause opening the reply a notice of the writer's absence ("Hors
/// réseau jusqu'au 12", "Sin wifi hasta el 3", "Serviços mínimos até 2", "Accès limité
/// jusqu'au 30"): out, without, limited, reduced, minimal, sporadic, stopped. Without one,
/// "Die Lieferung kommt bis Freitag" or "Sounds good until the 11th" is a person's.
const NOTICE_MARKERS: &[&str] = &[
    "zero",
    "hors",
    "sans",
    "sin",
    "sem",
    "ohne",
    "zonder",
    "senza",
    "without",
    "no",
    "not",
    "nicht",
    "niet",
    "pas",
    "non",
    "nao",
    "limited",
    "limite",
    "limitee",
    "limitado",
    "limitada",
    "limitato",
    "limitata",
    "eingeschrankt",
    "beperkt",
    "reduced",
    "reduit",
    "reduite",
    "reducido",
    "reducida",
    "reduzido",
    "reduzida",
    "ridotto",
    "ridotta",
    "minimal",
    "minimum",
    "minimos",
    "minimas",
    "minimi",
    "minime",
    "minimaux",
    "aleatoire",
    "sporadic",
    "sporadique",
    "esporadico",
    "sporadico",
    "sporadisch",
    "intermittent",
    "intermitente",
    "intermittente",
    "instable",
    "instavel",
    "inestable",
    "instabile",
    "unstable",
    "unreliable",
    "wackelig",
    "instabiel",
    "ridotti",
    "ridotte",
    "reducidos",
    "reduzidos",
    "reduits",
    "offline",
    "unreachable",
    "injoignable",
    "irraggiungibile",
    "inalcanzable",
    "fuera",
    "afuera",
    "fuori",
    "fora",
    "out",
    "off",
    "away",
    "weg",
    "absent",
    "absente",
    "ausente",
    "assente",
    "afwezig",
    "abwesend",
    "stop",
    "arret",
    "parada",
    "paragem",
    "fermo",
    "stillstand",
    "pause",
    "pausa",
    "break",
];

/// Forms of the past before "until": the state is over ("I was in Lisbon until Monday", "ich
/// war bis gestern krank", "j'étais", "ero", "estaba", "estive", "ik was").
const WAS: &[&str] = &[
    "was",
    "were",
    "had",
    "been",
    "war",
    "waren",
    "hatte",
    "hatten",
    "gewesen",
    "etais",
    "etait",
    "etions",
    "ero",
    "eravamo",
    "estaba",
    "estabamos",
    "estuve",
    "estuvimos",
    "sido",
    "estive",
    "estivemos",
    "estava",
    "estavamos",
    "fui",
    "fuimos",
    "fomos",
    "geweest",
    "zat",
    "zaten",
];

/// Words between "until" and its day: "bis einschließlich", "tot en met", "bis zum",
/// "jusqu'au", "hasta el", "fino al", "até o dia", "until the".
/// The "until" words alone, without [`UNTIL_WORDS`]' "before" ones ("until", "bis", "tot",
/// "jusqu'", "hasta", "fino", "até"): what a stay or a state runs to, for
/// [`until_then_place`] and [`writer_until_a_day`].
const UNTIL_ONLY: &[&str] = &[
    "until", "till", "til", "through", "thru", "bis", "tot", "jusqu", "hasta", "fino", "ate",
];

/// "Before" words that, negated, say "until" ("pas avant le 27", "not before Monday", "nicht
/// vor dem 14.", "niet voor maandag", "non prima del", "no antes del", "não antes de").
const BEFORE_WORDS: &[&str] = &["avant", "before", "vor", "voor", "prima", "antes"];

const UNTIL_FILLERS: &[&str] = &[
    "giorno",
    "einschliesslich",
    "einschl",
    "inklusive",
    "inkl",
    "incl",
    "including",
    "und",
    "mit",
    "en",
    "met",
    "zum",
    "zur",
    "au",
    "a",
    "l",
    "el",
    "al",
    "all",
    "alla",
    "ao",
    "aos",
    "o",
    "dia",
    "the",
    "le",
    "la",
    "lo",
    "di",
    "de",
    // a month's end: "bis Ende Januar", "until the end of January", "tot eind januari",
    // "jusqu'à la fin janvier", "fino alla fine di gennaio", "hasta finales de enero"
    "ende",
    "end",
    "eind",
    "fin",
    "fine",
    "fim",
    "finales",
    "final",
    "of",
    "van",
    "des",
    "del",
    "do",
    // "vor dem 9. März"
    "dem",
];

/// Words of a time of day after a number ("until 3 pm", "bis 17 Uhr", "tot 5 uur").
const TIME_WORDS: &[&str] = &[
    "pm", "am", "uhr", "h", "hrs", "hr", "uur", "u", "heures", "heure", "ore", "horas", "hs", "oclock",
];

/// Subjects that are someone else's: before the writer's, they take the clause.
const OTHER_SUBJECTS: &[&str] = &[
    "he", "she", "they", "it", "er", "es", "il", "elle", "ils", "elles", "hij", "zij", "ze", "ele", "ela",
    "lui", "ella", "who", "which", "that",
];

/// Token `i` is the writer as the subject of an "until" clause: a pronoun, or a verb form
/// that carries the first person ("bin", "heb", "tengo", "sono", "estou", "I'm").
fn until_subject(f: &Folded, i: usize) -> bool {
    if f.is_any(i, &["m", "re", "am", "are", "be"]) {
        return english_first_person_be(f, i);
    }
    // "operiamo a ranghi ridotti", "funcionamos", "atendemos": the verb's ending is the
    // writer's "we" (not "los próximos días", "los últimos").
    let word = f.word(i);
    let we_verb = f.is_a_word(i)
        && word.len() >= 6
        && (word.ends_with("iamo")
            || word.ends_with("amos")
            || word.ends_with("emos")
            || word.ends_with("imos"))
        && !f.is_any(
            i,
            &[
                "proximos", "ultimos", "minimos", "maximos", "optimos", "extremos", "ramos", "primos",
            ],
        );
    // Spanish "me he tomado", "nos hemos ido": "he" after "me" is "I have".
    let spanish_have = f.is_word(i, "he") && f.is_word(i.wrapping_sub(1), "me");
    we_verb
        || spanish_have
        || f.is_any(i, UNTIL_SUBJECTS)
        || f.is_any(i, ROMANCE_BE_FIRST_PERSON)
        || f.is_any(i, WRITERS_OWN)
        || crate::dates::subject::own_place(f, i)
        || f.is_any(i, OWN_WORKS)
        || mailbox(f, i)
}

/// Token `i` names the writer's mailbox: a word of [`MAILBOXES`], or an address named as
/// this one or the writer's ("this address", "diese E-Mail-Adresse", "dit e-mailadres",
/// "cette adresse", "questo indirizzo", "esta dirección", "este endereço"; not "your
/// address").
pub(crate) fn mailbox(f: &Folded, i: usize) -> bool {
    if f.is_any(i, MAILBOXES) {
        return true;
    }
    if !f.is_any(i, ADDRESSES) {
        return false;
    }
    // Back over "e-mail" and its hyphens to the determiner.
    let mut j = i.wrapping_sub(1);
    while j < i && (f.is_any(j, &["e", "mail", "email", "correo", "posta"]) || f.is_punct(j, b'-')) {
        j = j.wrapping_sub(1);
    }
    f.is_any(j, OWN_DETERMINERS)
}

/// Nouns of an e-mail address ("address", "Adresse", "e-mailadres", "indirizzo").
const ADDRESSES: &[&str] = &[
    "address",
    "adresse",
    "adres",
    "mailadres",
    "emailadres",
    "mailadresse",
    "emailadresse",
    "indirizzo",
    "direccion",
    "endereco",
    "account",
    "konto",
    "compte",
    "cuenta",
    "conta",
];

/// Determiners that make an address the writer's own: demonstratives and possessives of the
/// first person.
const OWN_DETERMINERS: &[&str] = &[
    "this", "my", "our", "diese", "dieses", "meine", "unsere", "dit", "deze", "mijn", "ons", "onze", "cette",
    "cet", "ce", "mon", "ma", "notre", "questo", "questa", "mio", "mia", "nostro", "nostra", "esta", "este",
    "mi", "nuestra", "nuestro", "meu", "minha", "nosso", "nossa",
];

/// The writer's mailbox ("mailbox", "Postfach", "casella", "boîte"): a subject of an "until"
/// clause, and one whose deferral ("ne sera pas consultée avant le 27") is its absence.
const MAILBOXES: &[&str] = &[
    "mailbox",
    "inbox",
    "postvak",
    "postfach",
    "posteingang",
    "casella",
    "caixa",
    "buzon",
    "messagerie",
    "boite",
];

/// The writer's mailbox, works and offices as the subject of an "until" clause ("questa
/// casella non è presidiata fino all'8", "la planta está en parada técnica hasta el 27", "le
/// secrétariat est clos jusqu'au 24"), besides [`crate::dates::subject::own_place`]'s.
const OWN_WORKS: &[&str] = &[
    // a secretary's office: "das Sekretariat ist bis ... nicht besetzt"
    "sekretariat",
    "secretariat",
    "secretariaat",
    "segreteria",
    "secretaria",
    "planta",
    "fabrica",
    "stabilimento",
    "usine",
    "fabriek",
    "fabrik",
    "lager",
    "magazzino",
    "almacen",
    "armazem",
    "entrepot",
    "magazijn",
    "secretariat",
    "sekretariat",
    "segreteria",
    "secretaria",
    "mairie",
    "rathaus",
    "gemeente",
    "comune",
    "ayuntamiento",
    "prefeitura",
    "atelier",
    "werkstatt",
    "werkplaats",
    "officina",
    "taller",
    "oficina",
    "kantine",
    "cantina",
    "servicedesk",
    "helpdesk",
    "klantenservice",
    "kundenservice",
];

/// The writer's own things as the subject ("my access to mail is limited until", "ma
/// messagerie", "unser Lager", "nuestra planta"): their state is the writer's.
const WRITERS_OWN: &[&str] = &[
    "my", "mein", "meine", "meinem", "meinen", "meiner", "mon", "ma", "mes", "mi", "mis", "mio", "mia",
    "mie", "miei", "meu", "minha", "meus", "minhas", "mijn", "our", "unser", "unsere", "unserem", "unseren",
    "notre", "nuestro", "nuestra", "nostro", "nostra", "nosso", "nossa", "onze",
];

/// A third person's "is" before "until": a thing's state ("the offer is valid until", "la
/// livraison est prévue jusqu'au"), not a notice of the writer's.
const THIRD_BE: &[&str] = &[
    "is", "ist", "est", "e", "es", "esta", "sera", "wird", "will", "word", "wordt", "are", "sind", "sont",
    "sono", "estan", "estao", "zijn", "was", "war", "were", "fue", "foi",
];

/// First-person pronouns and verbs for [`until_subject`] (English "I'm" apart).
const UNTIL_SUBJECTS: &[&str] = &[
    "i",
    "we",
    "ich",
    "wir",
    "bin",
    "sind",
    "habe",
    "hab",
    "haben",
    "ik",
    "wij",
    "ben",
    "heb",
    "hebben",
    "zit",
    "zitten",
    "je",
    "j",
    "nous",
    "suis",
    "serai",
    "sommes",
    "serons",
    "ai",
    "avons",
    "yo",
    "nosotros",
    "tengo",
    "tenemos",
    "io",
    "noi",
    "ho",
    "abbiamo",
    "eu",
    "nos",
    "tenho",
    "temos",
    "encuentro",
    "encontramos",
    "trovo",
    "encontro",
    "troviamo",
];

/// The reader, spoken to: a clause for them is a promise or a request ("ich schicke Ihnen das
/// bis Freitag", "I'll send you the deck until Friday").
const READER: &[&str] = &[
    "you", "your", "ihnen", "dir", "dich", "euch", "vous", "usted", "ustedes", "voce", "vc", "lhe", "jou",
    "jullie", "tu", "vos", "ti", "vi",
];

/// The writer is there, has time, or something is done or valid by the day: no absence.
const THERE_OR_DONE: &[&str] = &[
    "available",
    "around",
    "here",
    "reachable",
    "free",
    "erreichbar",
    "verfugbar",
    "bereikbaar",
    "beschikbaar",
    "aanwezig",
    "disponible",
    "disponibles",
    "disponibile",
    "raggiungibile",
    "disponivel",
    "presente",
    "present",
    "zeit",
    "time",
    "tijd",
    "temps",
    "tempo",
    "tiempo",
    "fertig",
    "erledigt",
    "done",
    "finished",
    "ready",
    "klaar",
    "pronto",
    "pronta",
    "listo",
    "lista",
    "pret",
    "termine",
    "fatto",
    "concluido",
    "valid",
    "gultig",
    "geldig",
    "valable",
    "valido",
    "valida",
    "back",
    "zuruck",
    "terug",
    "retour",
    // working from elsewhere, which is working: "I'm working remotely until June 11"
    "remotely",
    "remote",
    "thuis",
    "thuiswerken",
    "teletravail",
    "teletrabajo",
    "remoto",
    "remota",
    "telelavoro",
    "smartworking",
    "smart",
    "distance",
    "distancia",
    "distanza",
    // waiting for the day, needing a thing by it: "can't wait until Monday", "wir
    // bräuchten die Lieferung spätestens bis zum 18."
    "wait",
    "waiting",
    "warten",
    "attendre",
    "esperar",
    "aspettare",
    "wachten",
    "spatestens",
    "latest",
    "uiterlijk",
    "tard",
    "tardar",
    "need",
    "needs",
    "brauche",
    "brauchen",
    "brauchten",
    "benotigen",
    "nodig",
    "besoin",
    "bisogno",
    "necesito",
    "necesitamos",
    "preciso",
    "precisamos",
    // open until the day, a deadline or an offer that runs until it: "dépôt des dossiers
    // jusqu'au 15 mars", "registration open until Friday", "Angebot bis Sonntag"
    "open",
    "offen",
    "geoffnet",
    "ouvert",
    "ouverte",
    "ouverts",
    "ouvertes",
    "aperto",
    "aperta",
    "aperti",
    "abierto",
    "abierta",
    "aberto",
    "aberta",
    "depot",
    "submission",
    "submissions",
    "application",
    "applications",
    "registration",
    "registrations",
    "inscription",
    "inscriptions",
    "anmeldung",
    "anmeldeschluss",
    "bewerbung",
    "bewerbungen",
    "einsendeschluss",
    "candidature",
    "candidatures",
    "candidatura",
    "candidaturas",
    "iscrizione",
    "iscrizioni",
    "inscripcion",
    "inscripciones",
    "inscricao",
    "inscricoes",
    "aanmelding",
    "inschrijving",
    "inschrijvingen",
    "offer",
    "offre",
    "angebot",
    "aanbieding",
    "oferta",
    "offerta",
    "promo",
    "promotion",
    "sale",
    "aktion",
    "actie",
    "deadline",
    "frist",
    "discount",
    "rabatt",
    "korting",
    "remise",
    "sconto",
    "descuento",
    "desconto",
    // money to spend until the day: "we have budget until December 31"
    "budget",
    "budgets",
    "presupuesto",
    "orcamento",
    "haushalt",
    "bilancio",
    // a contract that runs until the day: "we're tied to a contract until March"
    "contract",
    "contracts",
    "agreement",
    "subscription",
    "licence",
    "license",
    "lease",
    "vertrag",
    "abo",
    "lizenz",
    "contrat",
    "abonnement",
    "contratto",
    "contrato",
    "suscripcion",
    "assinatura",
    "licentie",
    "vendor",
    "supplier",
    "provider",
    "anbieter",
    "lieferant",
    "dienstleister",
    "fournisseur",
    "prestataire",
    "fornitore",
    "proveedor",
    "fornecedor",
    "leverancier",
];

/// See [`find`]: the call-back cue from `start` to `end` asks the reader for no contact: a
/// reminder's heading ("Rappel :", "un petit rappel"), a call for entries ("appel à projets",
/// "appel d'offres"), a passive of others being contacted ("candidates will be contacted",
/// "seront contactés"), Dutch signing up ("meld je aan").
fn not_a_plea(f: &Folded, start: usize, end: usize) -> bool {
    let word = f.word(start);
    let reminder = word.starts_with("rappel")
        && (f.is_punct(end, b':')
            || f.is_any(
                start.wrapping_sub(1),
                &["un", "le", "ce", "petit", "dernier", "en"],
            ));
    let call_for = word.starts_with("appel") && (f.is_any(end, &["a", "aux", "d"]) || f.is_punct(end, b'\''));
    let passive = (word.starts_with("contact") || word == "recontacte" || word.starts_with("recontact"))
        && (f.is_any(
            start.wrapping_sub(1),
            &["be", "been", "being", "seront", "sera", "serez", "seras"],
        ) || f.is_any(start.wrapping_sub(2), &["be", "been", "seront", "sera"])
            && f.is_word(start.wrapping_sub(1), "personally"));
    let sign_up = f.is_word(start, "meld") && (start + 1..end + 3).any(|k| f.is_word(k, "aan"));
    reminder || call_for || passive || sign_up
}

/// "Until" and "before" in the languages whose negated returns say how long the absence
/// lasts ("not back until", "pas de retour avant", "nicht erreichbar bis"), and whose
/// deferrals say how long the reader must wait ("can't until", "pas avant", "no ... hasta").
pub(crate) const UNTIL_WORDS: &[&str] = &[
    "until", "till", "til", "untill", "before", "avant", "jusqu", "bis", "vor", "hasta", "antes", "fino",
    "prima", "tot", "voor", "ate", "forran",
];

/// Words of "only then, not before" ("erst", "vasta", "tidigast", "dopiero", "až",
/// "earliest"): an operator "before" whose day is the first the thing can be; before a day,
/// beside a place, they put a return off until that day.
pub(crate) const ONLY_THEN: &[&str] = &[
    "earliest",
    "fruhestens",
    "erst",
    "najwczesniej",
    "dopiero",
    "nejdrive",
    "nejdriv",
    "az",
    "tidigast",
    "tidligst",
    "aikaisintaan",
    "vasta",
    "ancak",
];

/// Danish and Norwegian "før" (before), folded to "for": read as such only after the
/// clause's "ikke" and before a day ("ikke tilbage før den 14.", "ikke på kontoret før
/// mandag"); "for resten af ugen" is "for".
pub(crate) fn nordic_before(f: &Folded, k: usize) -> bool {
    let day_at = |j: usize| {
        f.is_num(j)
            || f.toks
                .get(j)
                .is_some_and(|t| t.lex.weekday > 0 || t.lex.month > 0)
    };
    f.is_word(k, "for")
        && (day_at(k + 1) || (f.is_any(k + 1, &["den", "d"]) && (day_at(k + 2) || day_at(k + 3))))
        && (k.saturating_sub(8)..k).any(|j| f.is_any(j, &["ikke", "ikkje"]))
}

/// An "until" or "before" at token `k`: [`UNTIL_WORDS`], or a Nordic "før" ([`nordic_before`]).
pub(crate) fn until_at(f: &Folded, k: usize) -> bool {
    f.is_any(k, UNTIL_WORDS) || nordic_before(f, k)
}

/// The words a deferral hangs on: an "until" or "before" ([`UNTIL_WORDS`]), German "erst",
/// Dutch "pas". A literal alternation, found with the regex crate's prefilter.
static DEFERRAL_ANCHOR_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(&format!(r"(?-u)\b(?:{}|erst|pas)\b", UNTIL_WORDS.join("|"))).ok());

/// How many tokens a deferral must stand from any return or absence cue to count: closer,
/// it is part of the absence notice ("away, and unable to answer until Monday").
const DEFERRAL_CLEAR: usize = 12;

/// How far (in tokens, within the clause) the "until" of a deferral may follow its negation
/// or stand from its word of being busy.
const DEFERRAL_REACH: usize = 10;

/// Words of being too busy for the reader now, folded: "slammed", "ausgebucht", "débordé",
/// "liado", "impegnato", "druk", "atarefado". ("tied up" and "booked up" are checked with
/// their particle.) "Busy", "swamped" and "snowed under" are absence cues already, which a
/// deferral yields to, so they are not listed here.
const BUSY: &[&str] = &[
    "slammed",
    "overbooked",
    "overloaded",
    "ausgebucht",
    "beschaftigt",
    "eingespannt",
    "deborde",
    "debordee",
    "debordes",
    "debordees",
    "occupe",
    "occupee",
    "occupes",
    "occupees",
    "overbooke",
    "overbookee",
    "surcharge",
    "surchargee",
    "ocupado",
    "ocupada",
    "ocupados",
    "ocupadas",
    "liado",
    "liada",
    "liados",
    "liadas",
    "saturado",
    "saturada",
    "desbordado",
    "desbordada",
    "impegnato",
    "impegnata",
    "impegnati",
    "impegnate",
    "occupato",
    "occupata",
    "occupati",
    "oberato",
    "oberata",
    "oberati",
    "incasinato",
    "incasinata",
    "druk",
    "bezet",
    "volgeboekt",
    "atarefado",
    "atarefada",
    "sobrecarregado",
    "sobrecarregada",
    "assoberbado",
    "assoberbada",
    "enrolado",
    "enrolada",
];

/// A diary's names, whose being full puts the reader off ("my calendar is full until").
const CALENDARS: &[&str] = &[
    "calendar",
    "schedule",
    "agenda",
    "diary",
    "kalender",
    "terminkalender",
    "calendrier",
    "planning",
    "calendario",
];

/// What may follow German "erst" and Dutch "pas" ("only") when they put a thing off to a
/// day: "erst nächste Woche", "erst ab Montag", "pas volgende week", "pas na de 15e".
const ONLY_THEN_NEXT: &[&str] = &[
    "ab",
    "am",
    "nach",
    "im",
    "in",
    "nachste",
    "nachsten",
    "kommende",
    "kommenden",
    "morgen",
    "ubermorgen",
    "zum",
    "anfang",
    "ende",
    "mitte",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "vanaf",
    "na",
    "op",
    "per",
    "volgende",
    "volgend",
    "over",
    "begin",
    "eind",
    "half",
    "medio",
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
];

/// Possessives and demonstratives after French "reprendre" that make it the taking over of
/// a thing ("ses dossiers", "votre demande", "ce sujet") rather than a return to work.
const TAKEN_OVER: &[&str] = &[
    "ses", "son", "sa", "leur", "leurs", "vos", "votre", "ton", "ta", "tes", "ce", "cet", "cette", "ces",
    "contact",
];

/// Past forms of reopening: "reopened", "rouvert", "reabriu", "reabierto", "riaperto".
const REOPENED: &[&str] = &[
    "reopened",
    "rouvert",
    "reouvert",
    "reabriu",
    "reabierto",
    "riaperto",
    "riaperta",
    "heropend",
];

/// Auxiliaries that put a past participle in the future ("will be reopened", "sera rouvert").
const FUTURE_AUXILIARIES: &[&str] = &[
    "will", "shall", "be", "sera", "seront", "sara", "saranno", "wird", "zal", "zullen", "serao",
];

/// Things taken over after French "je reprends le/la/les" ("le dossier", "la main", "les
/// sujets"); work itself ("le travail", "le 5") is a return.
const TAKEN_OVER_NOUNS: &[&str] = &[
    "dossier", "dossiers", "sujet", "sujets", "projet", "projets", "main", "suivi", "relais", "demande",
    "compte", "comptes", "affaire", "client", "clients",
];

/// Where the writer puts the reader off until a day: the first token of a negation
/// ("can't", "won't be able to", "ne ... pas", "no podré", "non riesco", "nicht") or of a
/// word of being busy ("tied up", "ausgebucht", "liado") with an "until" or "before" in
/// its clause, or German "erst" / Dutch "pas" before a time ("erst nächste Woche", "pas
/// volgende week"). The clause must be the writer's: a first-person word shortly before,
/// or no word at all ("Busy until Wednesday", "No podré hasta el lunes"); "Maria is busy
/// until Monday" is not.
fn deferrals(f: &Folded) -> Vec<usize> {
    let Some(anchors) = &*DEFERRAL_ANCHOR_RE else {
        return Vec::new();
    };
    // A clause ends at a stop, a comma or a paragraph; the dot of a German ordinal ("bis
    // zum 15. ausgebucht") does not end it.
    let stop = |k: usize| {
        let dot_of_number =
            f.is_punct(k, b'.') && k > 0 && f.is_num(k - 1) && !f.toks.get(k + 1).is_some_and(|t| t.para);
        f.toks
            .get(k)
            .is_some_and(|t| matches!(t.kind, Kind::Punct(b'.' | b'!' | b'?' | b';' | b',' | b':')))
            && !dot_of_number
    };
    let breaks = |k: usize| stop(k) || f.toks.get(k + 1).is_some_and(|t| t.para);
    let writers = |k: usize| {
        let mut words = 0;
        for j in (k.saturating_sub(6)..k).rev() {
            if breaks(j) {
                return words == 0;
            }
            if crate::dates::subject::first_person(f, j) {
                return true;
            }
            if f.is_a_word(j) {
                words += 1;
            }
        }
        k == 0 || (k < 6 && words == 0)
    };
    // Asked only of a "no", once.
    let lang = std::cell::OnceCell::new();
    let portuguese = || *lang.get_or_init(|| detect(f)) == Some(Lang::Pt);
    // The first token of a negation at `k`, if it is one.
    let negation = |k: usize| -> Option<usize> {
        if !f.is_a_word(k) || f.is_any(k + 1, &["wait", "waiting"]) {
            // "I can't wait until Monday": looking forward, not putting off.
            return None;
        }
        let word = f.word(k);
        if word == "t" && k >= 2 && f.is_punct(k - 1, b'\'') {
            // "can't", "won't", "don't": from the verb.
            return Some(k - 2);
        }
        if matches!(word, "cannot" | "cant" | "wont" | "unable") {
            return Some(k);
        }
        // Portuguese "no" is "in the" ("em visita a clientes no interior até o fim do mês").
        if word == "no" && portuguese() {
            return None;
        }
        // French "ne ... pas": from "ne".
        NEGATIONS.contains(&word).then(|| {
            (k.saturating_sub(3)..k)
                .find(|&j| f.is_any(j, &["ne", "n"]))
                .unwrap_or(k)
        })
    };
    // A word of being busy at `k`.
    let busy = |k: usize| -> Option<usize> {
        if !f.is_a_word(k) {
            return None;
        }
        let word = f.word(k);
        let busy = BUSY.contains(&word)
            || (word == "tied" && f.is_word(k + 1, "up"))
            // "heads down on a launch until the 18th", "heads-down until Friday"
            || (word == "heads" && (f.is_word(k + 1, "down") || f.is_punct(k + 1, b'-') && f.is_word(k + 2, "down")))
            || (word == "booked" && (f.is_any(k + 1, &["up", "solid", "out"]) || f.is_word(k.wrapping_sub(1), "fully")))
            // "my calendar is full until the 20th", "mon agenda est plein jusqu'au 20"
            || (matches!(word, "full" | "voll" | "plein" | "pleine" | "lleno" | "llena" | "pieno" | "piena" | "vol" | "cheio" | "cheia" | "lotada")
                && (k.saturating_sub(3)..k).any(|j| f.is_any(j, CALENDARS)));
        busy.then_some(k)
    };
    let mut found = Vec::new();
    for m in anchors.find_iter(&f.text) {
        let at = f.tok_at(m.start());
        let start =
            if f.is_any(at, &["erst", "pas"]) && (f.is_any(at + 1, ONLY_THEN_NEXT) || f.is_num(at + 1)) {
                Some(at)
            } else if f.is_any(at, UNTIL_WORDS) && !(f.is_word(at, "til") && f.is_word(at + 1, "stede")) {
                // Danish and Norwegian "til stede" is "present", no "until".
                // A negation or a busy word before the "until" in its clause, or a busy word after
                // it ("bis zum 15. ausgebucht").
                let before = (at.saturating_sub(DEFERRAL_REACH)..at)
                    .rev()
                    .take_while(|&j| !breaks(j))
                    .filter_map(|j| negation(j).or_else(|| busy(j)))
                    .last();
                before.or_else(|| {
                    (at + 1..=at + DEFERRAL_REACH)
                        .take_while(|&j| j < f.toks.len() && !breaks(j))
                        .find_map(busy)
                })
            } else {
                None
            };
        if let Some(start) = start {
            if writers(start) && !found.contains(&start) {
                found.push(start);
            }
        }
    }
    // "I can only reply from next week", "je ne pourrai répondre qu'à partir de lundi",
    // "potrò rispondere solo dalla settimana prossima", "sólo podré contestar desde el 12":
    // the writer's "only from a day", a deferral like "erst ab".
    for k in 0..f.toks.len() {
        let only = f.is_any(
            k,
            &[
                "only",
                "solo",
                "solamente",
                "seulement",
                "nur",
                "alleen",
                "apenas",
                "somente",
            ],
        ) || f.is_word(k, "qu") && (k.saturating_sub(6)..k).any(|j| f.is_any(j, &["ne", "n"]))
            // Portuguese "só" (folded "so") before the writer's verb: "só consigo responder"
            || f.is_word(k, "so")
                && f.is_any(k + 1, &["consigo", "posso", "poderei", "vou", "leio", "respondo", "volto", "retorno"]);
        if !only {
            continue;
        }
        // ... or only within a length ("só consigo responder dentro de duas semanas").
        let from = (k + 1..k + 5).take_while(|&j| !breaks(j)).find(|&j| {
            f.is_any(j, STARTS_FROM) && (j + 1..j + 5).any(|d| day_token(f, d))
                || f.is_any(
                    j,
                    &[
                        "within",
                        "innerhalb",
                        "binnen",
                        "entro",
                        "dentro",
                        "dans",
                        "in",
                        "en",
                        "em",
                    ],
                ) && (j + 1..j + 5).any(|d| {
                    f.toks
                        .get(d)
                        .is_some_and(|t| matches!(t.lex.unit, Unit::Day | Unit::Week | Unit::BusinessDay))
                })
        });
        // The writer's: a first person or the writer's "can" in the clause before.
        let mine = (k.saturating_sub(12)..k)
            .rev()
            .take_while(|&j| !breaks(j))
            .any(|j| {
                crate::dates::subject::first_person(f, j)
                    || f.is_any(j, WRITER_SUBJECTS)
                    || f.is_any(j, WRITER_CAN)
            });
        // Of answering, reading mail or being reached ("I can only deliver from Monday" is
        // a person's terms).
        let answering = (k.saturating_sub(6)..k + 4)
            .any(|j| f.is_a_word(j) && ANSWER_STEMS.iter().any(|stem| f.word(j).starts_with(stem)));
        if from.is_some() && answering && (mine || writers(k)) && !found.contains(&k) {
            found.push(k);
        }
    }
    found.sort_unstable();
    found
}

/// Token `k` is the writer's English "be": "I am", "we are", "I'm", "we're", "im", "I will
/// be", "I'll be". The other languages' verb forms carry their person.
pub(crate) fn english_first_person_be(f: &Folded, k: usize) -> bool {
    let subject = |j: usize| f.is_any(j, &["i", "we"]);
    match f.word(k) {
        "am" | "are" => subject(k.wrapping_sub(1)),
        "be" => {
            (f.is_word(k.wrapping_sub(1), "will") && subject(k.wrapping_sub(2)))
                || (f.is_word(k.wrapping_sub(1), "ll") && subject(k.wrapping_sub(3)))
        }
        "im" => true,
        "m" | "re" => f.is_punct(k.wrapping_sub(1), b'\'') && subject(k.wrapping_sub(2)),
        _ => false,
    }
}

/// The writer's "be" in the first person, before a place ("I'm in Japan", "je suis au
/// Japon", "estoy en Japón", "sono in Giappone", "ik ben in Japan", "estou no Japão").
const BE_FIRST_PERSON: &[&str] = &[
    "m", "re", "im", "am", "be", "are", "suis", "serai", "sommes", "serons", "ben", "zijn",
    // Dutch "ik zit in China" (I'm in China)
    "zit", "zitten",
];

/// The writer's "be" in Spanish, Italian and Portuguese ("estoy", "sono", "estou"), before a
/// place or "away" ("estoy fuera").
pub(crate) const ROMANCE_BE_FIRST_PERSON: &[&str] = &[
    "estoy",
    "estare",
    "estamos",
    "estaremos",
    "sono",
    "saro",
    "siamo",
    "saremo",
    "estou",
    "estarei",
    // "ando fuera unos días": Latin American "I'm going about", away
    "ando",
    "andamos",
];

/// Prepositions of being at a place ("in", "au", "en", "a", "no", "na", "em").
const AT_PLACE: &[&str] = &[
    "in", "at", "a", "au", "aux", "en", "no", "na", "em",
    // Italian "al mare", "alla baita", "nel Salento"
    "al", "alla", "allo", "ai", "nel", "nella",
];

/// Words after a place that give the stay an end or a length ("until", "jusqu'au", "hasta",
/// "fino", "tot", "até", "all week", "this week", "for two weeks").
const STAY_LINKS: &[&str] = &[
    "until", "till", "til", "through", "thru", "for", "all", "this", "next", "from", "between", "over",
    "jusqu", "jusque", "du", "cette", "pour", "pendant", "hasta", "desde", "del", "esta", "este", "toda",
    "todo", "durante", "fino", "dal", "per", "questa", "questo", "tutta", "tutto", "tot", "vanaf", "deze",
    "volgende", "ate", "de", "the", "today", "tomorrow",
    // "je suis en Chine les deux prochaines semaines", "estoy en México las próximas dos
    // semanas", "ik ben in Japan de komende weken"
    "les", "las", "los", "komende", "i", "gli", "as", "os", "toute", "tutta",
];

/// A first-person-plural proposal to talk, with its verb ("let's talk", "we can pick this up",
/// "podemos hablar", "parliamone", "vamos conversar", "reprenons contact", "vi hörs"): a
/// conversation the writer puts off when a day follows (see [`talk_later`]).
static TALK_LATER_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?x-u)\b(?:
        (?:let'?s|let\ us|we\ (?:can|could|should|might)|can\ we|could\ we|shall\ we|should\ we
          |happy\ to|glad\ to|i'?d\ (?:be\ happy|be\ glad|love|like)\ to|(?:would|will)\ be\ (?:happy|glad)\ to)
          \ (?:talk|chat|speak|connect|catch\ up|meet|meet\ up|get\ together|regroup|reconvene|sync|revisit|discuss|resume|continue
          |skype|zoom|facetime|call|(?:hop|jump)\ on\ a\ call
          |pick\ (?:this|it|things)\ (?:back\ )?up|look\ at\ (?:this|it)|(?:have|do|set\ up|schedule|book)\ a\ call)
        | (?:podemos|podriamos|vamos\ a|quedamos\ en)\ (?:hablar\w*|conversar\w*|retomar\w*|vernos|reunirnos|seguir\ hablando)
        | lo\ (?:hablamos|vemos|retomamos|miramos|charlamos)
        | (?:possiamo|potremmo|potremo)\ (?:parlar\w*|sentir\w*|vederci|aggiornar\w*|riprender\w*|discuter\w*|ridiscuter\w*)
        | parliamo(?:ne)? | riprendiamo\w* | vediamoci | ne\ parliamo
        | (?:vamos|podemos|poderiamos)\ (?:conversar|falar|retomar|marcar|nos\ falar|reunir|nos\ reunir)
        | falemos | conversemos | retomemos
        | (?:parlons|reparlons|discutons|rediscutons|echangeons|voyons)(?:-en|\ en|-nous|\ nous)?
        | reprenons\ contact | faisons\ le\ point | on\ fait\ le\ point | on\ s'appelle
        | (?:on|nous)\ (?:peut|pourra|pourrait|pouvons|pourrons|pourrions)\ (?:en\ |se\ |nous\ )?(?:parler|discuter|reparler|echanger|appeler|voir|rediscuter)
        | vi\ (?:hors|hores|horas|snakkes|tales\ ved|tar\ det|kan\ ta\ det|kan\ prata|kan\ tala|kan\ snakke|kan\ tale)
        )\b",
    )
    .ok()
});

/// The anchor of a verb-last proposal to talk, with the verb later in its clause: "lass uns
/// im Januar sprechen", "können wir nach Neujahr telefonieren", "laten we in januari bellen",
/// "probeer het volgend kwartaal nog eens". Group 1 is the anchor, which the cue covers, so
/// that the day between it and the verb stays free to be read.
///
/// A bytes regex, so that its ASCII word boundaries and its class of any byte but a clause's
/// end keep to the fast DFA (a `str` regex would need Unicode word boundaries for that class).
static TALK_LATER_LAST_RE: LazyLock<Option<regex::bytes::Regex>> = LazyLock::new(|| {
    regex::bytes::Regex::new(
        r"(?x-u)\b(
          (?:lass|lasst|lassen\ sie)\ uns | (?:konnen|konnten|sollten|wollen|wurden)\ wir | wir\ (?:konnen|konnten|sollten|wollen)
        | (?:laten|zullen|kunnen|moeten)\ we | we\ (?:kunnen|zullen|moeten) | probeer\ het | probeert\ u\ het
        )\b[^.!?;\n]{1,60}?\b(?:
          sprechen|reden|telefonieren|austauschen|unterhalten|treffen|fortsetzen|weitermachen|besprechen
        | aufgreifen|angehen|zusammensetzen|horen|abstimmen
        | praten|spreken|bellen|overleggen|bespreken|afspreken|oppakken|bijpraten|verder|nog\ eens
        | nog\ een\ keer|opnieuw|nogmaals
        )\b",
    )
    .ok()
});

/// Words between a proposal to talk and its day: "let's talk again next week", "let's skype
/// some time next week", "podemos hablar de nuevo en enero", "parlons-en plutôt en février".
const TALK_FILLERS: &[&str] = &[
    "again",
    "some",
    "time",
    "more",
    "further",
    "then",
    "properly",
    "this",
    "it",
    "that",
    "maybe",
    "perhaps",
    "de",
    "nuevo",
    "otra",
    "vez",
    "di",
    "ancora",
    "nouveau",
    "novo",
    "rather",
    "instead",
    "preferably",
    "plutot",
    "mejor",
    "meglio",
    "melhor",
];

/// Words that open a day after a proposal to talk: "let's talk next week", "after the
/// holidays", "hablemos en enero", "parlons-en après les fêtes", "ci sentiamo dopo le feste",
/// "vamos conversar depois do Natal". A topic ("let's discuss the Q2 plan", "happy to talk
/// about January") opens none.
const TALK_DAY_OPENERS: &[&str] = &[
    "next", "in", "after", "early", "mid", "late", "later", "sometime", "around", "towards", "toward",
    "once", "closer", "post", "on", "at", "during", "en", "el", "la", "a", "despues", "tras", "dentro",
    "hacia", "il", "dopo", "tra", "fra", "verso", "entro", "nel", "em", "no", "na", "depois", "apos",
    "daqui", "le", "apres", "dans", "debut", "mi", "fin", "au", "des", "vers", "courant", "i", "efter", "om",
    "till", "etter", "til", "nasta", "neste", "naeste",
];

/// A single day opens at token `k`, after an optional preposition or article: "on Friday",
/// "tomorrow", "on June 15", "op 15 juni", "am Dienstag". Proposed to the reader for a talk,
/// that is an appointment being made, a person's answer for the rep; a stretch ("next
/// week", "in January", "after New Year") puts the talk off.
fn names_a_day(f: &Folded, k: usize) -> bool {
    let k = if f.is_any(k, DAY_ARTICLES) { k + 1 } else { k };
    let lex = f.toks.get(k).map(|t| t.lex).unwrap_or_default();
    lex.weekday != 0
        || lex.rel_day.is_some()
        || f.is_num(k)
        || (lex.month != 0 && f.is_num(k + 1))
        || (f.is_any(k, &["the", "le", "el", "il"]) && f.is_num(k + 1))
}

/// Prepositions and articles before a single day: "on", "am", "op", "le", "el", "il", "no",
/// "na", "a", "au", "den", "dem", "de".
const DAY_ARTICLES: &[&str] = &[
    "on", "am", "op", "le", "el", "il", "no", "na", "a", "au", "den", "dem", "de", "lo", "this", "coming",
];

/// Tokens of the first-person-plural proposals to talk that are followed by a day
/// ("let's talk next week", "hablemos en enero", "lass uns im Januar sprechen"): a talk the
/// writer puts off, which asks to be contacted then. Whether the day is one of the coming
/// week proposed to the reader, an appointment for the rep, is for the caller to judge.
fn talk_later(f: &Folded) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    if let Some(re) = &*TALK_LATER_RE {
        for m in re.find_iter(&f.text) {
            let start = f.tok_at(m.start());
            let end = f.tok_at(m.end()).max(start + 1);
            let mut next = end;
            while next < end + 3 && f.is_any(next, TALK_FILLERS) {
                next += 1;
            }
            let lex = f.toks.get(next).map(|t| t.lex).unwrap_or_default();
            let period = lex.month_full || lex.next || lex.quarter;
            // "Busy right now, let's talk Thursday": a day, too, when the writer cannot
            // take it now; the talk is put off until then.
            let day = names_a_day(f, next);
            if (period || f.is_any(next, TALK_DAY_OPENERS)) && !day
                || day && crate::dates::away::unable_now_in(f)
            {
                found.push((start, end));
            }
        }
    }
    if let Some(re) = &*TALK_LATER_LAST_RE {
        for caps in re.captures_iter(f.text.as_bytes()) {
            let (Some(whole), Some(anchor)) = (caps.get(0), caps.get(1)) else {
                continue;
            };
            let start = f.tok_at(anchor.start());
            let end = f.tok_at(anchor.end()).max(start + 1);
            // "lass uns über das Budget 2027 sprechen": a topic, not a day.
            let topic =
                (end..f.tok_at(whole.end())).any(|k| f.is_any(k, &["uber", "ueber", "over", "about"]));
            if !topic && !names_a_day(f, end) {
                found.push((start, end));
            }
        }
    }
    found
}

/// The prepositions of a length after a verb of setting off ("for", "pour", "per", "por",
/// "para", "voor", "für", "på", "na"), see [`leaving_for_a_length`].
const LENGTH_PREPOSITIONS: &[&str] = &["for", "pour", "per", "por", "para", "voor", "fur", "pa", "na"];

/// "I'm leaving tonight for three weeks", "je pars ce soir pour trois semaines", "parto
/// domani per due settimane": a verb of setting off with a length a few words after it says
/// the writer is away that long, though no word of absence is said. The verb is the cue; the
/// length is read as a date expression from it.
fn leaving_for_a_length(f: &Folded) -> Vec<(usize, usize)> {
    // From the units of time, which the lexicon marks (cheap), back to the preposition and
    // the verb: most replies hold few units and no verb of setting off.
    let mut found: Vec<(usize, usize)> = Vec::new();
    for (u, tok) in f.toks.iter().enumerate() {
        if !matches!(tok.lex.unit, Unit::Day | Unit::Week | Unit::Month) {
            continue;
        }
        // "Je pars deux semaines en Thaïlande", "parto una settimana", "me voy unos días": the
        // length right after the verb, with no preposition.
        for k in u.saturating_sub(3)..u {
            // Not a time point ("leaving two weeks from now", "two weeks later").
            let point = f.is_any(
                u + 1,
                &[
                    "from", "ago", "later", "hence", "after", "before", "plus", "apres", "despues", "dopo",
                    "depois",
                ],
            );
            let counted =
                !point && (k + 1..u).all(|j| f.is_num(j) || f.toks[j].lex.number > 0 || f.is_any(j, FEW));
            if counted && k + 1 < u && leaving_verb(f, k).is_some() && !found.contains(&(k, k + 1)) {
                found.push((k, k + 1));
            }
        }
        for p in u.saturating_sub(3)..u {
            if !f.is_any(p, LENGTH_PREPOSITIONS) {
                continue;
            }
            for k in p.saturating_sub(6)..p {
                if leaving_verb(f, k).is_some() && !found.contains(&(k, k + 1)) {
                    found.push((k, k + 1));
                }
            }
        }
    }
    found
}

/// "A few", "some" and the indefinite articles before a unit of time ("quelques jours",
/// "unos días", "qualche giorno", "alguns dias", "une semaine").
const FEW: &[&str] = &[
    "a", "few", "couple", "quelques", "une", "un", "unos", "unas", "una", "uno", "qualche", "alguns",
    "algumas", "uma", "um", "een", "paar", "ein", "eine", "einen", "einige",
];

/// "I'm in Japan until the 12th", "je suis à Lisbonne jusqu'au 12", "estoy en Japón hasta el
/// 12", "sono a Berlino fino al 12", "ik ben in Japan tot de 12e", "estou no Japão até dia
/// 12": the writer staying at a named place (a capitalised word after the preposition) for
/// a stretch is away from their desk. The tokens of the preposition and the place. Not
/// German, whose nouns all take a capital ("ich bin in Besprechungen bis 15 Uhr").
fn away_at_a_place(f: &Folded) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for k in 0..f.toks.len() {
        // "In Jakarta the next 3 days for a site audit": a note with no subject, the place
        // opening it.
        let opens = k == 0
            || f.toks.get(k).is_some_and(|t| t.para)
            || f.is_punct(k - 1, b'.')
            || f.is_punct(k - 1, b'!');
        if f.is_word(k, "in") && opens {
            if let Some(end) = place_then_stay(f, k + 1) {
                found.push((k, end));
            }
            continue;
        }
        if let Some(at) = until_then_place(f, k) {
            found.push((at, at + 2));
            continue;
        }
        if !(f.is_any(k, BE_FIRST_PERSON) || f.is_any(k, ROMANCE_BE_FIRST_PERSON)) {
            continue;
        }
        if !f.is_any(k + 1, AT_PLACE) {
            // "ik zit de komende twee weken in China", "je suis toute la semaine à Lisbonne",
            // "estoy las próximas dos semanas en México": the stretch before the place.
            if let Some(at) = stretch_then_place(f, k + 1) {
                if !f.is_any(k, &["m", "re", "im", "am", "be", "are"]) || english_first_person_be(f, k) {
                    found.push((at, at + 2));
                }
            }
            continue;
        }
        // "I am", "I'm" ("i ' m"), "we are", "we're", "I'll be", "I will be": the English
        // forms need their subject; the others carry it.
        if f.is_any(k, &["m", "re", "im", "am", "be", "are"]) && !english_first_person_be(f, k) {
            continue;
        }
        if let Some(end) = place_then_stay(f, k + 2) {
            found.push((k + 1, end));
        }
    }
    found
}

/// "bin bis Dienstag im Zillertal", "ik zit tot vrijdag in Gent", "je suis jusqu'à mardi à
/// Lyon", "estoy hasta el martes en Madrid": the writer's "be" at token `k`, "until" and a day,
/// then (a few words on, in the same clause: "bis Dienstag beim Kunden in München") a
/// preposition and a named place. German takes part here, its nouns capitalised like places,
/// because "until a day" makes the stay a stretch; the places of work it would be there
/// anyway ("bis Freitag im Büro") are not stays. The preposition's token.
fn until_then_place(f: &Folded, k: usize) -> Option<usize> {
    // Asked of every token: the "until" one or two words on is the rare part, looked for
    // first (by its first letter, then the word), before the verb lists.
    let until_at = |j: usize| {
        f.toks.get(j).is_some_and(|t| t.kind == Kind::Word)
            && matches!(
                f.word(j).as_bytes().first(),
                Some(b'u' | b't' | b'b' | b'j' | b'h' | b'f' | b'a')
            )
            && f.is_any(j, UNTIL_ONLY)
    };
    // "bin bis", "bin ich bis", "sind wir bis": the subject may follow the verb.
    let until = if until_at(k + 1) {
        k + 1
    } else if f.is_any(k + 1, &["ich", "wir"]) && until_at(k + 2) {
        k + 2
    } else {
        return None;
    };
    let be = f.is_any(k, BE_FIRST_PERSON)
        || f.is_any(k, ROMANCE_BE_FIRST_PERSON)
        || f.is_word(k, "bin")
        || (f.is_word(k, "sind") && f.is_word(k.wrapping_sub(1), "wir"));
    if !be || (f.is_any(k, &["m", "re", "im", "am", "be", "are"]) && !english_first_person_be(f, k)) {
        return None;
    }
    let mut dated = false;
    for j in until + 1..until + 9 {
        let tok = f.toks.get(j)?;
        match tok.kind {
            Kind::Num => dated = true,
            Kind::Punct(b'.' | b'/' | b'-' | b'\'')
                if f.is_num(j.wrapping_sub(1)) || f.is_punct(j, b'\'') => {}
            Kind::Punct(_) => return None,
            Kind::Word => {
                let lex = tok.lex;
                if dated && f.is_any(j, AT_PLACE_UNTIL) && place_word(f, j + 1) {
                    return (!f.is_any(j + 1, PLACES_OF_WORK)).then_some(j);
                } else if lex.weekday > 0
                    || lex.month > 0
                    || lex.rel_day.is_some()
                    || lex.next
                    || lex.number > 0
                {
                    dated = true;
                } else if f.is_any(j, NOT_THERE_WORDS) || f.is_any(j, PLACES_OF_WORK) {
                    return None;
                }
            }
        }
    }
    None
}

/// Prepositions of a stay after "until a day" ("bis Dienstag in Hamburg", "im Zillertal",
/// "auf Mallorca", "am Gardasee"; the others' as [`AT_PLACE`]).
const AT_PLACE_UNTIL: &[&str] = &[
    "in", "at", "a", "au", "aux", "en", "no", "na", "em", "al", "alla", "nel", "nella", "im", "auf", "am",
];

/// Negations that turn a stay into its opposite ("bis Dienstag nicht in Hamburg").
const NOT_THERE_WORDS: &[&str] = &["not", "nicht", "niet", "pas", "no", "non", "nao", "kein", "keine"];

/// Where the writer works: being there until a day is being at work ("bis Freitag im Büro",
/// "until Friday at the office").
const PLACES_OF_WORK: &[&str] = &[
    "buro",
    "buero",
    "office",
    "homeoffice",
    "home",
    "haus",
    "hause",
    "firma",
    "betrieb",
    "geschaft",
    "laden",
    "kantoor",
    "bureau",
    "oficina",
    "ufficio",
    "escritorio",
    "werk",
    "praxis",
];

/// A stretch of time from token `k` ("de komende twee weken", "the next few days", "toute la
/// semaine", "las próximas dos semanas": articles, numbers, "next" and "this" words, at least
/// one unit of time) and then a preposition and a capitalised place: the preposition's token.
fn stretch_then_place(f: &Folded, k: usize) -> Option<usize> {
    let mut unit = false;
    for j in k..k + 7 {
        let tok = f.toks.get(j)?;
        if unit && f.is_any(j, AT_PLACE) && place_word(f, j + 1) {
            return Some(j);
        }
        let lex = tok.lex;
        if lex.unit != crate::dates::lexicon::Unit::None && tok.kind == Kind::Word {
            unit = true;
        } else if !(lex.next || lex.number > 0 || tok.kind == Kind::Num || f.is_any(j, STRETCH_WORDS)) {
            return None;
        }
    }
    None
}

/// Words of a stretch of time before its unit, besides numbers and "next" words: articles,
/// "this", "whole", "few" ("the next few days", "toute la semaine", "deze hele week").
const STRETCH_WORDS: &[&str] = &[
    "the",
    "this",
    "few",
    "whole",
    "entire",
    "all",
    "de",
    "deze",
    "hele",
    "la",
    "les",
    "las",
    "los",
    "el",
    "toute",
    "tout",
    "toda",
    "todo",
    "esta",
    "este",
    "estas",
    "estos",
    "cette",
    "ces",
    "questa",
    "queste",
    "tutta",
    "tutto",
    "le",
    "i",
    "gli",
    "il",
    "prossimi",
    "prossime",
    "a",
    "as",
    "os",
    "essa",
    "esta",
    "proximas",
    "proximos",
    "prochaines",
    "prochains",
];

/// A capitalised place of one to three words from token `place`, then a word of a stretch of
/// time ("Jakarta the next 3 days", "Japón hasta el 12"): the token after the place.
fn place_then_stay(f: &Folded, place: usize) -> Option<usize> {
    // "I'm in the province for Undas until the 3rd", "estoy en el campo hasta el lunes", "sono
    // in montagna fino a": a place away from town named with a common noun, after its article
    // or none.
    let article = usize::from(f.is_any(place, STAY_ARTICLES));
    if f.is_any(place + article, AWAY_PLACES) && f.is_any(place + article + 1, STAY_LINKS) {
        return Some(place + article + 1);
    }
    // "I'm in the Alps until", "estoy en la Patagonia hasta".
    let place = place + article;
    let mut end = place;
    while end < place + 3 && place_word(f, end) {
        end += 1;
    }
    (end > place && f.is_any(end, STAY_LINKS)).then_some(end)
}

/// Token `k` may be a word of a place's name: capitalised, no month or weekday.
fn place_word(f: &Folded, k: usize) -> bool {
    f.toks
        .get(k)
        .is_some_and(|t| t.kind == Kind::Word && t.upper && t.lex.month == 0 && t.lex.weekday == 0)
}

/// Articles between the preposition of a stay and its place ("in the", "en el", "à la", "in
/// de"; Portuguese "no" holds its own).
const STAY_ARTICLES: &[&str] = &["the", "la", "le", "el", "los", "las", "les", "il", "de", "het"];

/// Places away from town and desk named by a common noun: staying there until a day is an
/// absence as a named place is ("in the mountains", "à la campagne", "en el campo", "in
/// montagna", "no interior", "in het buitenland").
const AWAY_PLACES: &[&str] = &[
    "province",
    "provinces",
    "countryside",
    "mountains",
    "hills",
    "village",
    "bush",
    "outback",
    "desert",
    "woods",
    "wilderness",
    "jungle",
    "backcountry",
    "hospital",
    "tropics",
    "highlands",
    "islands",
    "boonies",
    "campagne",
    "montagne",
    "montagnes",
    "mer",
    "brousse",
    "campo",
    "montana",
    "montanas",
    "playa",
    "pueblo",
    "sierra",
    "provincia",
    "montagna",
    "campagna",
    "mare",
    "ospedale",
    "collina",
    "interior",
    "praia",
    "roca",
    "serra",
    "fazenda",
    "sitio",
    "bergen",
    "buitenland",
    "ziekenhuis",
    "hospitaal",
];

/// Prepositions of coming back from something ("from", "aus", "vom", "de", "dalle", "van").
const FROM_WORDS: &[&str] = &[
    "from", "aus", "vom", "von", "de", "des", "du", "dalle", "dalla", "dal", "dai", "da", "van", "das", "do",
    "del",
];

/// Where the return cue stands that an absence cue is what the writer comes back from.
enum From {
    /// Before it, at this index of the cues: "back from my annual leave", "de retour de
    /// congés", "terug van vakantie".
    Before(usize),
    /// Right after it: "aus dem Urlaub zurück".
    After,
}

/// Whether the absence cue `c` is what a return cue comes back from: a return cue, a "from"
/// word and at most three words (an article, "annual", "two weeks of") before it, or a
/// "from" word before it and the return cue right after it.
fn returned_from(f: &Folded, c: &Cue, cues: &[Cue]) -> Option<From> {
    let from_at = (1..=4)
        .filter_map(|gap| c.start.checked_sub(gap))
        .find(|&from| f.is_any(from, FROM_WORDS) && (from + 1..c.start).all(|k| f.is_a_word(k)))?;
    let returns = || cues.iter().enumerate().filter(|(_, r)| r.kind == CueKind::Return);
    if let Some((r, _)) =
        returns().find(|(_, r)| r.end == from_at || r.end + 1 == from_at && f.is_a_word(r.end))
    {
        return Some(From::Before(r));
    }
    // Not across a comma: "tô de atestado, volto em breve" is away, then back.
    returns()
        .any(|(_, r)| r.start >= c.end && r.start <= c.end + 1 && (c.end..r.start).all(|k| f.is_a_word(k)))
        .then_some(From::After)
}

/// Absence words that also say a thing (or someone else) is on its way.
const ON_THE_WAY: &[&str] = &[
    "unterwegs",
    "onderweg",
    "on the road",
    "sur la route",
    "in giro",
    "na estrada",
    "auf achse",
    "auf tour",
    "de gira",
    "en la carretera",
    "en vadrouille",
    "en tournee",
    "op pad",
];

/// The third person's "is" and "are", before [`ON_THE_WAY`] (not with [`WE`]: "wir sind
/// unterwegs" is the writer's team).
const THIRD_PERSON_BE: &[&str] = &[
    "is", "are", "ist", "sind", "zijn", "est", "sont", "e", "esta", "estan", "estao",
];

/// "We", whose "are" is the writer's own (also the subject of a closure, see
/// `away::we_are_closed`).
pub(crate) const WE: &[&str] = &["we", "wir", "wij", "nous", "noi", "nosotros", "nos"];

/// Invitations, before an event named as an absence word (see [`find`]).
const INVITATIONS: &[&str] = &[
    "invitation",
    "invited",
    "invites",
    // "Srdečně Vás zveme na konferenci", "zapraszamy na konferencję", "nous vous invitons au
    // colloque", "le invitamos al congreso", "vi invitiamo al convegno", "convidamos para"
    "zveme",
    "zapraszamy",
    "invitons",
    "invitamos",
    "invitiamo",
    "convidamos",
    "einladung",
    "invito",
    "invitacion",
    "uitnodiging",
    "convite",
    "zaproszenie",
    "pozvanka",
    "inbjudan",
    "invitasjon",
    "kutsu",
    "davet",
];

/// The marks of a travel ticket or booking (see [`find`]): its seat, coach or car, its
/// booking reference, the ticket named.
static TICKET_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?x-u)\b(?:
        e-?ticket | your\ ticket | booking\ (?:reference|ref|number) | seat\ \d+ | coach\ [a-z]\b | car\ \d+
        | votre\ (?:billet|reservation) | reference\ dossier | voiture\ \d+ | place\ \d+
        | (?:tu|su)\ billete | localizador | coche\ \d+ | plaza\ \d+ | asiento\ \d+
        | biglietto | carrozza\ \d+ | posto\ \d+ | bilhete | carruagem\ \d+ | lugar\ \d+
        | fahrkarte | ihr\ ticket | sitzplatz\ \d+ | wagen\ \d+ | buchungsnummer
        | uw\ ticket | zitplaats\ \d+ | rijtuig\ \d+
        | billetten | sete\ \d+ | vogn\ \d+ | biljett | plats\ \d+ | vagn\ \d+ | bokningsnummer
        )\b",
    )
    .ok()
});

/// The stems of events one is invited to (see [`INVITATIONS`]).
const EVENT_STEMS: &[&str] = &[
    "konferen",
    "conferen",
    "kongres",
    "congres",
    "messe",
    "fair",
    "summit",
    "seminar",
    "webinar",
    "salon",
    "feria",
    "fiera",
    "feira",
    "beurs",
    "targ",
    "veletrh",
    "expo",
    "convegno",
    "colloque",
    "tagung",
    "symposi",
    "workshop",
    "schulung",
    "formation",
    "formazione",
    "szkoleni",
    "skoleni",
];

/// Words before an absence word that make it a public holiday or a wish to the reader.
const NOT_AWAY_BEFORE: &[&str] = &[
    // "flat out this week": very busy, at work
    "flat",
    // "prendere in giro": to tease, not to be on the road
    "prendere",
    "prendi",
    "prendo",
    "presa",
    "preso",
    // "jour férié": a public holiday
    "jour",
    "national",
    "public",
    "bank",
    "federal",
    "legal",
    "official",
    "statutory",
    "happy",
    "merry",
    "enjoy",
    "nice",
    "good",
    "great",
    "wonderful",
    "lovely",
    "relaxing",
    "your",
    "frohe",
    "schone",
    "schoene",
    "erholsame",
    "gesetzlicher",
    "bonnes",
    "bonne",
    "joyeuses",
    "felices",
    "buone",
    "buon",
    // "¡Buen viaje!", "Gute Reise", "goede reis", "bon voyage", "trevlig resa", "miłego
    // urlopu": a wish to the reader
    "buen",
    "buena",
    "buenas",
    "gute",
    "guten",
    "goede",
    "bon",
    "trevlig",
    "trevliga",
    "milego",
    "udanego",
    "fijne",
    "prettige",
    "boas",
    "boa",
    "felizes",
    "wesolych",
    "glad",
    "god",
    "hyvaa",
    "prijemnou",
    "iyi",
];

/// Nouns right after an absence word that make it a schedule, a form or a count rather than
/// somebody away ("holiday rota", "leave request", "vacation policy").
const SCHEDULE_AFTER: &[&str] = &[
    "rota",
    "rotas",
    "roster",
    "schedule",
    "schedules",
    "calendar",
    "plan",
    "plans",
    "planning",
    "planner",
    "overview",
    "list",
    "tracker",
    "policy",
    "request",
    "requests",
    "balance",
    "allowance",
    "entitlement",
    "form",
    "approval",
    "booking",
    "bookings",
    "sheet",
    "spreadsheet",
    "table",
    "cover",
    "coverage",
];

/// Nouns before an absence word (and a "of" word) that make it a schedule ("planning des
/// congés", "calendario de vacaciones", "piano ferie", "rooster van de vakanties").
const SCHEDULE_BEFORE: &[&str] = &[
    "planning",
    "calendrier",
    "calendario",
    "piano",
    "plan",
    "rooster",
    "overzicht",
    "tabla",
    "cuadro",
    "escala",
    "quadro",
    "mapa",
    "liste",
    "lista",
    "demande",
    "solicitud",
    "richiesta",
    "pedido",
    "aanvraag",
    "antrag",
    "schedule",
    "rota",
    "roster",
    "tableau",
    "tabela",
    "tabella",
    "schema",
    "turni",
];

/// Endings of a German compound on an absence word that make it a schedule or a form
/// ("Urlaubsplan", "Urlaubsliste", "Urlaubsantrag", "Urlaubsvertretung").
const SCHEDULE_ENDINGS: &[&str] = &[
    "plan",
    "planung",
    "liste",
    "antrag",
    "antrage",
    "anspruch",
    "kalender",
    "ubersicht",
    "regelung",
    "vertretung",
];

/// Whether the absence cue from token `start` to `end` names a schedule of absences, a form
/// or a count ("holiday rota", "planning des congés", "Urlaubsplan"), not somebody away.
fn schedule(f: &Folded, start: usize, end: usize) -> bool {
    if f.is_any(end, SCHEDULE_AFTER) {
        return true;
    }
    let before = start.wrapping_sub(1);
    let of = matches!(
        f.word(before),
        "des"
            | "de"
            | "del"
            | "delle"
            | "dei"
            | "di"
            | "van"
            | "da"
            | "das"
            | "do"
            | "dos"
            | "der"
            | "of"
            | "for"
    );
    if f.is_any(before, SCHEDULE_BEFORE) || of && f.is_any(before.wrapping_sub(1), SCHEDULE_BEFORE) {
        return true;
    }
    end == start + 1 && {
        let word = f.word(start);
        ["urlaub", "ferien", "abwesenheit"].iter().any(|stem| {
            word.find(stem)
                .map(|at| &word[at + stem.len()..])
                .is_some_and(|rest| {
                    SCHEDULE_ENDINGS
                        .iter()
                        .any(|e| rest.trim_start_matches('s') == *e)
                })
        })
    }
}

const UNDATED_RETURN: &[&str] = &[
    "when", "once", "upon", "my", "wenn", "sobald", "meiner", "meinem", "meine", "quand", "lorsque", "mon",
    "cuando", "mi", "quando", "mio", "zodra", "wanneer", "mijn", "meu", "minha", "seu", "sua", "po", "moim",
    "mym", "gdy", "kiedy", "nar", "naar", "min", "kun", "az", "mem", "jakmile",
    // "al rientro", "al regreso", "au retour", "ao regressar", "bij terugkomst": upon return.
    "al", "au", "ao", "bij",
    // "en cuanto regrese", "apenas vuelva", "dès que je rentre", "assim que eu voltar": as
    // soon as.
    "cuanto", "apenas", "des",
    // Someone else's return ("al suo rientro", "after his return", "à son retour") is no day
    // of the writer's either.
    "his", "her", "their", "suo", "sua", "loro", "sein", "seiner", "seinem", "ihrer", "ihrem", "son", "sa",
    "leur", "su", "sus", "zijn", "haar", "hun",
];

/// Words right after a return cue that say the return has happened ("back now", "wieder
/// da", "de retour maintenant"): no date ahead is its day.
pub(crate) const RETURNED_NOW: &[&str] = &[
    "now",
    "already",
    "jetzt",
    "schon",
    "maintenant",
    "deja",
    "ya",
    "ora",
    "gia",
    "nu",
    "agora",
    "ja",
];

/// Words right after a return noun that make it the subject of a sentence naming its day
/// (a copula, "date"), rather than "upon my return".
const RETURN_NAMED_BY: &[&str] = &[
    "is", "will", "est", "sera", "ist", "wird", "esta", "estara", "sara", "zal", "date", "day", "datum",
    "fecha", "data", "dia", "giorno", "jour", "tag", "dag",
];

/// Past participles of planning that, within two words after a return noun, give it its
/// day ("retour prévu le", "regreso previsto para", "rientro è previsto").
const PLANNED: &[&str] = &[
    "planned",
    "scheduled",
    "expected",
    "prevu",
    "prevue",
    "previsto",
    "prevista",
    "geplant",
    "gepland",
    "voorzien",
    "programado",
    "programada",
    "programmato",
    "programmata",
    "fissato",
    "fissata",
];

/// A return cue right after "when I'm", "upon my", "à mon", "nach meiner", "al suo" ...
/// within its clause, or one that has already happened ("back now").
fn undated_return(f: &Folded, i: usize, end: usize) -> bool {
    // "Mon retour est prévu le 10 juin", "my return date is June 10", "il mio rientro è
    // previsto per il 10": the return is the subject of a sentence that names its day.
    let named = f.is_any(end, RETURN_NAMED_BY) || (end..end + 2).any(|k| f.is_any(k, PLANNED));
    !named && undated_opener(f, i).is_some() || f.is_any(end, RETURNED_NOW)
}

/// The undated return cue `cue` is the writer's return still to come ("I'll reply when I'm
/// back", "nach meiner Rückkehr", "cuando vuelva"): it says the writer is away now, as an
/// absence cue does. Someone else's return ("when he is back", "à son retour") and one that
/// has happened ("back now") are not. Returns the word that opens it ("when", "wenn"): a date
/// between the two is the return's own, in languages that put the verb last ("wenn ich am
/// Montag zurück bin").
pub fn writers_return_opener(f: &Folded, cue: &Cue) -> Option<usize> {
    const OTHERS: &[&str] = &[
        "he", "she", "they", "his", "her", "their", "er", "sie", "sein", "seiner", "seinem", "ihrer",
        "ihrem", "il", "elle", "ils", "elles", "son", "sa", "leur", "lui", "lei", "suo", "sua", "loro", "su",
        "sus", "hij", "zij", "ze", "zijn", "haar", "hun", "ele", "ela", "eles", "elas",
    ];
    if cue.kind != CueKind::Return || !cue.undated || f.is_any(cue.end, RETURNED_NOW) {
        return None;
    }
    undated_opener(f, cue.start).filter(|&opener| !(opener..cue.start).any(|k| f.is_any(k, OTHERS)))
}

/// The word that makes a return cue at token `i` undated ("when" of "when I'm back", "my"
/// of "upon my return"), within the four words before it and its clause.
fn undated_opener(f: &Folded, i: usize) -> Option<usize> {
    (i.saturating_sub(4)..i)
        .rev()
        .take_while(|&k| !b",.;:!?".iter().any(|&c| f.is_punct(k, c)))
        // "12/7(月)より通常営業": a weekday in brackets (月 folds to "mon") is no French "my".
        // Spanish "a la vuelta", "a la reincorporación": upon return, as "al regreso".
        .filter(|&k| {
            // Dutch "zijn" beside "we" is "are" ("maandag zijn we terug"), not "his".
            let dutch_are = f.is_word(k, "zijn")
                && (f.is_any(k + 1, &["we", "wij", "jullie", "ze"])
                    || f.is_any(k.wrapping_sub(1), &["we", "wij"]));
            (f.is_any(k, UNDATED_RETURN) && !dutch_are
                || (f.is_word(k, "la") && f.is_word(k.wrapping_sub(1), "a") && k + 1 == i))
                && !(f.is_punct(k.wrapping_sub(1), b'(') && f.is_punct(k + 1, b')'))
        })
        .last()
}

/// Openers of the writer's own return named as a noun ("my return", "à mon retour", "al
/// rientro", "a la vuelta", "nach meiner Rückkehr", "bij terugkomst"): unlike "when ... back",
/// they cannot be the reader's ("when you're back", "cuando vuelvas").
const OWN_RETURN_OPENERS: &[&str] = &[
    "my", "upon", "mon", "ma", "mi", "mio", "mia", "meiner", "meinem", "meine", "mijn", "meu", "minha",
    "moim", "mym", "min", "al", "au", "ao", "bij", "la",
];

/// First-person subjects that make a "when ... back" the writer's ("when I'm back", "wenn ich
/// zurück bin", "quand je reviens", "cuando yo vuelva", "als ik terug ben").
const FIRST_PERSON_SUBJECTS: &[&str] = &[
    "i", "ich", "je", "j", "ik", "eu", "io", "yo", "jag", "jeg", "ja", "we", "wir", "nous",
];

/// The undated return cue `cue` says the writer will come back (so is away now), and not
/// possibly the reader: its opener is a noun's ("my return", "al rientro", "a la vuelta") or
/// a first-person subject stands between the opener and the cue ("when I'm back"). Returns
/// the opener's token.
pub fn writers_coming_back(f: &Folded, cue: &Cue) -> Option<usize> {
    // "my return", "al rientro": the noun's opener right before it ("Ao que parece voltámos"
    // has "ao" farther back, opening something else). Coming back from something that is no
    // absence ("back from lunch", "au retour d'Anne", "al rientro di Marco") says nothing of
    // the writer being away.
    let from = f.is_any(
        cue.end,
        &[
            "from", "de", "d", "di", "dal", "dalla", "dalle", "von", "van", "da", "do", "del", "of",
        ],
    );
    let from_absence = (cue.end + 1..cue.end + 4)
        .take_while(|&k| f.is_a_word(k) || f.is_punct(k, b'\''))
        .any(|k| absence_or_return_word(f.word(k)));
    if from && !from_absence {
        return None;
    }
    writers_return_opener(f, cue).filter(|&opener| {
        f.is_any(cue.start.wrapping_sub(1), OWN_RETURN_OPENERS)
            || (opener..cue.start).any(|k| f.is_any(k, FIRST_PERSON_SUBJECTS))
    })
}

/// Turkish negates after the word: "ofiste değilim" (I am not in the office).
fn negated_after(f: &Folded, end: usize) -> bool {
    f.toks.get(end).is_some_and(|t| t.kind == Kind::Word) && f.word(end).starts_with("degil")
}

/// A negation in the three words before token `i` within its clause ("not back", "nicht
/// mehr erreichbar", "won't be back", "pas disponible").
fn negated(f: &Folded, i: usize) -> bool {
    // "Ahora mismo no estoy, vuelvo el 9": a negation of the clause before is not this one's.
    let clause = (i.saturating_sub(3)..i)
        .rev()
        .find(|&k| {
            matches!(
                f.toks.get(k).map(|t| t.kind),
                Some(Kind::Punct(b',' | b';' | b'.' | b'!' | b'?'))
            )
        })
        .map_or(i.saturating_sub(3), |k| k + 1);
    (clause..i).any(|k| {
        // Dutch "pas weer", "pas vanaf": "only (from)", not French "pas".
        let dutch_pas = f.is_word(k, "pas")
            && f.is_any(k + 1, &["weer", "vanaf", "op", "na", "per", "morgen", "volgende"]);
        // Portuguese "no" is "in the" before a noun: "no horário habitual", "no escritório".
        // ... and "on the" before a day: "me manda um email no dia 8".
        let portuguese_in = f.is_word(k, "no")
            && (k + 1 == i && f.is_any(i, PORTUGUESE_NOUN_CUES)
                || f.is_word(k + 1, "dia")
                || day_token(f, k + 1));
        // French "ne ... que" is "only": "je ne serai de retour qu'à partir du 20", "je ne
        // reprends que lundi" say when, not that the writer is not back.
        let french_only = french_only(f, k, i, 5);
        (f.is_any(k, NEGATIONS) && !dutch_pas && !portuguese_in && !french_only)
            || (f.is_word(k, "t") && k > 0 && f.is_punct(k - 1, b'\''))
            || f.is_word(k, "nt")
    })
}

/// French "ne" at `k` with "que" within `reach` tokens of the cue at `at` is "only", no
/// negation: "je ne serai de retour qu'à partir du 20", "je ne rentre que lundi".
pub(crate) fn french_only(f: &Folded, k: usize, at: usize, reach: usize) -> bool {
    f.is_any(k, &["ne", "n"]) && (at..at + reach).any(|j| f.is_any(j, &["qu", "que"]))
}

/// Return cues that are Portuguese nouns, after which "no" is "in the", not "not".
const PORTUGUESE_NOUN_CUES: &[&str] = &["horario", "escritorio", "atendimento", "expediente", "regime"];

/// A negation in the three words after token `end`, within the clause ("arbeite montags
/// nicht", "werk ik niet", "ne travaille pas").
fn negation_after(f: &Folded, end: usize) -> bool {
    (end..end + 3)
        .take_while(|&k| f.is_a_word(k))
        // Portuguese "no" before a day is "on the": "volto ao trabalho no dia 4".
        .any(|k| {
            f.is_any(k, NEGATIONS)
                && !(f.is_word(k, "no") && (f.is_word(k + 1, "dia") || day_token(f, k + 1)))
        })
}

/// Events a reply puts a day to, after which the writer can act: meetings, and the fairs of
/// [`EVENTS`] ("after our board meeting on the 28th", "nach der Sitzung am 12.", "après la
/// réunion du 12", "después de la junta del 18", "dopo la riunione del 12", "na de
/// vergadering op 20 maart", "depois da reunião de 12").
const DATED_EVENTS: &[&str] = &[
    "meeting",
    "meetings",
    "board",
    "review",
    "vote",
    "decision",
    "sitzung",
    "besprechung",
    "versammlung",
    "vorstandssitzung",
    "aufsichtsratssitzung",
    "reunion",
    "conseil",
    "comite",
    "junta",
    "consejo",
    "riunione",
    "consiglio",
    "assemblea",
    "vergadering",
    "aandeelhoudersvergadering",
    "bestuursvergadering",
    "reuniao",
    "assembleia",
];

/// Owners and articles before such an event: "our", "unsere", "notre", "nuestra", "nostra",
/// "onze", "nossa", "the", "general", "annual".
const EVENT_OWNERS: &[&str] = &[
    "our", "the", "unsere", "unserer", "der", "notre", "la", "le", "nuestra", "nuestro", "nostra", "nostro",
    "onze", "ons", "nossa", "nosso", "de", "het", "da", "do", "general", "annual", "next",
];

const FILLERS: &[&str] = &[
    // "depois do feriado de Tiradentes", "after the holiday of Eid": the feast's own noun
    "feriado",
    "festivo",
    "feiertag",
    "feestdag",
    "holiday",
    "fete",
    "festa",
    "the",
    "on",
    "of",
    "this",
    "coming",
    "le",
    "la",
    "l",
    "el",
    "il",
    "lo",
    "den",
    "dem",
    "der",
    "die",
    "das",
    "am",
    "zum",
    "zur",
    "diesen",
    "op",
    "em",
    "o",
    "a",
    "ao",
    "no",
    "na",
    "de",
    "del",
    "du",
    "dal",
    "al",
    "au",
    "aux",
    "alla",
    "all",
    "vom",
    "van",
    "het",
    "dia",
    "day",
    "ce",
    "este",
    "esta",
    "questo",
    "deze",
    "en",
    "met",
    "incl",
    "inkl",
    "and",
    "including",
    "y",
    "compris",
    "et",
    "ou",
    "or",
    "effective",
    "do",
    "da",
    "dos",
    "das",
    "dell",
    "della",
    "dello",
    "delle",
    "dnia",
    "dniu",
    "w",
    "we",
    "dne",
    "v",
    "ve",
    "pa",
    // hedges: "until approx. September 16", "until at least the 26th", "bis ca. 12.1.",
    // "jusqu'à environ", "hasta aproximadamente", "fino a circa", "tot ongeveer", "até por volta"
    "approx",
    "appr",
    "env",
    "aprox",
    "approximately",
    "around",
    "about",
    "roughly",
    "least",
    "at",
    "ca",
    "circa",
    "etwa",
    "ungefahr",
    "voraussichtlich",
    "mindestens",
    "environ",
    "vers",
    "moins",
    "aproximadamente",
    "menos",
    "ongeveer",
    "minstens",
    "volta",
    "por",
    "probably",
    "likely",
    "prob",
];

/// Dutch holiday names, which follow "na" ("after") without an article.
const DUTCH_HOLIDAYS: &[&str] = &[
    "pasen",
    "paasmaandag",
    "pinksteren",
    "pinkstermaandag",
    "hemelvaart",
    "hemelvaartsdag",
    "kerst",
    "kerstmis",
    "nieuwjaar",
    "nieuwjaarsdag",
    "oudjaar",
    "driekoningen",
    "allerheiligen",
    "sacramentsdag",
    "koningsdag",
    "koninginnedag",
    "bevrijdingsdag",
    "sinterklaas",
    "carnaval",
    // "na tweede kerstdag", "na tweede paasdag"
    "tweede",
];

/// The operator before token `start`, with the token where it begins.
/// Spanish return verbs that, before "hasta", say the day of the return (see
/// [`operator_before`]).
const RETURN_BEFORE_HASTA: &[&str] = &[
    "regreso",
    "regresa",
    "regresamos",
    "regresan",
    "vuelvo",
    "vuelve",
    "volvemos",
    "vuelven",
    "retorno",
    "retornamos",
    "reincorporo",
    "incorporo",
    "reintegro",
];

pub fn operator_before(f: &Folded, start: usize) -> Option<(Op, usize)> {
    let mut k = start;
    // "after our board meeting on the 28th", "después de la junta del 18 de febrero": an
    // event with its day after "after" is the day after it; the event's words are passed
    // over (a few more of them), and only "after" may stand before them.
    let mut event = false;
    for step in 0..8 {
        if k == 0 || step >= 5 && !event {
            return None;
        }
        k -= 1;
        if let Some(found) = scandinavian_operator(f, k) {
            return Some(found);
        }
        let tok = f.toks.get(k)?;
        match tok.kind {
            Kind::Punct(b'\'' | b',') => continue,
            // Danish and Norwegian "til d. 3. december": "d." is "den".
            Kind::Punct(b'.') if f.is_word(k.wrapping_sub(1), "d") => {
                k -= 1;
                continue;
            }
            Kind::Punct(b'/') => continue,
            // Indian English "w.e.f. 30.01.2023" (with effect from): from.
            Kind::Punct(b'.')
                if f.is_word(k.wrapping_sub(1), "f")
                    && f.is_punct(k.wrapping_sub(2), b'.')
                    && f.is_word(k.wrapping_sub(3), "e")
                    && f.is_punct(k.wrapping_sub(4), b'.')
                    && f.is_word(k.wrapping_sub(5), "w") =>
            {
                return Some((Op::From, k - 5));
            }
            // "（〜8/20）", "~12/3": a tilde with no day before it is an open range, until.
            // (Not the tilde that ends a casual Korean or Japanese sentence, glued to its last
            // word: "휴가 중이에요~ 수요일에 복귀합니다".)
            Kind::Punct(b'~')
                if k + 1 == start
                    && !f.is_num(k.wrapping_sub(1))
                    && !f.is_punct(k.wrapping_sub(1), b')')
                    && !(f.glued(k)
                        && !f.glued(k + 1)
                        && (f.is_a_word(k - 1) || f.is_punct(k - 1, b'^'))) =>
            {
                return Some((Op::Until, k));
            }
            // "until approx. December 16", "bis ca. 10.12.": the dot of a hedge's abbreviation.
            Kind::Punct(b'.')
                if f.is_any(
                    k.wrapping_sub(1),
                    &["approx", "ca", "env", "aprox", "appr", "einschl", "inkl", "incl"],
                ) =>
            {
                continue
            }
            Kind::Word => {}
            _ => return None,
        }
        let word = f.word(k);
        // Italian "prima di lunedì", "prima del 14": the "of" of "before".
        if f.is_any(k, &["di", "del", "dell"]) && f.is_word(k.wrapping_sub(1), "prima") {
            return Some((Op::Before, k - 1));
        }
        // "regreso hasta el lunes 5" (Mexico, Central America: back only on Monday), "no
        // vuelvo hasta el lunes": a return verb before "hasta" makes the day the return itself.
        if word == "hasta" && f.is_any(k.wrapping_sub(1), RETURN_BEFORE_HASTA) {
            return Some((Op::Before, k));
        }
        if f.is_any(k, DATED_EVENTS) || f.is_any(k, EVENTS) || event && f.is_any(k, EVENT_OWNERS) {
            event = true;
            continue;
        }
        if event {
            return matches!(
                word,
                "after" | "nach" | "apres" | "despues" | "dopo" | "depois" | "apos" | "na" | "tras"
            )
            .then_some((Op::After, k));
        }
        let op = match word {
            "until" | "till" | "til" | "untill" | "thru" | "through" | "bis" | "jusqu" | "jusque"
            | "hasta" | "fino" | "fins" | "tot" | "ate" | "einschliesslich" | "einschl" | "t"
            | "inclusive" => Op::Until,
            "m" if f.is_punct(k.wrapping_sub(1), b'/') && f.is_word(k.wrapping_sub(2), "t") => {
                return Some((Op::Until, k - 2));
            }
            "to" if f.is_word(k.wrapping_sub(1), "up") => return Some((Op::Until, k - 1)),
            // Polish and Czech "do" (until); Portuguese "do" is "of the" ("a partir do dia 7").
            "do" if !f.is_word(k + 1, "dia")
                && !f.is_any(k.wrapping_sub(1), PORTUGUESE_BEFORE_DO)
                && !f.is_any(k.wrapping_sub(1), ENGLISH_BEFORE_DO) =>
            {
                if f.is_any(k.wrapping_sub(1), &["az"]) {
                    return Some((Op::Until, k - 1));
                }
                Op::Until
            }
            "tills" | "indtil" | "inntil" => Op::Until,
            // "wef 30.01.2023", with effect from, without its dots
            "wef" => Op::From,
            // "back on or after June 14": the day itself may be the return.
            "after" if f.is_word(k.wrapping_sub(1), "or") && f.is_word(k.wrapping_sub(2), "on") => {
                return Some((Op::From, k - 2));
            }
            "after" | "nach" | "apres" | "despues" | "dopo" | "depois" | "apos" | "beyond" | "po"
            | "efter" | "etter" => Op::After,
            // The day after: "le lendemain du lundi de Pâques", "el día siguiente al festivo",
            // "no dia seguinte ao feriado".
            "lendemain" | "siguiente" | "seguinte" => Op::After,
            // "pasada la Semana Santa hablamos", "passata la Pasqua", "passado o Carnaval": once
            // it is over ("pasado mañana" is a day of its own).
            // ("el pasado lunes", "no passado dia 12": after an article it is "last".)
            "pasada" | "pasado" | "passata" | "passato" | "passada" | "passado"
                if f.is_any(
                    k + 1,
                    &[
                        "la", "el", "il", "lo", "o", "a", "los", "las", "i", "gli", "le", "os", "as",
                    ],
                ) && !f.is_any(
                    k.wrapping_sub(1),
                    &[
                        "el", "la", "il", "lo", "o", "a", "no", "na", "del", "al", "do", "da",
                    ],
                ) =>
            {
                Op::After
            }
            // Dutch "na de zomer", "na het weekend", "na Pasen" (Portuguese "na" is "in the").
            "na" if f.is_any(k + 1, &["de", "het"])
                || f.is_any(k + 1, DUTCH_HOLIDAYS)
                // "na 14 juni" (Portuguese writes "no dia 14", "em 14 de junho").
                || (f.is_num(k + 1) && f.toks.get(k + 2).is_some_and(|t| t.lex.month > 0)) =>
            {
                Op::After
            }
            // "per 1. Juli" (German, Dutch); Italian "per tutta la settimana" is "for".
            "per" if !f.is_num(k + 1) => return None,
            // "my vacation starts tomorrow", "mes vacances commencent demain": when it begins.
            "starts" | "start" | "begins" | "beginnt" | "beginnen" | "begint" | "commence" | "commencent"
            | "comienza" | "comienzan" | "empieza" | "empiezan" | "inizia" | "iniziano" | "comeca"
            | "comecam" => Op::From,
            "from" | "ab" | "des" | "desde" | "vanaf" | "starting" | "per" | "since" | "od" | "ode"
            | "fran" | "fra" | "vom" | "dal" | "dall" | "dalla" | "depuis" => Op::From,
            // Italian "da oggi", "da lunedì" (Portuguese "da" is "of the": "fim da semana").
            "da" if !f.is_any(k.wrapping_sub(1), PORTUGUESE_BEFORE_DO) => Op::From,
            "as" if f.is_word(k + 1, "of") => Op::From,
            "partir" | "partire" => {
                let begin = if f.is_word(k.wrapping_sub(1), "a") {
                    k - 1
                } else {
                    k
                };
                return Some((Op::From, begin));
            }
            "before" | "vor" | "avant" | "antes" | "prima" | "voor" => Op::Before,
            _ if ONLY_THEN.contains(&word) => Op::Before,
            // "before" and "not before" (Polish, Czech, Swedish, Danish, Norwegian, Finnish, Turkish).
            // Swedish "förrän", and Danish and Norwegian "før" after "ikke".
            "forran" => Op::Before,
            "for" if nordic_before(f, k) => Op::Before,
            "przed" | "pred" | "fore" | "ennen" | "erken" => Op::Before,
            _ if FILLERS.contains(&word) => continue,
            _ => return None,
        };
        return Some((op, k));
    }
    None
}

/// Words before a Portuguese "do" that make it "of the", not Polish or Czech "until".
const PORTUGUESE_BEFORE_DO: &[&str] = &[
    "partir", "depois", "antes", "apos", "fim", "final", "inicio", "comeco", "meados", "fora", "alem",
    "dentro", "perto", "cerca", "volta", "retorno", "regresso", "ferias", "ausente", "longo",
];

/// Words before an English "do" ("we could do June 15"), which is no Polish "until".
const ENGLISH_BEFORE_DO: &[&str] = &[
    "can", "could", "would", "will", "should", "might", "shall", "we", "i", "you", "they", "to", "s", "let",
    "lets", "please", "and", "or", "not", "nt", "don", "also", "then", "maybe",
];

/// Swedish, Danish and Norwegian operators of several words, ending at token `k`: "till och
/// med" / "t.o.m." (until and including), "från och med" / "fr.o.m." / "f.o.m." (from).
fn scandinavian_operator(f: &Folded, k: usize) -> Option<(Op, usize)> {
    let op_of = |first: &str| match first {
        "till" | "til" | "t" => Some(Op::Through),
        "fran" | "fra" | "f" | "fr" => Some(Op::From),
        _ => None,
    };
    // "till och med", "til og med".
    if f.is_word(k, "med") && f.is_any(k.wrapping_sub(1), &["och", "og"]) {
        let first = k.checked_sub(2)?;
        return op_of(f.word(first))
            .filter(|_| f.is_a_word(first))
            .map(|op| (op, first));
    }
    // "t.o.m.", "t.o.m", "fr.o.m.", "f.o.m.": the last dot is optional.
    let m = if f.is_punct(k, b'.') { k.checked_sub(1)? } else { k };
    if f.is_word(m, "m") && f.is_punct(m.wrapping_sub(1), b'.') && f.is_word(m.wrapping_sub(2), "o") {
        let first = m.checked_sub(4)?;
        if f.is_punct(first + 1, b'.') {
            return op_of(f.word(first))
                .filter(|_| f.is_a_word(first))
                .map(|op| (op, first));
        }
    }
    None
}

/// Postpositions of Finnish ("4.12. asti", "maanantaista alkaen", "kesän jälkeen"), Turkish
/// ("11 Aralık'a kadar", "7 Aralık'tan itibaren", "yarından sonra") and Japanese ("まで",
/// "以降", folded to ASCII): the operator written right after the expression that ends
/// before token `end`. Returns the operator and the token after it.
///
/// A Turkish case suffix after an apostrophe ("Aralık'a"), a weekday ("11 Aralık
/// Pazartesi'ye"), a weekday in brackets ("(ma)") and the words for "the date" and "the day"
/// ("tarihine", "päivään") may stand between.
pub fn operator_after(f: &Folded, end: usize) -> Option<(Op, usize)> {
    let mut k = end;
    for _ in 0..4 {
        let tok = f.toks.get(k)?;
        match tok.kind {
            Kind::Punct(b'\'') if f.glued(k) && f.glued(k + 1) && f.is_a_word(k + 1) => {
                k += 2;
                continue;
            }
            Kind::Punct(b'(') if f.is_a_word(k + 1) && f.is_punct(k + 2, b')') => {
                k += 3;
                continue;
            }
            // "明日23日午後から": the day a word already named, written after it.
            Kind::Num if f.is_word(k + 1, "nichi") => {
                k += 2;
                continue;
            }
            Kind::Word => {}
            _ => return None,
        }
        let word = f.word(k);
        let op = match word {
            "asti" | "saakka" | "mennessa" | "kadar" | "dek" | "degin" | "made" => Op::Until,
            // "来週いっぱい" (all of next week): through its end
            "ippai" => Op::Through,
            "alkaen" | "lahtien" | "eteenpain" | "itibaren" | "itibariyle" | "itibariyla" | "ikou"
            | "kara" | "yori" => Op::From,
            "jalkeen" | "sonra" | "sonrasi" | "sonrasinda" | "ake" => Op::After,
            // Finnish "ennen", Turkish "önce", Chinese "之前" (as the lexicon folds it)
            "ennen" | "once" | "zhiqian" => Op::Before,
            _ if POST_SKIP.contains(&word) || tok.lex.weekday > 0 => {
                k += 1;
                continue;
            }
            _ => return None,
        };
        return Some((op, k + 1));
    }
    None
}

/// Words that may stand between a date and its postposition: Turkish "tarihine kadar" (until
/// the date), "gününe kadar"; Finnish "päivään asti" (until the day), "klo 12 asti".
const POST_SKIP: &[&str] = &[
    "tarih",
    "tarihi",
    "tarihe",
    "tarihine",
    "tarihinden",
    "tarihinde",
    "gunu",
    "gunune",
    "gununden",
    "paiva",
    "paivaan",
    "paivasta",
    "paivan",
    "paivana",
    // Japanese "午後" (in the afternoon): "明日23日午後から" starts then
    "gogo",
];

const INCLUSIVE: &[&str] = &[
    "inclusive",
    "inclusief",
    "incl",
    "inkl",
    "einschliesslich",
    "inklusive",
    "inclus",
    "incluse",
    "inclusivement",
    "incluido",
    "incluida",
    "incluso",
    "inclusa",
    "compreso",
    "compresa",
    "included",
    "wlacznie",
    "vcetne",
    "inkluderet",
    "inkludert",
    "dahil",
];

/// An inclusive marker right after token `end` ("15. Juni einschließlich", "(inclus)"):
/// returns the token after the marker.
pub fn inclusive_after(f: &Folded, end: usize) -> Option<usize> {
    let mut k = end;
    while f.is_punct(k, b',') || f.is_punct(k, b'(') {
        k += 1;
    }
    if f.is_any(k, INCLUSIVE) {
        let mut next = k + 1;
        if f.is_punct(next, b'.') && f.glued(next) {
            next += 1;
        }
        if f.is_punct(next, b')') {
            next += 1;
        }
        return Some(next);
    }
    None
}

/// Sentence number of every token: sentences end at `!`, `?`, `;`, a blank line, or a full
/// stop followed by a space that does not close a number or an abbreviated month.
pub fn sentences(f: &Folded) -> Vec<u32> {
    let mut ids = Vec::with_capacity(f.toks.len());
    let mut id = 0u32;
    for (i, tok) in f.toks.iter().enumerate() {
        if tok.para {
            id += 1;
        }
        ids.push(id);
        let ends = match tok.kind {
            // A pipe separates the fields of a one-line notice: "Re: Intro for your team | Out
            // 8/3 - 8/14, back Monday 8/17".
            Kind::Punct(b'!' | b'?' | b';' | b'|') => true,
            // An emoji before a capitalised word ends its sentence (see `lexicon::fold_char`).
            Kind::Punct(b'`') => f.kana || f.toks.get(i + 1).is_some_and(|next| next.gap && next.upper),
            // A bracketed label before a capital is a heading: "[!WARNING] This project is on
            // hiatus", "[UPDATE] Closed until Monday".
            Kind::Punct(b']') => f.toks.get(i + 1).is_some_and(|next| next.gap && next.upper),
            Kind::Punct(b'.') => {
                let spaced = f.toks.get(i + 1).is_none_or(|next| next.gap);
                // "am 15. Juni": a day's ordinal dot; a year ("... December 2022. This will")
                // ends its sentence.
                // "until December 15. Please call": a day after its month (English order) is
                // no ordinal either.
                let after_month_day = i > 1 && f.toks.get(i - 2).is_some_and(|t| t.lex.month > 0);
                // "nos dias 15 e 16/11. Retornamos": a date written with a slash has no
                // ordinal dot.
                let slashed_date = i > 2 && f.is_punct(i - 2, b'/') && f.is_num(i - 3);
                // "rientro mercoledì 9. Ne parliamo?": a capital after it, no month's name, starts
                // the next sentence.
                // Not a German ordinal before its noun: "im 3. Quartal", "zum 2. Mal", "am 1.
                // Werktag".
                let german_ordinal = f.is_any(i.wrapping_sub(2), GERMAN_BEFORE_ORDINAL);
                let capital_next = !german_ordinal
                    && place_word(f, i + 1)
                    && f.toks
                        .get(i + 1)
                        .is_some_and(|t| !t.lex.quarter && t.lex.unit == crate::dates::lexicon::Unit::None);
                let after_number = i > 0
                    && f.is_num(i - 1)
                    && f.toks.get(i - 1).is_some_and(|t| t.digits <= 2)
                    && !after_month_day
                    && !slashed_date
                    && !capital_next;
                let after_abbr = i > 0
                    && f.toks
                        .get(i - 1)
                        .is_some_and(|t| t.lex.month > 0 && !t.lex.month_full);
                // "ok." is Polish "about" only before a number ("ok. 15 maja"); an English
                // "OK." ends its sentence.
                let after_abbreviation =
                    i > 0 && f.is_any(i - 1, ABBREVIATIONS) && (!f.is_word(i - 1, "ok") || f.is_num(i + 1));
                // "M. Garnier", "p. Kowalski", "Dr. Lee": a title's dot before the name.
                let after_title = i > 0
                    && f.is_any(i - 1, TITLE_ABBREVIATIONS)
                    && !f.is_punct(i.wrapping_sub(2), b'\'')
                    && f.is_a_word(i + 1);
                // "St. Patrick's Day": a saint's dot (not the "st" of "the 1st.").
                let saint = i > 1 && f.is_word(i - 1, "st") && !f.is_num(i - 2) && f.is_a_word(i + 1);
                // Danish and Norwegian "d. 3. marts": "den", the article of a date.
                let date_article = i > 0 && f.is_word(i - 1, "d") && f.is_num(i + 1);
                // The last dot of an initialism before a number or a word in lower case ("on
                // leave w.e.f. 11.05.2026 to ...", "i.e. until Monday", "z.B. ab Montag").
                let letter = |k: usize| f.is_a_word(k) && f.word(k).len() == 1;
                let initialism = i > 2
                    && letter(i - 1)
                    && f.glued(i - 1)
                    && f.is_punct(i - 2, b'.')
                    && letter(i - 3)
                    && (f.is_num(i + 1) || f.is_a_word(i + 1) && f.toks.get(i + 1).is_some_and(|t| !t.upper));
                spaced
                    && !after_number
                    && !after_abbr
                    && !after_abbreviation
                    && !after_title
                    && !saint
                    && !date_article
                    && !initialism
            }
            _ => false,
        };
        if ends {
            id += 1;
        }
    }
    ids
}

/// Abbreviations whose dot ends no sentence: a hedge before a date ("until approx. December
/// 9", "bis ca. 10.12.", "ok. 15 maja": that one only before a number) and the clock's word
/// or a note's before a number or a word ("ring efter kl. 13", "po godz. 15", "vedr. ordrer").
const ABBREVIATIONS: &[&str] = &[
    "approx", "ca", "prox", "nxt", "env", "aprox", "appr", "kl", "godz", "ok", "vedr", "ang", "bzw", "evt",
];

/// English verbs gone by before a "back in" that dates the past ("left ... back in March").
/// German verbs whose particle "zurück" sends or gives something back ("senden Sie die
/// Unterlagen zurück", "geben Sie das Gerät zurück").
const DE_GIVE_BACK: &[&str] = &[
    "senden",
    "sende",
    "schicken",
    "schicke",
    "schickt",
    "sendet",
    "geben",
    "gebe",
    "gibt",
    "bringen",
    "bringe",
    "zahlen",
    "zahle",
    "uberweisen",
    "ueberweisen",
    "reichen",
    "faxen",
    "zurucksenden",
    "halten",
];

const PAST_VERBS: &[&str] = &[
    "left", "joined", "moved", "started", "met", "spoke", "talked", "signed", "bought", "changed", "retired",
    "quit", "did", "happened", "launched", "switched", "sold",
];

/// Titles written with a dot before a name ("Mr.", "M.", "Dott.", "p."): their dot ends no
/// sentence.
const TITLE_ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "m", "mme", "p", "dott", "prof", "sig", "sr", "sra", "dhr", "mevr", "hr", "ing",
];

const STOPWORDS: &[(&str, Lang)] = &[
    ("the", Lang::En),
    ("and", Lang::En),
    ("i", Lang::En),
    ("am", Lang::En),
    ("will", Lang::En),
    ("be", Lang::En),
    ("until", Lang::En),
    ("back", Lang::En),
    ("office", Lang::En),
    ("you", Lang::En),
    ("my", Lang::En),
    ("with", Lang::En),
    ("your", Lang::En),
    ("thank", Lang::En),
    ("thanks", Lang::En),
    ("ich", Lang::De),
    ("und", Lang::De),
    ("bin", Lang::De),
    ("bis", Lang::De),
    ("nicht", Lang::De),
    ("im", Lang::De),
    ("mit", Lang::De),
    ("sie", Lang::De),
    ("ihre", Lang::De),
    ("wieder", Lang::De),
    ("vielen", Lang::De),
    ("dank", Lang::De),
    ("ab", Lang::De),
    ("je", Lang::Fr),
    ("suis", Lang::Fr),
    ("et", Lang::Fr),
    ("les", Lang::Fr),
    ("jusqu", Lang::Fr),
    ("vous", Lang::Fr),
    ("votre", Lang::Fr),
    ("merci", Lang::Fr),
    ("serai", Lang::Fr),
    ("du", Lang::Fr),
    ("au", Lang::Fr),
    ("estoy", Lang::Es),
    ("hasta", Lang::Es),
    ("y", Lang::Es),
    ("los", Lang::Es),
    ("su", Lang::Es),
    ("gracias", Lang::Es),
    ("estare", Lang::Es),
    ("mi", Lang::Es),
    ("del", Lang::Es),
    ("sono", Lang::It),
    ("fino", Lang::It),
    ("il", Lang::It),
    ("di", Lang::It),
    ("per", Lang::It),
    ("grazie", Lang::It),
    ("sara", Lang::It),
    ("della", Lang::It),
    ("dal", Lang::It),
    ("ik", Lang::Nl),
    ("ben", Lang::Nl),
    ("het", Lang::Nl),
    ("tot", Lang::Nl),
    ("niet", Lang::Nl),
    ("van", Lang::Nl),
    ("met", Lang::Nl),
    ("uw", Lang::Nl),
    ("bedankt", Lang::Nl),
    ("weer", Lang::Nl),
    ("estou", Lang::Pt),
    ("ate", Lang::Pt),
    ("nao", Lang::Pt),
    ("obrigado", Lang::Pt),
    ("obrigada", Lang::Pt),
    ("estarei", Lang::Pt),
    ("voce", Lang::Pt),
    ("sua", Lang::Pt),
    ("com", Lang::Pt),
    ("do", Lang::Pt),
    ("da", Lang::Pt),
    ("jestem", Lang::Pl),
    ("bede", Lang::Pl),
    ("sie", Lang::Pl),
    ("nie", Lang::Pl),
    ("jest", Lang::Pl),
    ("dziekuje", Lang::Pl),
    ("dziekujemy", Lang::Pl),
    ("pozdrawiam", Lang::Pl),
    ("prosze", Lang::Pl),
    ("oraz", Lang::Pl),
    ("poza", Lang::Pl),
    ("wiadomosc", Lang::Pl),
    ("jag", Lang::Sv),
    ("ar", Lang::Sv),
    ("och", Lang::Sv),
    ("inte", Lang::Sv),
    ("tack", Lang::Sv),
    ("hej", Lang::Sv),
    ("vanliga", Lang::Sv),
    ("halsningar", Lang::Sv),
    ("tillbaka", Lang::Sv),
    ("venlig", Lang::Da),
    ("venlige", Lang::Da),
    ("tilbage", Lang::Da),
    ("af", Lang::Da),
    ("uge", Lang::Da),
    ("meg", Lang::No),
    ("takk", Lang::No),
    ("vennlig", Lang::No),
    ("vennlige", Lang::No),
    ("tilbake", Lang::No),
    ("av", Lang::No),
    ("uke", Lang::No),
    ("etter", Lang::No),
    ("ikkje", Lang::No),
    ("olen", Lang::Fi),
    ("ja", Lang::Fi),
    ("ei", Lang::Fi),
    ("kiitos", Lang::Fi),
    ("terveisin", Lang::Fi),
    ("ystavallisin", Lang::Fi),
    ("asti", Lang::Fi),
    // more Finnish function words: a colleague's "Mikko on lomalla" needs the language told
    ("hanen", Lang::Fi),
    ("etta", Lang::Fi),
    ("joten", Lang::Fi),
    ("mutta", Lang::Fi),
    ("myos", Lang::Fi),
    ("minuun", Lang::Fi),
    ("minulle", Lang::Fi),
    ("sinulle", Lang::Fi),
    ("teille", Lang::Fi),
    ("olla", Lang::Fi),
    ("olemme", Lang::Fi),
    ("lomalla", Lang::Fi),
    ("takaisin", Lang::Fi),
    ("kanssa", Lang::Fi),
    ("yhteytta", Lang::Fi),
    ("yhteydessa", Lang::Fi),
    ("viestisi", Lang::Fi),
    ("viestinne", Lang::Fi),
    ("kiitokset", Lang::Fi),
    ("terveiset", Lang::Fi),
    ("ystavallisesti", Lang::Fi),
    ("hyvaa", Lang::Fi),
    ("paivaa", Lang::Fi),
    ("valin", Lang::Fi),
    ("saakka", Lang::Fi),
    ("alkaen", Lang::Fi),
    ("jsem", Lang::Cs),
    ("budu", Lang::Cs),
    ("dekuji", Lang::Cs),
    ("prosim", Lang::Cs),
    ("pozdravem", Lang::Cs),
    ("jsme", Lang::Cs),
    ("nebo", Lang::Cs),
    ("dekujeme", Lang::Cs),
    ("nejsem", Lang::Cs),
    ("nebudu", Lang::Cs),
    ("nebude", Lang::Cs),
    ("bude", Lang::Cs),
    ("jsou", Lang::Cs),
    ("vam", Lang::Cs),
    ("vasi", Lang::Cs),
    ("vase", Lang::Cs),
    ("zpravu", Lang::Cs),
    ("zpravy", Lang::Cs),
    ("kancelari", Lang::Cs),
    ("dovolene", Lang::Cs),
    ("dovolenou", Lang::Cs),
    ("zpet", Lang::Cs),
    ("vratim", Lang::Cs),
    ("tyden", Lang::Cs),
    ("tydnu", Lang::Cs),
    ("pondeli", Lang::Cs),
    ("ktery", Lang::Cs),
    ("ktera", Lang::Cs),
    ("ktere", Lang::Cs),
    ("tento", Lang::Cs),
    ("muj", Lang::Cs),
    ("dnes", Lang::Cs),
    ("zitra", Lang::Cs),
    // "proto odpovídám já", "bohužel", "do konce měsíce": a short Czech text's words, so that
    // its "je" is read as "is", not the French "I".
    ("proto", Lang::Cs),
    ("zatim", Lang::Cs),
    ("bohuzel", Lang::Cs),
    ("konce", Lang::Cs),
    ("mesice", Lang::Cs),
    ("odpovidam", Lang::Cs),
    ("nemame", Lang::Cs),
    ("jeste", Lang::Cs),
    ("preposlu", Lang::Cs),
    ("mohu", Lang::Cs),
    ("pomoci", Lang::Cs),
    ("zastupuji", Lang::Cs),
    ("kolegyne", Lang::Cs),
    ("cim", Lang::Cs),
    ("prosince", Lang::Cs),
    ("ledna", Lang::Cs),
    // Slovak, read with the Czech rules and words
    ("som", Lang::Cs),
    ("sme", Lang::Cs),
    ("budem", Lang::Cs),
    ("nebudem", Lang::Cs),
    ("dakujem", Lang::Cs),
    ("dakujeme", Lang::Cs),
    ("pozdravom", Lang::Cs),
    ("dovolenke", Lang::Cs),
    ("dovolenku", Lang::Cs),
    ("kancelarii", Lang::Cs),
    ("spat", Lang::Cs),
    ("opat", Lang::Cs),
    ("tyzden", Lang::Cs),
    ("tyzdne", Lang::Cs),
    ("zajtra", Lang::Cs),
    ("pondelok", Lang::Cs),
    ("ve", Lang::Tr),
    ("bir", Lang::Tr),
    ("bu", Lang::Tr),
    ("ile", Lang::Tr),
    ("icin", Lang::Tr),
    ("tesekkur", Lang::Tr),
    ("tesekkurler", Lang::Tr),
    ("ederim", Lang::Tr),
    ("saygilarimla", Lang::Tr),
    ("kadar", Lang::Tr),
    ("itibaren", Lang::Tr),
];

static STOPWORD_TABLE: LazyLock<HashMap<&'static str, Lang>> =
    LazyLock::new(|| STOPWORDS.iter().copied().collect());

/// Guesses the language from common function words; `None` when nothing stands out.
pub fn detect(f: &Folded) -> Option<Lang> {
    let mut scores = [0u32; Lang::ALL.len()];
    for (i, tok) in f.toks.iter().enumerate() {
        if tok.kind != Kind::Word {
            continue;
        }
        if let Some(lang) = STOPWORD_TABLE.get(f.word(i)) {
            scores[lang.index()] += 1;
        }
    }
    let (best, &score) = scores
        .iter()
        .enumerate()
        .max_by_key(|&(i, s)| (*s, usize::MAX - i))?;
    if score == 0 {
        return None;
    }
    if scores.iter().enumerate().any(|(i, &s)| i != best && s == score) {
        return None;
    }
    Lang::ALL.get(best).copied()
}

#[cfg(test)]
mod tests {
    /// The cue patterns are compiled lazily into an `Option` (no panic at run time): a
    /// pattern that stops compiling would silently turn a whole family of cues off.
    #[test]
    fn every_cue_pattern_compiles() {
        for (name, re) in [
            ("return", &*super::RETURN_RE),
            ("absence", &*super::ABSENCE_RE),
            ("callback", &*super::CALLBACK_RE),
            ("talk later", &*super::TALK_LATER_RE),
            ("work", &*super::WORK_RE),
            ("day off", &*super::DAY_OFF_RE),
        ] {
            assert!(re.is_some(), "the {name} cue pattern does not compile");
        }
        assert!(
            super::TALK_LATER_LAST_RE.is_some(),
            "the verb-last talk-later cue pattern does not compile"
        );
    }
}
