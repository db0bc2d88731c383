//! Unit tests for the extractor as a whole: one `check` helper and one-line cases, plus a
//! property test that no input panics or yields a span off a char boundary.

use chrono::{DateTime, NaiveDate};
use proptest::prelude::*;

use crate::dates::{detect_lang, extract_return_date, DateContext, Lang};

fn ctx(received_at: &str, region: Option<&str>) -> DateContext {
    DateContext {
        received_at: DateTime::parse_from_rfc3339(received_at).unwrap(),
        tz: chrono_tz::Europe::Berlin,
        lang: None,
        region: region.map(str::to_string),
        max_ahead_days: 365,
        writer_names: Vec::new(),
    }
}

/// Runs `text` as received on Wednesday 2 June 2027, 09:00 Berlin time.
#[track_caller]
fn check(text: &str, expected: Option<&str>) {
    let got = extract_return_date(text, &ctx("2027-06-02T09:00:00+02:00", None));
    let got_date = got.as_ref().map(|r| r.date);
    let expected = expected.map(|e| NaiveDate::parse_from_str(e, "%Y-%m-%d").unwrap());
    assert_eq!(got_date, expected, "text: {text:?}, got: {got:?}");
}

#[test]
fn return_and_until() {
    check("I am back on June 15.", Some("2027-06-15"));
    check("I am out of the office until June 11.", Some("2027-06-14"));
    check("Ich bin bis einschließlich 11.06. im Urlaub.", Some("2027-06-14"));
    check("Je serai de retour le 15 juin.", Some("2027-06-15"));
    check(
        "Estaré fuera de la oficina hasta el 11 de junio.",
        Some("2027-06-14"),
    );
    check("Sono in ferie fino al 11 giugno.", Some("2027-06-14"));
    check("Ik ben afwezig tot 11 juni.", Some("2027-06-14"));
    check("Estou de férias até 11 de junho.", Some("2027-06-14"));
}

#[test]
fn relative() {
    check("I'm out of office, back next week.", Some("2027-06-07"));
    check("Please call me again in two weeks.", Some("2027-06-16"));
    check("Out today, back tomorrow.", Some("2027-06-03"));
    check("Ich bin ab Montag wieder im Büro.", Some("2027-06-07"));
    check("I'm off until Friday.", Some("2027-06-07"));
}

#[test]
fn ranges() {
    check("I am on vacation from June 1 to June 15.", Some("2027-06-16"));
    check("Urlaub vom 1. bis 15. Juni.", Some("2027-06-16"));
    check("En congés du 1er au 18 juin.", Some("2027-06-21"));
}

#[test]
fn negatives() {
    check("Let's meet on June 15.", None);
    check("Call me at +49 30 1234567.", None);
    check("Your ticket #20270615 is open; I am on vacation.", None);
    check("I was out of office until May 28.", None);
}

#[test]
fn evidence_points_at_the_phrase() {
    let text = "Hallo, ich bin bis zum 12. Juni nicht im Büro.";
    let found = extract_return_date(text, &ctx("2027-06-02T09:00:00+02:00", None)).unwrap();
    assert_eq!(found.evidence, "bis zum 12. Juni");
    assert_eq!(&text[found.span.clone()], found.evidence);
}

#[test]
fn ambiguous_numeric_dates() {
    let text = "I'm out of the office until 03/07/2027.";
    let us = extract_return_date(text, &ctx("2027-02-02T09:00:00+01:00", Some("us"))).unwrap();
    assert_eq!(us.date, NaiveDate::from_ymd_opt(2027, 3, 8).unwrap());
    let uk = extract_return_date(text, &ctx("2027-02-02T09:00:00+01:00", Some("uk"))).unwrap();
    assert_eq!(uk.date, NaiveDate::from_ymd_opt(2027, 7, 5).unwrap());
    let proven = "I'm out of the office from 28/06/2027 until 03/07/2027.";
    let found = extract_return_date(proven, &ctx("2027-02-02T09:00:00+01:00", Some("us"))).unwrap();
    assert_eq!(found.date, NaiveDate::from_ymd_opt(2027, 7, 5).unwrap());
    // No region: the reading that names a day soon, whichever way round.
    let soon = "Taking some time off until 7/12, speak then.";
    let december = extract_return_date(soon, &ctx("2026-12-04T09:00:00+01:00", None)).unwrap();
    assert_eq!(december.date, NaiveDate::from_ymd_opt(2026, 12, 8).unwrap());
    let june = extract_return_date(soon, &ctx("2027-06-20T09:00:00+02:00", None)).unwrap();
    assert_eq!(june.date, NaiveDate::from_ymd_opt(2027, 7, 13).unwrap());
    // A region still decides.
    let us = extract_return_date(soon, &ctx("2026-12-04T09:00:00+01:00", Some("us"))).unwrap();
    assert_eq!(us.date, NaiveDate::from_ymd_opt(2027, 7, 13).unwrap());
}

