//! The types generated from the edited schema know the extra field and the
//! extra verdict; the stock types keep them too, as an unknown field and an
//! unknown value, so both round-trip the same event.

use aperture_events_downstream::events::{self, ItemVerdict, LogEvent};
use serde_json::json;

fn event() -> serde_json::Value {
    json!({
        "log_type": "incident",
        "incident_id": "5eb5ed492021c32b37588a6c",
        "timestamp": "2020-05-08T23:50:55Z",
        "severity": 1.0,
        "item_verdict": "grayware",
        "ticket_id": "T-42",
        "unlisted": [1, 2]
    })
}

#[test]
fn edited_types_know_the_extra_field_and_value() {
    let parsed: LogEvent = serde_json::from_value(event()).expect("accepted");
    let LogEvent::Incident(incident) = &parsed else {
        panic!("an incident: {parsed:?}")
    };
    assert_eq!(incident.ticket_id.as_deref(), Some("T-42"));
    assert_eq!(incident.item_verdict, Some(ItemVerdict::Grayware));
    assert!(
        incident
            .item_verdict
            .as_ref()
            .is_some_and(ItemVerdict::is_known)
    );
    assert_eq!(incident.extras.keys().collect::<Vec<_>>(), ["unlisted"]);
    let back = serde_json::to_value(&parsed).expect("serialize");
    assert_eq!(back["ticket_id"], "T-42");
    assert_eq!(back["item_verdict"], "grayware");
    assert_eq!(back["unlisted"], json!([1, 2]));
}

#[test]
fn a_fixed_pair_is_a_checked_tuple() {
    let mut sent = event();
    sent["escalated_to"] = json!(["soc-2", "10.1.2.3"]);
    let parsed: LogEvent = serde_json::from_value(sent.clone()).expect("accepted");
    let LogEvent::Incident(incident) = &parsed else {
        panic!("an incident: {parsed:?}")
    };
    let (team, address) = incident.escalated_to.as_ref().expect("escalated").get();
    assert_eq!(team.get(), "soc-2");
    assert_eq!(*address.get(), std::net::Ipv4Addr::new(10, 1, 2, 3));
    assert_eq!(serde_json::to_value(&parsed).expect("serialize"), sent);
    for wrong in [
        json!(["", "10.1.2.3"]),
        json!(["soc-2", "10.1.2"]),
        json!(["soc-2", "010.1.2.3"]),
        json!(["soc-2"]),
        json!(["soc-2", "10.1.2.3", "x"]),
    ] {
        let mut event = event();
        event["escalated_to"] = wrong.clone();
        assert!(
            serde_json::from_value::<LogEvent>(event).is_err(),
            "accepted {wrong}"
        );
    }
}

#[test]
fn the_extra_field_is_typed_in_the_edited_types() {
    let mut wrong = event();
    wrong["ticket_id"] = json!(42);
    let error = serde_json::from_value::<LogEvent>(wrong).expect_err("a number is not a ticket id");
    assert!(error.to_string().contains("`ticket_id`"), "{error}");
}

#[test]
fn stock_types_keep_the_same_event_as_unknown_field_and_value() {
    let stock: aperture_events::LogEvent = serde_json::from_value(event()).expect("accepted");
    let aperture_events::LogEvent::Incident(incident) = &stock else {
        panic!("an incident")
    };
    assert_eq!(incident.extras.get("ticket_id"), Some(&json!("T-42")));
    assert_eq!(
        incident.item_verdict,
        Some(aperture_events::ItemVerdict::from("grayware"))
    );
    assert_eq!(
        serde_json::to_value(&stock).expect("stock"),
        serde_json::to_value(serde_json::from_value::<LogEvent>(event()).expect("edited"))
            .expect("edited"),
        "both sets of types give back the same JSON"
    );
}

#[test]
fn the_other_stock_types_are_generated_unchanged() {
    let activity: events::ActivityMonitoring = serde_json::from_value(json!({
        "log_type": "activity_monitoring", "timestamp": "2017-02-17T00:18:58.961Z", "item_type": "file"
    }))
    .expect("accepted");
    assert_eq!(activity.item_type, Some(events::ItemType::File));
    assert_eq!(activity.item_type_spelling(), Some("file"));
    assert_eq!(activity.timestamp.as_str(), "2017-02-17T00:18:58.961Z");
    assert!(events::is_valid_date_time("2017-02-17T00:18:58Z"));
}

#[test]
fn readme_shows_this_build_script_verbatim() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let build = std::fs::read_to_string(root.join("build.rs")).expect("build.rs");
    let readme = std::fs::read_to_string(root.join("../../README.md")).expect("README.md");
    // Every fenced rust block of the README, trimmed; the build script must be one of them.
    let blocks: Vec<String> = readme
        .split("```")
        .skip(1)
        .step_by(2)
        .filter_map(|block| {
            block
                .strip_prefix("rust\n")
                .or_else(|| block.strip_prefix("rust,no_run\n"))
        })
        .map(|block| block.trim().to_owned())
        .collect();
    assert!(
        blocks.iter().any(|b| b == build.trim()),
        "README.md has no ```rust block equal to tests/downstream/build.rs; paste the build script into README.md"
    );
}
