use leptos::prelude::*;

use crate::data_source::DataSource;

/// The header badge saying where the numbers come from.
#[component]
pub fn DataSourceBadge(#[prop(into)] source: Signal<DataSource>) -> impl IntoView {
    view! {
        <span
            class=move || source.read().css_class()
            title=move || source.read().explanation()
            data-testid="data-source"
        >
            {move || source.read().badge()}
        </span>
    }
}