#[test]
fn languages() {
    assert_eq!(
        detect_lang("Ich bin nicht im Büro und bis Montag weg"),
        Some(Lang::De)
    );
    assert_eq!(detect_lang("Je suis absent jusqu'au 15 juin"), Some(Lang::Fr));
    assert_eq!(detect_lang("12345"), None);
    assert_eq!(
        detect_lang("Jestem na urlopie do 7 grudnia, dziękuję"),
        Some(Lang::Pl)
    );
    assert_eq!(
        detect_lang("Hej! Jag är på semester och inte på kontoret."),
        Some(Lang::Sv)
    );
    assert_eq!(
        detect_lang("Tak for din mail. Jeg er tilbage i uge 3. Venlig hilsen"),
        Some(Lang::Da)
    );
    assert_eq!(
        detect_lang("Takk for e-posten. Jeg er tilbake i uke 3. Vennlig hilsen"),
        Some(Lang::No)
    );
    assert_eq!(
        detect_lang("Olen lomalla 4.12. asti. Ystävällisin terveisin"),
        Some(Lang::Fi)
    );
    assert_eq!(detect_lang("Jsem na dovolené, děkuji"), Some(Lang::Cs));
    assert_eq!(
        detect_lang("Teşekkür ederim, 11 Aralık'a kadar izindeyim."),
        Some(Lang::Tr)
    );
    assert_eq!(Lang::from_code("nb-NO"), Some(Lang::No));
    assert_eq!(
        detect_lang("12月7日まで休暇をいただいております。"),
        Some(Lang::Ja)
    );
    assert_eq!(Lang::from_code("en-GB"), Some(Lang::En));
    for lang in Lang::ALL {
        assert_eq!(Lang::from_code(lang.code()), Some(lang));
    }
}

#[test]
fn huge_input_is_cut() {
    let text = format!("{}back on June 15", "blah ".repeat(10_000));
    assert_eq!(
        extract_return_date(&text, &ctx("2027-06-02T09:00:00+02:00", None)),
        None
    );
}

proptest! {
    #[test]
    fn never_panics_on_strings(text in "\\PC{0,300}") {
        let found = extract_return_date(&text, &ctx("2027-06-02T09:00:00+02:00", None));
        if let Some(found) = found {
            prop_assert!(text.get(found.span.clone()).is_some());
            prop_assert_eq!(&text[found.span.clone()], found.evidence.as_str());
        }
    }

    #[test]
    fn never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let found = extract_return_date(&text, &ctx("2027-06-02T09:00:00+02:00", None));
        if let Some(found) = found {
            prop_assert!(text.get(found.span.clone()).is_some());
        }
    }

    #[test]
    fn never_panics_on_date_soup(
        words in proptest::collection::vec(
            prop::sample::select(vec![
                "back", "until", "bis", "15", "06", ".", "/", "-", "june", "Juni", "1er", "au", "next", "week",
                "in", "two", "weeks", "Q1", "ab", "Montag", "2027", "31", "12", "t/m", "ééé", "ß", ">", "\n",
                "out of office", "from", "to", "end", "of", "февраль", "0", "99999999999",
            ]),
            0..40,
        )
    ) {
        let text = words.join(" ");
        let found = extract_return_date(&text, &ctx("2027-06-02T09:00:00+02:00", None));
        if let Some(found) = found {
            prop_assert!(text.get(found.span.clone()).is_some());
        }
    }
}

