//! `aperture-capture`.

fn main() {}
