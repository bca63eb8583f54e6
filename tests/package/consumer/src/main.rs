//! A user's crate, built outside the repository against the packaged crates:
//! its build.rs and src/lib.rs (the README's, verbatim) lays an edited incident schema over
//! the stock ones; the new field and the new value are typed here, and the
//! checks that need the runtime's features (`pattern`, `email`, `uri`,
//! `multipleOf`, added to the copy by run.sh) hold.

use aperture_consumer::events::{ItemVerdict, LogEvent};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let line = r#"{"log_type": "incident", "incident_id": "5eb5ed492021c32b37588a6c",
        "timestamp": "2020-05-08T23:50:55Z", "severity": 1.0,
        "item_verdict": "grayware", "ticket_id": "T-42"}"#;
    let event: LogEvent = serde_json::from_str(line)?;
    let LogEvent::Incident(incident) = &event else {
        return Err(format!("not an incident: {event:?}").into());
    };
    // The edited schema's new field and new value are typed, not extras.
    if incident.ticket_id.as_deref() != Some("T-42") {
        return Err(format!("ticket_id: {:?}", incident.ticket_id).into());
    }
    if incident.item_verdict != Some(ItemVerdict::Grayware) {
        return Err(format!("item_verdict: {:?}", incident.item_verdict).into());
    }
    // The stock parts still check: a number is no ticket id.
    let wrong = line.replace("\"T-42\"", "42");
    if serde_json::from_str::<LogEvent>(&wrong).is_ok() {
        return Err("a number was accepted as a ticket id".into());
    }
    let back: serde_json::Value = serde_json::to_value(&event)?;
    let sent: serde_json::Value = serde_json::from_str(line)?;
    if back["ticket_id"] != sent["ticket_id"] || back["item_verdict"] != sent["item_verdict"] {
        return Err(format!("round trip: {back}").into());
    }
    // A checked construct from the edited schema: a fixed pair is a tuple,
    // its address std's type, and a wrong pair is refused.
    let escalated = line.replace("\"T-42\"", "\"T-42\", \"escalated_to\": [\"soc-2\", \"10.1.2.3\"]");
    let LogEvent::Incident(incident) = serde_json::from_str::<LogEvent>(&escalated)? else {
        return Err("not an incident".into());
    };
    let (team, address) = incident.escalated_to.as_ref().ok_or("no escalated_to")?.get();
    if team.get() != "soc-2" || *address.get() != std::net::Ipv4Addr::new(10, 1, 2, 3) {
        return Err(format!("escalated_to: {:?}", incident.escalated_to).into());
    }
    if serde_json::from_str::<LogEvent>(&escalated.replace("10.1.2.3", "10.1.2")).is_ok() {
        return Err("an address with three parts was accepted".into());
    }
    // The checks needing the runtime's features: `pattern`, `email`, `uri`, `multipleOf`.
    let checked = line.replace(
        "\"T-42\"",
        "\"T-42\", \"case_ref\": \"CASE-7\", \"reporter\": \"soc@example.com\", \"runbook\": \"https://example.com/rb\", \"risk_step\": 1.75",
    );
    serde_json::from_str::<LogEvent>(&checked)?;
    for (good, bad) in [
        ("CASE-7", "CASE-x"),
        ("soc@example.com", "soc@@example.com"),
        ("https://example.com/rb", "no scheme"),
        ("1.75", "1.8"),
    ] {
        if serde_json::from_str::<LogEvent>(&checked.replace(good, bad)).is_ok() {
            return Err(format!("{bad:?} was accepted").into());
        }
    }
    println!("consumer ok: ticket_id, grayware, the escalation pair and the runtime's checks typed from the edited schema");
    Ok(())
}