/// Short forms seen in real notices: a bare day after a contracted article, the next
/// stretch of time, a range whose ends carry a weekday in brackets.
#[test]
fn short_forms_of_real_notices() {
    check(
        "Je suis en congé jusqu'au 11, peut-être plus.",
        Some("2027-06-14"),
    );
    check(
        "Estoy de vacaciones hasta el 11, luego vuelvo.",
        Some("2027-06-14"),
    );
    check("Sono in ferie fino al 11.", Some("2027-06-14"));
    check("I will be travelling for the next two weeks.", Some("2027-06-16"));
    check("Wir sind die nächsten zwei Wochen im Urlaub.", Some("2027-06-16"));
    check(
        "Je serai absent les deux prochaines semaines.",
        Some("2027-06-16"),
    );
    check("De komende twee weken ben ik op vakantie.", Some("2027-06-16"));
    check(
        "6月7日(月)〜9日(水)まで臨時休業とさせていただきます。",
        Some("2027-06-10"),
    );
    check("Out of office Jun 7 (Mon) to Jun 9 (Wed).", Some("2027-06-10"));
    check("I'm on holiday for 2-3 weeks.", Some("2027-06-23"));
    // The number after the unit: "a week or two" is two weeks.
    check("I'm on leave for a week or two.", Some("2027-06-16"));
    check("Ich bin für eine Woche oder zwei im Urlaub.", Some("2027-06-16"));
    check("Estoy de vacaciones por una semana o dos.", Some("2027-06-16"));
    check("Je suis en congé pour une semaine ou deux.", Some("2027-06-16"));
    check("Sono in ferie per una settimana o due.", Some("2027-06-16"));
    check(
        "I'm travelling for a day or two, then back at my desk.",
        Some("2027-06-04"),
    );
    check(
        "Estaré de vacaciones durante dos o tres semanas.",
        Some("2027-06-23"),
    );
    check(
        "I'm away from the 4th to the 23rd of next month.",
        Some("2027-07-26"),
    );
    check("I'll be back the 15th day of next month.", Some("2027-07-15"));
    check("Je suis absent jusqu'au 10 du mois prochain.", Some("2027-07-12"));
    check(
        "Ich bin bis zum 10. nächsten Monats im Urlaub.",
        Some("2027-07-12"),
    );
    check("The team is taking a break until 2028.", Some("2028-01-03"));
    check("Je suis en congé parental jusqu'en 2028.", Some("2028-01-03"));
    check("Office closed; we resume on Monday 14 June.", Some("2027-06-14"));
    check("Siamo chiusi, riprendiamo il 14 giugno.", Some("2027-06-14"));
    check("Version 2.1 was released in 2027, we are on holiday.", None);
    check(
        "来週6月12日(土)は、院長の学会出席のため臨時休診とさせていただきます。",
        Some("2027-06-14"),
    );
    // A start without an end is no return: "dal", "da", "vom", "depuis" open an absence.
    check("Chiuso dal 10 giugno fino a data da definire.", None);
    check("Chiuso per ferie da oggi a data da definire.", None);
    check("Fermé depuis le 1er juin, réouverture à définir.", None);
    // A number after "au" that is no day: a share, a street number.
    check("Je suis en congé, le taux passe au 29 %.", None);
}

/// A past clause joined by a conjunction does not make the next clause past: "I was away
/// last week and will be back on June 14" still says the writer is back on the 14th.
#[test]
fn a_conjunction_opens_the_writers_next_clause() {
    let ctx = ctx("2027-06-02T09:00:00+02:00", None);
    let got = extract_return_date("I've been away since May 20 and will be back on June 14.", &ctx)
        .expect("a date");
    assert_eq!(got.date, NaiveDate::from_ymd_opt(2027, 6, 14).expect("day"));
    assert!(got.writer, "{got:?}");
    let got = extract_return_date("I was away until June 1.", &ctx);
    assert!(got.as_ref().is_none_or(|got| !got.writer), "{got:?}");
}

/// Month and weekday names typed in a hurry still give the day; other words near a name do
/// not become one.
#[test]
fn misspelled_names() {
    check("I'm on vacation until Septmber 3.", Some("2027-09-06"));
    check("Out of office, back on Thrusday.", Some("2027-06-03"));
    check("I'm away, back Wendesday.", Some("2027-06-09"));
    check("Ich bin bis 3. Dezmber im Urlaub.", Some("2027-12-06"));
    check("En vacances jusqu'au 3 septmebre.", Some("2027-09-06"));
    check("On holiday till the end of Feburary.", Some("2028-03-01"));
    // Plurals keep their own reading; a name two edits away is not taken.
    check("I'm off on Mondays.", Some("2027-06-08"));
    check("I'm on vacation until Sptmbr 3.", None);
}

/// A busy or slow spell is an absence with its end; the day normal service returns is the
/// writer's own word on the return; a year's full stop ends its sentence.
#[test]
fn busy_spells_and_normal_service() {
    check(
        "I'm swamped until June 11. Sorry for the slow replies.",
        Some("2027-06-14"),
    );
    check(
        "Replies come at a slower pace through 11 June 2027; regular service picks up again on Tuesday 15 June 2027.",
        Some("2027-06-15"),
    );
    check(
        "Busy until the end of the month. Call me after the 20th.",
        Some("2027-06-21"),
    );
}

/// An end and, written after it, a day things start again soon after: the second is the
/// return (a closure between the two); a far-off "from" is something else.
#[test]
fn a_japanese_date_and_its_weekday_are_one_day() {
    check("6月7日月曜日は店を休みます。", Some("2027-06-08"));
    check("6月7日(月)は店を休みます。", Some("2027-06-08"));
}

