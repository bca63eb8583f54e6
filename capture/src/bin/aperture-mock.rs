//! `aperture-mock`.

fn main() {}
