//! `docs/ocsf.md` holds the mapping table generated from the mapping files:
//! this test fails when they part. `UPDATE_OCSF_DOCS=1 cargo test -p
//! aperture-events-ocsf --test docs` rewrites the generated part.

mod common;

const START: &str = "<!-- generated from ocsf/mapping by `UPDATE_OCSF_DOCS=1 cargo test -p aperture-events-ocsf --test docs`: do not edit -->\n";
const END: &str = "<!-- end of the generated mapping -->";

#[test]
fn docs_ocsf_md_shows_the_mapping_as_it_is() {
    let path = common::repo().join("docs/ocsf.md");
    let page = std::fs::read_to_string(&path).expect("docs/ocsf.md");
    let (head, rest) = page.split_once(START).expect("the start marker");
    let (_, tail) = rest.split_once(END).expect("the end marker");
    let fresh = format!(
        "{head}{START}{}{END}{tail}",
        aperture_events_ocsf::docs::mapping_markdown()
    );
    if std::env::var_os("UPDATE_OCSF_DOCS").is_some() {
        std::fs::write(&path, &fresh).expect("write docs/ocsf.md");
    } else {
        assert!(
            page == fresh,
            "docs/ocsf.md is stale: run UPDATE_OCSF_DOCS=1 cargo test -p aperture-events-ocsf --test docs"
        );
    }
}