/// Japanese closure notices write days without their month when the month is plain
/// ("8日から11日まで"), ranges with a wave dash and no space ("当店は6/8(火)〜11(金)"), lists of
/// days with "・" or "、", "まで" taking in what it follows, and the topic before a comma.
#[test]
fn japanese_days_lists_and_topics() {
    check("次の営業日は、6月14日(月)です。", Some("2027-06-14"));
    check("今月は、8日から11日まで休みます。", Some("2027-06-14"));
    check(
        "当店は6/8(火)〜11(金)の期間、臨時休業となります。",
        Some("2027-06-14"),
    );
    check(
        "誠に勝手ながら、6月10・11日は休業いたします。",
        Some("2027-06-14"),
    );
    check("休診日:6月10日(木)、11日(金)、12日(土)", Some("2027-06-14"));
    // Two days that do not follow each other: open again on the day between.
    check("6/8・11は休業、6/9・10は営業します。", Some("2027-06-09"));
    check("明日から週末まで休診です。", Some("2027-06-07"));
    check("6月7日(月)から通常どおり営業します。", Some("2027-06-07"));
    // A count of days is a length from today, not the 10th; "本日2日" names today again.
    check("10日間お休みします。", Some("2027-06-12"));
    check("本日2日は臨時休業です。", Some("2027-06-03"));
}

/// An absence with no end in sight leaves no return day, whatever days came before it; a
/// day written after it still counts.
#[test]
fn until_further_notice() {
    check("The office is closed from June 3 until further notice.", None);
    check(
        "We were closed until June 6; the closure is now extended until further notice.",
        None,
    );
    check("Ab dem 3. Juni bis auf Weiteres geschlossen.", None);
    check(
        "Fermé jusqu'à nouvel ordre, réouverture prévue le 14 juin.",
        Some("2027-06-14"),
    );
    check("休業は6月3日(木)から当面の間となります。", None);
    check("当面の間、6月11日まで休業いたします。", Some("2027-06-14"));
}

/// Holidays fixed to a weekday of their month (United States, Canada), and "on or after".
#[test]
fn holidays_on_a_weekday_of_their_month() {
    check("Out of office until after Labor Day.", Some("2027-09-07"));
    check("Out through Juneteenth.", Some("2027-06-21"));
    check("I'm away for Thanksgiving week.", None);
    check("Back on or after June 14.", Some("2027-06-14"));
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    assert_eq!(super::nth_weekday(2026, 11, 4, 4), day(2026, 11, 26));
    assert_eq!(super::nth_weekday(2026, 5, 1, -1), day(2026, 5, 25));
    assert_eq!(super::nth_weekday(2026, 9, 1, 1), day(2026, 9, 7));
    assert_eq!(super::nth_weekday(2027, 1, 1, 3), day(2027, 1, 18));
    assert_eq!(super::nth_weekday(2026, 2, 1, 5), None);
}

/// Portuguese numbers its weekdays ("2ª feira" is Monday); Dutch "na" before a date is
/// "after".
#[test]
fn portuguese_numbered_weekdays_and_dutch_after() {
    check("Estou de férias, volto na 2ª feira.", Some("2027-06-07"));
    check("Estarei fora até 6ª-feira.", Some("2027-06-07"));
    check("Retorno na 5a feira, dia 10.", Some("2027-06-10"));
    check(
        "Ik ben met vakantie, ik ben er na 14 juni weer.",
        Some("2027-06-15"),
    );
}

/// A range written around the turn of the year ("12/20〜1/9" in January) began last year;
/// a bracketed weekday stands between a numeric date and its postposition ("6/7(月)より").
#[test]
fn a_range_begun_last_year_and_a_weekday_before_a_postposition() {
    let in_january = ctx("2028-01-08T09:00:00+09:00", None);
    let got = extract_return_date("臨時休業 12/20(月)~1/9(日)", &in_january).map(|r| r.date);
    assert_eq!(got, NaiveDate::from_ymd_opt(2028, 1, 10));
    let got = extract_return_date("Closed from 12/20 to 1/9, sorry.", &in_january);
    assert_eq!(got.as_ref().map(|r| r.date), NaiveDate::from_ymd_opt(2028, 1, 10));
    assert!(got
        .and_then(|r| r.away_from)
        .is_some_and(|from| chrono::Datelike::year(&from) == 2027));
    check(
        "休業中です。6/7(月)より営業を再開いたします。",
        Some("2027-06-07"),
    );
    // Dots touching Japanese write the month first; a regular closing day is a weekly one.
    check("6.11を臨時の休日とします。", Some("2027-06-14"));
    let weekly = extract_return_date(
        "当店の定休日は月曜日です。",
        &ctx("2027-06-02T09:00:00+02:00", None),
    );
    assert!(weekly.is_some_and(|r| r.weekly));
}

