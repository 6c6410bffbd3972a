use leptos::prelude::*;

use crate::components::Term;

/// A labelled figure. The text shown is rounded for people; `value` keeps the
/// engine's full-precision figure in `data-value`, which the tests compare.
/// Either may be a signal: the figure then updates in place.
#[component]
pub fn Figure(
    /// What the figure is, in the domain's words.
    label: &'static str,
    /// The rounded text shown.
    #[prop(into)]
    shown: Signal<String>,
    /// The engine's full value.
    #[prop(into)]
    value: Signal<String>,
    /// A stable hook for tests.
    test_id: &'static str,
    /// An explanation shown on hover.
    #[prop(optional)]
    hint: &'static str,
    /// The glossary entry the label names, defined on hover and focus.
    #[prop(optional)]
    term: Option<&'static str>,
) -> impl IntoView {
    let label = match term {
        Some(id) => view! { <Term id>{label}</Term> }.into_any(),
        None => label.into_any(),
    };
    view! {
        <div class="figure" title=hint>
            <span class="figure-label">{label}</span>
            <span class="figure-value" data-testid=test_id data-value=value>{shown}</span>
        </div>
    }
}
