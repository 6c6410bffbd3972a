//! The Glossary page: every term the app uses, with the definition its
//! on-screen tooltips show (one table, `crate::glossary`).

use leptos::prelude::*;

use crate::glossary::GLOSSARY;

#[component]
pub fn GlossaryPage() -> impl IntoView {
    view! {
        <section class="glossary" data-testid="glossary">
            <h2>"Glossary"</h2>
            <p class="muted">"The words Ballast uses, as it uses them. Hover or focus a dotted term anywhere in the app for the same definition."</p>
            <dl>
                {GLOSSARY
                    .iter()
                    .map(|e| {
                        view! {
                            <div class="glossary-entry" id=e.id data-term=e.id>
                                <dt><dfn>{e.term}</dfn></dt>
                                <dd data-testid="glossary-definition">{e.definition}</dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
        </section>
    }
}
