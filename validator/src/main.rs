//! `aperture-validate`.

fn main() {}