/// "A couple of" is two; whole days of hours are days.
#[test]
fn a_couple_and_hours() {
    check("Try me again in a couple of weeks.", Some("2027-06-16"));
    check("I'm away for a couple of days.", Some("2027-06-04"));
    check("Ich bin in 48 Stunden zurück.", Some("2027-06-04"));
    check("Back in 2 hours.", None);
}

/// "My vacation starts tomorrow" says when the absence begins, not when it ends.
#[test]
fn an_absence_that_starts_on_a_day() {
    check("My vacation starts tomorrow!", None);
    check("Mes vacances commencent demain.", None);
    check(
        "Meine Ferien beginnen morgen, zurück am 14. Juni.",
        Some("2027-06-14"),
    );
}

/// A day and a one-digit month with a dash after an operator ("t/m 11-6"), not an amount.
#[test]
fn dash_dates_with_a_short_month() {
    check("Ik ben op vakantie t/m 11-6.", Some("2027-06-14"));
    check("Estou de férias até 11-6.", Some("2027-06-14"));
    check("Ik ben er tot 3-4 weken niet.", None);
}

#[test]
fn an_end_then_a_reopening() {
    check(
        "夏休みのため6月11日まで営業し、6月21日から再び営業します。",
        Some("2027-06-21"),
    );
    check(
        "Closed until June 11, and from June 21 at the usual hours.",
        Some("2027-06-21"),
    );
    check(
        "Closed until June 11. From September 1 we have new prices.",
        Some("2027-06-14"),
    );
}

/// Chinese notices: the shared "6月15日" dates, "至" (until, and a range's link), weekdays,
/// "下周", numeral months, and the words of leave and return.
#[test]
fn chinese_notices() {
    check(
        "您好，我目前正在休假，将于6月15日返回办公室。",
        Some("2027-06-15"),
    );
    check("我6月7日至6月11日请假，期间无法回复邮件。", Some("2027-06-14"));
    check("您好，我出差中，下周一回来。", Some("2027-06-07"));
    // Mid-August names no day: no return date (the default pause).
    check("项目更新暂停至九月中旬。", None);
    check("项目更新暂停至9月16日。", Some("2027-09-17"));
    check("我已收到您的邮件，6月5日的会议没问题。", None);
}

/// A weekday beside an ambiguous numeric date tells day-first from month-first (2027-06-02
/// is a Wednesday: 7/6 is Monday 7 June day-first, Tuesday 6 July month-first).
#[test]
fn a_weekday_tells_the_order_of_a_numeric_date() {
    check("On leave from Monday 7/6 to Friday 11/6.", Some("2027-06-14"));
    check("On leave until 6/7 (Tue).", Some("2027-07-07"));
    check("On leave until Mon, 7/6.", Some("2027-06-08"));
}

/// A weekday named as the return the day before the day worked out from an end is the
/// writer's word; the reader's "see you" is no one else's return.
#[test]
fn a_named_weekday_return_beside_an_end() {
    check(
        "Off on a short trip. Please wait with questions until June 8. Talk to you when I am back on Tuesday.",
        Some("2027-06-08"),
    );
    check(
        "I'm away until Friday June 11. Back on Thursday.",
        Some("2027-06-14"),
    );
    check(
        "I'm away June 3 to June 8. I won't answer questions until Tuesday.",
        Some("2027-06-08"),
    );
}

/// "December 15." ends its sentence (English puts the day after the month); "15. Dezember"
/// does not (a German ordinal). The ask that follows is the writer's word on when to call.
#[test]
fn a_day_after_its_month_ends_a_sentence() {
    check("I'm away until June 15. Call me in July.", Some("2027-07-01"));
    check(
        "Maria is on holiday until June 15. I'm back on June 9.",
        Some("2027-06-09"),
    );
    check("Ich bin bis 15. Juni im Urlaub.", Some("2027-06-16"));
}

