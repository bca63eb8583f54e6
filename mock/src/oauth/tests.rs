use super::*;
use crate::MockClient;

fn config(strict: bool) -> MockConfig {
    MockConfig {
        clients: vec![MockClient::new("a", "x"), MockClient::new("b c", "y:z")],
        strict_token_requests: strict,
        ..MockConfig::default()
    }
}

fn basic(id: &str, secret: &str) -> String {
    let raw = format!("{id}:{secret}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

fn ask(
    strict: bool,
    auth: Option<&str>,
    content_type: Option<&str>,
    query: Option<&str>,
    body: &str,
) -> Result<usize, (u16, &'static str)> {
    decide(
        &config(strict),
        &TokenRequest {
            authorization: auth.map(str::as_bytes),
            content_type: content_type.map(str::as_bytes),
            query,
            body: body.as_bytes(),
        },
    )
    .map_err(|e| (e.status, e.error))
}

const FORM: Option<&str> = Some("application/x-www-form-urlencoded");
const DOCUMENTED: &str = "grant_type=client_credentials&scope=api_access";

#[test]
fn every_published_shape_is_accepted() {
    let a = basic("a", "x");
    assert_eq!(ask(false, Some(&a), FORM, None, DOCUMENTED), Ok(0));
    assert_eq!(ask(false, Some(&a), None, Some(DOCUMENTED), ""), Ok(0));
    assert_eq!(
        ask(
            false,
            Some(&a),
            Some("application/x-www-form-urlencoded;;charset"),
            Some(DOCUMENTED),
            ""
        ),
        Ok(0)
    );
    assert_eq!(ask(false, Some(&a), None, None, DOCUMENTED), Ok(0));
    assert_eq!(
        ask(
            false,
            None,
            FORM,
            None,
            "grant_type=client_credentials&scope=api_access&client_id=b+c&client_secret=y%3Az"
        ),
        Ok(1)
    );
    assert_eq!(
        ask(
            false,
            Some(&a),
            FORM,
            None,
            "grant_type=client_credentials&scope=incident_api+api_access+remediation_api"
        ),
        Ok(0)
    );
    // A secret holding a colon, and RFC 6749's form-encoded Basic credentials.
    assert_eq!(
        ask(false, Some(&basic("b c", "y:z")), FORM, None, DOCUMENTED),
        Ok(1)
    );
    assert_eq!(
        ask(false, Some(&basic("b+c", "y%3Az")), FORM, None, DOCUMENTED),
        Ok(1)
    );
    // The body wins over the query string.
    assert_eq!(
        ask(
            false,
            Some(&a),
            FORM,
            Some("grant_type=password"),
            DOCUMENTED
        ),
        Ok(0)
    );
}

#[test]
fn errors_are_rfc_6749_codes() {
    let a = basic("a", "x");
    assert_eq!(
        ask(false, Some(&basic("a", "no")), FORM, None, DOCUMENTED),
        Err((401, "invalid_client"))
    );
    assert_eq!(
        ask(false, Some("Basic !!!"), FORM, None, DOCUMENTED),
        Err((401, "invalid_client"))
    );
    assert_eq!(
        ask(false, None, FORM, None, DOCUMENTED),
        Err((401, "invalid_client"))
    );
    assert_eq!(
        ask(false, Some(&a), FORM, None, "scope=api_access"),
        Err((400, "invalid_request"))
    );
    assert_eq!(
        ask(
            false,
            Some(&a),
            FORM,
            None,
            "grant_type=password&scope=api_access"
        ),
        Err((400, "unsupported_grant_type"))
    );
    assert_eq!(
        ask(
            false,
            Some(&a),
            FORM,
            None,
            "grant_type=refresh_token&scope=api_access"
        ),
        Err((400, "invalid_grant"))
    );
    assert_eq!(
        ask(
            false,
            Some(&a),
            FORM,
            None,
            "grant_type=client_credentials&scope=incident_api"
        ),
        Err((400, "invalid_scope"))
    );
    assert_eq!(
        ask(false, Some(&a), FORM, None, "grant_type=client_credentials"),
        Err((400, "invalid_scope"))
    );
    let denied = MockConfig {
        grant_scope: false,
        ..config(false)
    };
    let req = TokenRequest {
        authorization: Some(a.as_bytes()),
        content_type: FORM.map(str::as_bytes),
        query: None,
        body: DOCUMENTED.as_bytes(),
    };
    let err = decide(&denied, &req).unwrap_err();
    assert_eq!((err.status, err.error), (400, "invalid_scope"));
    let body: serde_json::Value = serde_json::from_str(&err.body()).unwrap();
    assert_eq!(body["error"], "invalid_scope");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("not granted")
    );
}

#[test]
fn strict_mode_accepts_only_the_documented_shape() {
    let a = basic("a", "x");
    assert_eq!(
        ask(
            true,
            Some(&a),
            Some("Application/X-WWW-Form-URLEncoded; charset=UTF-8"),
            None,
            DOCUMENTED
        ),
        Ok(0)
    );
    assert_eq!(
        ask(true, Some(&a), None, None, DOCUMENTED),
        Err((400, "invalid_request"))
    );
    assert_eq!(
        ask(true, Some(&a), Some("text/plain"), None, DOCUMENTED),
        Err((400, "invalid_request"))
    );
    assert_eq!(
        ask(true, Some(&a), FORM, Some(DOCUMENTED), ""),
        Err((400, "invalid_request"))
    );
    assert_eq!(
        ask(
            true,
            Some(&a),
            FORM,
            None,
            "grant_type=client_credentials&scope=api_access&scope=x"
        ),
        Err((400, "invalid_request"))
    );
    assert_eq!(
        ask(
            true,
            None,
            FORM,
            None,
            "grant_type=client_credentials&scope=api_access&client_id=a&client_secret=x"
        ),
        Err((401, "invalid_client"))
    );
}
