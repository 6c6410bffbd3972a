//! The app shell: header with the data source, and the Plan page on the
//! embedded snapshot.

use leptos::prelude::*;

use crate::components::DataSourceBadge;
use crate::data_source::DataSource;
use crate::pages::plan::PlanPage;
use crate::snapshot_source::load_snapshot;

#[component]
pub fn App() -> impl IntoView {
    let snapshot = LocalResource::new(load_snapshot);
    let source = Signal::derive(move || match snapshot.get() {
        None => DataSource::Loading,
        Some(Ok(s)) => DataSource::Snapshot { taken_at: s.taken_at.clone() },
        Some(Err(_)) => DataSource::Unavailable,
    });
    let notice = move || snapshot.get().and_then(Result::ok).map(|s| s.notice.clone());

    view! {
        <header class="app-header">
            <span class="brand">"Ballast"</span>
            <nav><span class="nav-current">"Plan"</span></nav>
            <DataSourceBadge source />
        </header>
        <main>
            <p class="notice" data-testid="snapshot-notice">{notice}</p>
            <Suspense fallback=|| view! { <p class="loading">"Loading the demo snapshot…"</p> }>
                <ErrorBoundary fallback=|errors| {
                    view! {
                        <div class="error" role="alert" data-testid="load-error">
                            {move || errors.get().into_iter().map(|(_, e)| view! { <p>{e.to_string()}</p> }).collect_view()}
                        </div>
                    }
                }>
                    {move || Suspend::new(async move { snapshot.await.map(|s| view! { <PlanPage snapshot=s /> }) })}
                </ErrorBoundary>
            </Suspense>
        </main>
        <footer class="app-footer">
            "Ballast runs entirely in your browser. Every figure comes from the same engine as the "
            <code>"ballast"</code>
            " command line."
        </footer>
    }
}