/// An auto-reply that speaks of its writer by name keeps the writer's return day, and so
/// does one from a sender of unknown name (a mailbox's notice after its thanks); the same
/// text from someone else, signed with another full name, is someone else's absence.
#[test]
fn the_writers_own_name_is_the_writer() {
    let text = "Thank you for your message. Peter Smith is out of the office until June 15.";
    let mut context = ctx("2027-06-02T09:00:00+02:00", None);
    assert_eq!(
        extract_return_date(text, &context).map(|r| r.date),
        NaiveDate::from_ymd_opt(2027, 6, 16)
    );
    context.writer_names = crate::dates::writer_names(Some("Anna Lee"), Some("anna.lee@example.com"));
    assert_eq!(extract_return_date(text, &context), None);
    context.writer_names = crate::dates::writer_names(Some("Peter Smith"), Some("p.smith@example.com"));
    assert_eq!(
        extract_return_date(text, &context).map(|r| r.date),
        NaiveDate::from_ymd_opt(2027, 6, 16)
    );
    assert_eq!(
        crate::dates::writer_names(Some("José Pérez"), Some("jose.perez@example.com")),
        vec!["jose".to_string(), "perez".to_string()]
    );
}

/// Korean notices: "6월 15일까지" (until), "부터" (from), weekdays, "다음 주", leave and return.
#[test]
fn korean_notices() {
    check("안녕하세요. 저는 6월 15일까지 휴가 중입니다.", Some("2027-06-16"));
    check(
        "현재 출장 중입니다. 다음 주 월요일에 복귀합니다.",
        Some("2027-06-07"),
    );
    check("6월 7일부터 6월 11일까지 연차입니다.", Some("2027-06-14"));
    check("감사합니다. 6월 5일 회의 좋습니다.", None);
}

/// Russian notices, read transliterated: "до 15 июня" (until), "с 7 по 11 июня", weekdays,
/// leave and return.
#[test]
fn russian_notices() {
    check("Здравствуйте! Я в отпуске до 15 июня.", Some("2027-06-16"));
    check(
        "Я в командировке с 7 по 11 июня, вернусь 14 июня.",
        Some("2027-06-14"),
    );
    check("Вернусь в понедельник.", Some("2027-06-07"));
    check("Спасибо, встреча 5 июня подходит.", None);
}

/// Two ends a day apart ("until the 8th" and "7-9"): "until" is often written loosely for
/// the day of return, so the earlier return is the one both statements allow.
#[test]
fn two_ends_a_day_apart_give_the_earlier_return() {
    check(
        "VACATION JUNE 7-9. I'm on vacation until June 8.",
        Some("2027-06-09"),
    );
    check(
        "Closed until June 14. We are closed from June 3 to June 13.",
        Some("2027-06-14"),
    );
}

/// The writer's return as the subject of a sentence that names its day ("mon retour est
/// prévu le 10 juin") is dated; "upon my return" is not. Someone named after a person noun
/// ("meine Kollegin Frau Meier ist") is someone else.
#[test]
fn a_return_named_as_a_subject_and_a_colleague_by_name() {
    check(
        "Je suis absent. Mon retour est prévu le 10 juin.",
        Some("2027-06-10"),
    );
    check("I am away. My return is planned for June 10.", Some("2027-06-10"));
    check(
        "Sono fuori ufficio. Il mio rientro è previsto per il 10 giugno.",
        Some("2027-06-10"),
    );
    check(
        "Ik ben afwezig. Mijn terugkeer is gepland op 10 juni.",
        Some("2027-06-10"),
    );
    check("I'm on leave and will reply upon my return. Sent June 1.", None);
    check("Meine Kollegin Frau Meier ist bis 15. Juni im Urlaub.", None);
    check("My colleague Jane Doe is on holiday until June 15.", None);
    check(
        "Ich bin nicht im Büro. Mein letzter Arbeitstag ist der 3. Juni, danach bin ich bis 20. Juni im Urlaub.",
        Some("2027-06-21"),
    );
}

