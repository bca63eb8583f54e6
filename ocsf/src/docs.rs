pub fn table() -> String {
    String::new()
}
