//! Hand-written helpers for [`ItemSize`], which arrives as a string of digits
//! (as documented) or as a JSON number (as sent).

use crate::ItemSize;

impl ItemSize {
    /// The size in bytes, whichever form it arrived in; `None` for a string
    /// that is not a plain decimal number.
    ///
    /// ```
    /// use aperture_events::ItemSize;
    /// assert_eq!(ItemSize::Integer(1335).bytes(), Some(1335));
    /// assert_eq!(ItemSize::String("1335".into()).bytes(), Some(1335));
    /// assert_eq!(ItemSize::String("1.3 KB".into()).bytes(), None);
    /// ```
    pub fn bytes(&self) -> Option<u64> {
        match self {
            ItemSize::Integer(bytes) => Some(*bytes),
            ItemSize::String(text)
                if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) =>
            {
                text.parse().ok()
            }
            ItemSize::String(_) => None,
        }
    }
}