/// "New Year" is New Year's Day except after "in" ("back in the new year"): a range or an
/// "until" ends at the turn of the year, not the end of the next one. A Portuguese or
/// Spanish break ("em recesso", "en receso") is an absence.
#[test]
fn new_year_and_year_end_breaks() {
    let dec = |text: &str, expected: &str| {
        let got = extract_return_date(text, &ctx("2026-12-15T09:00:00+01:00", None)).map(|r| r.date);
        assert_eq!(
            got,
            NaiveDate::parse_from_str(expected, "%Y-%m-%d").ok(),
            "text: {text:?}"
        );
    };
    dec("Our office is closed from Christmas to New Year.", "2027-01-04");
    dec(
        "Our office is closed between Christmas and New Years.",
        "2027-01-04",
    );
    dec("Ich bin bis zum neuen Jahr im Urlaub.", "2027-01-04");
    dec("Back in the new year.", "2027-01-01");
    dec(
        "Informamos que estaremos em recesso de 20/12 a 05/01.",
        "2027-01-06",
    );
    dec("Estamos en receso hasta el 7 de enero.", "2027-01-08");
}
/// An amount of time with no preposition is the length of an absence ("out 2 weeks", "zwei
/// Wochen im Urlaub", "fuera dos semanas"), but not time gone by ("2 weeks ago", "vor zwei
/// Wochen"). "The rest of the week" is this week. A day on which the writer sets off
/// ("leaving for vacation tomorrow") is when the absence begins, not a day away.
#[test]
fn bare_lengths_the_rest_of_the_week_and_setting_off() {
    check("I'll be out 2 weeks.", Some("2027-06-16"));
    check("Will be out 2-3 weeks, sorry.", Some("2027-06-23"));
    check("Ich bin zwei Wochen im Urlaub.", Some("2027-06-16"));
    check("Estaré fuera dos semanas.", Some("2027-06-16"));
    check("Je suis absent deux semaines.", Some("2027-06-16"));
    check("I was away 2 weeks ago, sorry for the delay.", None);
    check("Ich war vor zwei Wochen im Urlaub.", None);
    check("I'm out the rest of the week.", Some("2027-06-07"));
    check("Ich bin den Rest der Woche nicht im Büro.", Some("2027-06-07"));
    check("Estoy fuera el resto de la semana.", Some("2027-06-07"));
    check("I'm leaving for vacation tomorrow.", None);
    check("Domani parto per le ferie.", None);
    check("I'm on holiday tomorrow.", Some("2027-06-04"));
    check(
        "I'm leaving for vacation tomorrow, back on the 20th.",
        Some("2027-06-20"),
    );
}

/// A call-back that points back with "then" takes the day of the sentence before; one-word
/// summer breaks ("nach den Sommerferien") end with the summer.
#[test]
fn a_call_back_then_and_summer_breaks() {
    check(
        "We're in a budget freeze until January. Ping me then.",
        Some("2028-01-03"),
    );
    check(
        "Wir haben bis Oktober keine Kapazität. Melden Sie sich dann gerne wieder.",
        Some("2027-10-01"),
    );
    check("Melden Sie sich nach den Sommerferien.", Some("2027-09-01"));
    check("Contáctame de nuevo en septiembre.", Some("2027-09-01"));
    check("Please follow up at the end of Q3.", Some("2027-09-30"));
    check("Bitte melden Sie sich Mitte Q4.", Some("2027-11-15"));
    check(
        "We'll decide by end of Q3. Please follow up then.",
        Some("2027-09-30"),
    );
}

/// Brazilian Portuguese: "essa semana" is this week, and a weekday right after a return
/// verb ("volto segunda") is that day without "na" or "feira".
#[test]
fn colloquial_portuguese_weeks_and_weekdays() {
    check("Estou viajando essa semana.", Some("2027-06-07"));
    check("Estou fora, volto segunda.", Some("2027-06-07"));
    check("Estou de férias e retorno quinta.", Some("2027-06-03"));
    check("Ganhei a segunda edição do prêmio.", None);
}

/// French "je reviens le 27" is a return ("je reviens vers vous lundi", a promise to answer,
/// only beside an absence); "this week and next" runs to the end of next week.
#[test]
fn french_returns_and_this_week_and_next() {
    check("Je suis en vacances. Je reviens le 27 juin.", Some("2027-06-27"));
    check("Je reviendrai au bureau le 28 juin.", Some("2027-06-28"));
    check("Je reviens vers vous lundi avec une proposition.", None);
    check(
        "Estoy de vacaciones esta semana y la próxima.",
        Some("2027-06-14"),
    );
    check("I'm out this week and next.", Some("2027-06-14"));
    check(
        "Sono in ferie questa settimana e la prossima.",
        Some("2027-06-14"),
    );
}

/// A return negated until a day is the absence ("je ne suis pas de retour avant le 20",
/// "pas dispo avant lundi"); Dutch "pas weer" is "only again", no negation; a negated
/// single day ("pas dispo mardi, mais mercredi") is a person's agenda.
#[test]
fn negated_returns_until_a_day() {
    check("Je ne suis pas de retour avant le 20 juin.", Some("2027-06-20"));
    check("Je suis pas dispo avant lundi.", Some("2027-06-07"));
    check("Ik ben er pas weer op 20 juni.", Some("2027-06-20"));
    // "No vuelvo hasta el 20", "non torno fino a lunedì": not until, so on that day.
    check("No vuelvo hasta el 20 de junio.", Some("2027-06-20"));
    check("Non torno fino a lunedì.", Some("2027-06-07"));
    check("Ich bin nicht vor dem 20. Juni zurück.", Some("2027-06-20"));
    // Without the net, the days without it are away: "no tengo internet hasta el 20".
    check("No tengo internet hasta el 20 de junio.", Some("2027-06-21"));
}

