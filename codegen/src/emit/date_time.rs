//! The date-time type: the runtime's `Timestamp` under the module's name
//! for it, with the one validity rule, `is_valid_date_time` (jsonschema's,
//! which the validator registers too: the types and the validator agree by
//! construction).

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, ident};

/// The re-export of the runtime's date-time type, its error and its rule.
pub(super) fn emit(ctx: &Ctx<'_>) -> TokenStream {
    let name = ident(&ctx.module.date_time_name);
    let invalid = ident(&crate::names::invalid_date_time(&ctx.module.date_time_name));
    let runtime = &ctx.runtime;
    quote! {
        /// An instant: an RFC 3339 date-time (`format: date-time`), kept exactly
        /// as received together with its parsed value (the runtime's `Timestamp`).
        pub use #runtime::Timestamp as #name;

        /// A string that is not an RFC 3339 date-time (the error of `FromStr`).
        pub use #runtime::InvalidTimestamp as #invalid;

        /// Whether `text` is a valid `format: date-time` string, as the validator decides.
        pub use #runtime::is_valid_date_time;
    }
}
