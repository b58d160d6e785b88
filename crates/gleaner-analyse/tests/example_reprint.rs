//! The analysis of the shared example reprint (`../shared/spec/example-reprint.txt`),
//! as the understanding issue and the record spec describe it.

use gleaner_analyse::analyse;

fn body() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/spec/example-reprint.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let start = text.find("Authorities in North Korea").expect("the article body");
    text[start..].to_string()
}

#[test]
fn places_times_figures_and_speakers() {
    let text = body();
    let a = analyse(&text, Some("2020-12-19"));

    // Places geocoded in North Korea.
    for name in ["Hyesan", "Ryanggang"] {
        let e = a
            .entities
            .iter()
            .find(|e| e.text == name)
            .unwrap_or_else(|| panic!("{name} not found"));
        assert_eq!(e.label, "PLACE");
        let p = e.place.as_ref().unwrap();
        assert_eq!(p.country.as_deref(), Some("KP"), "{name}");
    }
    let hyesan = a
        .entities
        .iter()
        .find(|e| e.text == "Hyesan")
        .unwrap()
        .place
        .clone()
        .unwrap();
    assert!((hyesan.lat - 41.4).abs() < 0.1 && (hyesan.lon - 128.18).abs() < 0.1);
    // Demonym → GROUP with the country linked.
    let nk = a.entities.iter().find(|e| e.text == "North Korean").unwrap();
    assert_eq!(nk.label, "GROUP");
    assert_eq!(nk.place.as_ref().unwrap().country.as_deref(), Some("KP"));
    assert!(a
        .entities
        .iter()
        .any(|e| e.text == "Kim Jong Un" && e.label == "PERSON"));
    let epithet = a
        .entities
        .iter()
        .find(|e| e.text.contains("Highest Dignity"))
        .expect("the honorific");
    assert_eq!(epithet.label, "PERSON");
    assert_eq!(epithet.refers_to.as_deref(), Some("Kim Jong Un"));

    // Times.
    let time = |t: &str| a.times.iter().find(|x| x.text == t).map(|x| x.value.clone());
    assert_eq!(time("Dec. 5").as_deref(), Some("2020-12-05"));
    assert_eq!(time("last month").as_deref(), Some("2020-11"));
    assert_eq!(time("In April").as_deref(), Some("2020-04"));

    // Figures.
    let q = |t: &str| a.quantities.iter().find(|x| x.text == t).cloned();
    let mile = q("880-mile").unwrap();
    assert_eq!((mile.value, mile.unit.as_deref()), (880.0, Some("mi")));
    assert_eq!(mile.si.as_ref().map(|s| s.unit.as_str()), Some("km"));
    let usd = q("U.S. $6.5 million").unwrap();
    assert_eq!((usd.value, usd.unit.as_deref()), (6_500_000.0, Some("USD")));
    assert_eq!(q("200,000").unwrap().value, 200_000.0);

    // Quotes: every one attributed; two anonymous residents as two speakers.
    assert_eq!(a.quotes.len(), 8);
    assert!(a.quotes.iter().all(|q| q.speaker.is_some() && q.anonymous));
    let first = &a.quotes[0];
    assert!(first.text.starts_with("Since last month"));
    assert_eq!(
        first.speaker.as_deref(),
        Some("a resident of Ryanggang province in the country\u{2019}s central northern region")
    );
    assert_eq!(first.told_to.as_deref(), Some("RFA\u{2019}s Korean Service"));
    assert_eq!(first.told_on.as_deref(), Some("2020-12-05"));
    let ids: Vec<&str> = a.quotes.iter().map(|q| q.speaker_id.as_deref().unwrap()).collect();
    assert_eq!(&ids[..5], ["s1"; 5]);
    assert_eq!(&ids[5..7], ["s2"; 2], "\"the second source\" is the other resident");
    let distinct: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(distinct.len(), 2);
}

#[test]
fn events_with_evidence_and_no_event_for_the_confession_offer() {
    let text = body();
    let a = analyse(&text, Some("2020-12-19"));
    let find = |kind: &str, subtype: &str, evidence: &str| {
        a.events
            .iter()
            .find(|e| e.kind == kind && e.subtype.as_deref() == Some(subtype) && e.evidence.contains(evidence))
            .unwrap_or_else(|| panic!("no {kind}/{subtype} event in a sentence with {evidence:?}"))
    };
    let closure = find("movement_restriction", "border_closure", "closed their 880-mile border");
    assert_eq!(closure.date.as_deref(), Some("2020-01"));
    let extension = find("policy_measure", "extension", "emergency quarantine posture");
    assert_eq!(extension.date.as_deref(), Some("2020-04"));
    let aa = find("security_deployment", "air_defence", "anti-aircraft");
    assert_eq!(aa.date.as_deref(), Some("2020-11"));
    let lockdown = find("movement_restriction", "lockdown", "sealed off the entire city");
    assert_eq!(lockdown.date.as_deref(), Some("2020-11"));
    find("crime_incident", "smuggling", "smuggle gold bars");
    find("arrest_detention", "detention", "After detaining one of the soldiers");
    let execution = find(
        "violence_against_civilians",
        "execution",
        "publicly executed a smuggler",
    );
    assert_eq!(execution.date.as_deref(), Some("2020-11"));
    assert_eq!(execution.target.as_deref(), Some("a smuggler"));
    find(
        "policy_measure",
        "threat_of_punishment",
        "threatening harsh punishments",
    );
    // Evidence spans point at the evidence sentence.
    let chars: Vec<char> = text.chars().collect();
    for e in &a.events {
        let got: String = chars[e.evidence_span[0]..e.evidence_span[1]].iter().collect();
        assert_eq!(got, e.evidence);
    }
    // "The authorities say they will go easy on anyone who confesses" is not an event.
    assert!(
        !a.events.iter().any(|e| e.evidence.contains("go easy")),
        "the confession offer is not an event"
    );
}