/// Catalan: months, weekdays, "fins al" (until), "tornaré" (I'll be back), "tancats"
/// (closed); and the elided "d'" before a month in Catalan and French.
#[test]
fn catalan_notices_and_an_elided_de() {
    check("Estic de vacances fins al 24 de juny.", Some("2027-06-25"));
    check("Tornaré el dilluns 14 de juny.", Some("2027-06-14"));
    check("Estarem tancats del 3 al 24 d'agost.", Some("2027-08-25"));
    check("Nous sommes fermés du 3 au 24 d'août.", Some("2027-08-25"));
    check("Marc 2 is here, thanks.", None);
}

/// Italian Saturday and Sunday are weekdays too ("fino a domenica 20 giugno, rientro
/// lunedì" is back the Monday after); a farewell at a place ("see you in the office on
/// Monday") is a meeting, not a return.
#[test]
fn italian_weekends_and_farewells_at_a_place() {
    check(
        "Sarò in ferie fino a domenica 20 giugno, rientro lunedì.",
        Some("2027-06-21"),
    );
    check("See you in the office on Monday!", None);
    check("Ci vediamo in ufficio lunedì.", None);
    check("Arrivederci a settembre!", Some("2027-09-01"));
}

/// Weekday abbreviations of other languages count right before a date ("bis Mo., 14.06.",
/// "jusqu'au ven. 11/06", "hasta el vie. 11/06"), never alone ("I do. 13 people"); "bis
/// einschl. 11.6." takes in the day.
#[test]
fn abbreviated_weekdays_before_a_date() {
    check("Abwesend bis Mo., 14.06.", Some("2027-06-15"));
    check("Absent jusqu'au ven. 11/06.", Some("2027-06-14"));
    check("Fuera hasta el vie. 11/06.", Some("2027-06-14"));
    check("Estou fora até sex. 11/06.", Some("2027-06-14"));
    check("I do. 13 people agreed, I'm away.", None);
    check("Urlaub bis einschl. 11.6.", Some("2027-06-14"));
}

/// A writer there now who asks for something before an absence not yet begun, against a
/// notice to everyone that only says what the writer will do before leaving.
#[test]
fn acts_before_asks_the_reader() {
    reads(
        crate::dates::acts_before,
        &[
            "I'm off from Monday for two weeks, so please send me the order today and I'll approve it before I leave.",
            "Je pars en congés le 20 juillet : envoyez-moi le devis avant vendredi.",
            "Mándame el contrato antes del jueves, que el lunes me voy de vacaciones.",
            "Laten we het voor donderdag afronden, want vanaf maandag ben ik weg.",
        ],
        &[
            "I will be offline from 20 December to 3 January. I'll try to review everything before I leave.",
            "I'm on holiday from Monday until the 14th. Please contact my colleague.",
        ],
    );
}

/// Asserts that `reading` holds for every text of `yes` and for none of `no`.
fn reads(reading: fn(&str) -> bool, yes: &[&str], no: &[&str]) {
    for text in yes {
        assert!(reading(text), "{text}");
    }
    for text in no {
        assert!(!reading(text), "{text}");
    }
}

#[test]
fn the_owner_title_pattern_compiles() {
    // A pattern that fails to compile is `None` and lets every text through the gate.
    assert!(super::away::OWNER_TITLE_RE.is_some());
}

/// Mail read late or little, as a firm's notice says it. The pattern once held a backspace
/// where its word boundaries stood (written through an escaping script) and matched nothing.
#[test]
fn mail_limited_matches() {
    reads(
        crate::dates::mail_limited,
        &[
            "We have limited access to email this week.",
            "Wir sind bis Freitag nur eingeschränkt erreichbar.",
            "Accesso limitato alla posta fino al 9.",
            "Rispondiamo alle mail dal 7 gennaio.",
        ],
        &["Thanks, the limited edition sold out."],
    );
}

/// A relative or someone answering for the mailbox owner tells the owner's absence.
#[test]
fn written_on_behalf() {
    reads(
        crate::dates::written_on_behalf,
        &[
            "Hello, I'm replying on behalf of Margaret, who is away.",
            "Hi, this is Laura, Mark's wife. He is in hospital.",
            "Bonjour, je suis la fille de M. Dubreuil.",
            "Buonasera, sono la moglie dell'ing. Ferraris.",
            "Boa noite, sou filho do Sr. Wagner.",
            "Goedemiddag, ik ben de dochter van meneer Jansen.",
            "Guten Tag, ich bin die Tochter von Herrn Krause.",
            "Hola, soy la hija de Don Ramón.",
        ],
        &[
            "My colleague Anna is on leave until Monday; I can help you.",
            "I was away on behalf of the company last week.",
        ],
    );
}
