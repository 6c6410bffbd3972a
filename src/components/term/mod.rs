//! A term on screen with its glossary definition, shown on hover and on
//! keyboard focus, and announced by screen readers (`aria-describedby`).

use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::prelude::*;

use crate::glossary;

/// Distinct element ids for each definition on a page.
static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

/// `children` (the words on screen) marked as the glossary term `id`. An id
/// missing from the glossary shows the words plainly (and fails the tests
/// that check every term on the page is defined).
///
/// ```ignore
/// view! { <Term id="health-factor">"Health factor"</Term> }
/// ```
#[component]
pub fn Term(
    /// The glossary entry's id (`glossary::GLOSSARY`).
    id: &'static str,
    children: Children,
) -> impl IntoView {
    let tip_id = format!("term-{id}-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed));
    let definition = glossary::entry(id).map(|e| e.definition);
    view! {
        <span class="term">
            <span
                class="term-label"
                role="term"
                tabindex="0"
                data-term=id
                aria-describedby=definition.map(|_| tip_id.clone())
            >
                {children()}
            </span>
            {definition.map(|d| view! { <span class="term-tip" role="tooltip" id=tip_id data-testid="term-definition">{d}</span> })}
        </span>
    }
}
