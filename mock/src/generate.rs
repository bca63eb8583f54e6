//! A stream of synthetic, unique events for seeding the mock.
//!
//! They follow the shapes seen in real traffic (see
//! `shared/reference/observed-payloads.md`): float severities, upper-case
//! exposure, nulls and empty strings where real servers send them, and a
//! 24-hex identifier that makes every event distinct. The data is made up
//! (example.com addresses, documentation IP ranges).

/// `count` distinct events, numbered from `first`, dated on 2026-01-01.
pub fn generate(first: u64, count: u64) -> Vec<Vec<u8>> {
    (first..first + count)
        .map(|n| {
            let secs = n % 86_400;
            let ts = format!(
                "2026-01-01T{:02}:{:02}:{:02}Z",
                secs / 3600,
                secs / 60 % 60,
                secs % 60
            );
            event(n, &ts)
        })
        .collect()
}

/// `count` distinct events, numbered from `first`, stamped `at` (whole
/// seconds, as the API sends them): events that arrive as the mock runs ([`crate::MockConfig::arrival_rate`]).
pub fn generate_at(first: u64, count: u64, at: std::time::SystemTime) -> Vec<Vec<u8>> {
    let ts = chrono::DateTime::<chrono::Utc>::from(at)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    (first..first + count).map(|n| event(n, &ts)).collect()
}

fn event(n: u64, ts: &str) -> Vec<u8> {
    let id = format!("{:024x}", n.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ n);
    let text = match n % 4 {
        0 | 1 => format!(
            r#"{{"log_type":"activity_monitoring","item_type":"file","item_name":"report-{n}.xlsx","item_unique_id":"{id}","user":"user{u}@example.com","source_ip":"198.51.100.{ip}","location":"Lisbon, Portugal","action":"preview","target_name":null,"target_type":"","serial":null,"cloud_app_instance":"Box Corp","timestamp":"{ts}"}}"#,
            u = n % 97,
            ip = n % 250 + 1
        ),
        2 => format!(
            r#"{{"log_type":"incident","incident_id":"{id}","asset_id":"{id}","severity":{sev}.0,"exposure":"INTERNAL","item_type":"File","item_name":"contract-{n}.pdf","item_owner":"owner{u}@example.com","collaborators":"","policy_rule_name":"PII","occurrences_by_rule":{occ},"serial":null,"cloud_app_instance":"Google Drive","timestamp":"{ts}","incident_category":null,"incident_owner":null}}"#,
            sev = n % 6,
            u = n % 31,
            occ = n % 9 + 1
        ),
        _ => format!(
            r#"{{"log_type":"admin_audit","admin_id":"admin{u}@example.com","admin_role":"admin","ip":"203.0.113.{ip}","event_type":"login","action":"sign_in","item_type":"user","item_name":"admin{u}@example.com","field":null,"resource_value_old":null,"resource_value_new":null,"serial":"{n}","timestamp":"{ts}"}}"#,
            u = n % 7,
            ip = n % 250 + 1
        ),
    };
    text.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::generate;

    #[test]
    fn events_are_distinct_json_lines() {
        let events = generate(1, 500);
        let unique: std::collections::HashSet<_> = events.iter().collect();
        assert_eq!(unique.len(), 500);
        for e in &events {
            assert!(!e.contains(&b'\n'));
            let v: serde_json::Value = serde_json::from_slice(e).unwrap();
            assert!(v["log_type"].is_string() && v["timestamp"].is_string());
        }
    }
}
