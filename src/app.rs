//! The app shell: header with the navigation, data source and wallet, and one
//! page on the embedded snapshot. Each page is its own wasm (a bin in
//! `src/bin/`, the Plan page's is `src/main.rs`) that links the shell and only
//! its own page, so a first visit downloads one page, not all of them.

use leptos::prelude::*;

use crate::components::DataSourceBadge;
use crate::data_source::DataSource;
use crate::pages::{Page, VIEW_PARAM};
use crate::snapshot_source::load_snapshot;
use crate::url_state::url_with_param;
use crate::wallet::{Wallet, WalletButton};
use ballast_core::Snapshot;

/// The navigation: one link per page. Following one loads the document again
/// with `?view=` changed and the rest of the address kept, so the page's loader
/// fetches only that page's wasm; Back, reload and bookmarks land on the same page.
/// What crosses pages already lives in the address and `localStorage`.
#[component]
fn Nav(page: Page) -> impl IntoView {
    view! {
        <nav aria-label="Pages">
            {Page::ALL
                .iter()
                .map(|&p| {
                    let current = p == page;
                    view! {
                        <a
                            href=url_with_param(VIEW_PARAM, p.slug())
                                .unwrap_or_else(|| format!("?{VIEW_PARAM}={}", p.slug()))
                            class:nav-current=current
                            aria-current=current.then_some("page")
                            data-testid=format!("nav-{}", p.slug())
                            on:click=move |ev| {
                                // The address may have changed since render (plan edits, watched
                                // addresses); follow it as it is now.
                                ev.prevent_default();
                                if p != page {
                                    if let Some(url) = url_with_param(VIEW_PARAM, p.slug()) {
                                        if let Some(w) = web_sys::window() {
                                            let _ = w.location().assign(&url);
                                        }
                                    }
                                }
                            }
                        >
                            {p.title()}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// Whether live data is on, for the header's data-source badge.
#[derive(Debug, Clone, Copy)]
pub struct LiveData(pub RwSignal<bool>);

/// How a page's bin renders its page once the snapshot is in. A plain function
/// pointer: the shell stays one non-generic copy, and only the bin naming a page
/// links that page's code.
pub type RenderPage = fn(Snapshot) -> AnyView;

/// The shell around one page: `page` is the page this wasm holds (its nav link
/// is marked current), `render` draws it.
#[component]
pub fn Shell(page: Page, render: RenderPage) -> impl IntoView {
    let snapshot = LocalResource::new(load_snapshot);
    // Only the Prices and Positions pages read chains, and only with live data on.
    let live = RwSignal::new(crate::chain::settings::load().0.live_data);
    provide_context(LiveData(live));
    Wallet::provide();
    let source = Signal::derive(move || match snapshot.get() {
        _ if matches!(page, Page::Prices | Page::Positions) && live.get() => DataSource::Live,
        None => DataSource::Loading,
        Some(Ok(s)) => DataSource::Snapshot { taken_at: s.taken_at.clone() },
        Some(Err(_)) => DataSource::Unavailable,
    });
    let notice = move || snapshot.get().and_then(Result::ok).map(|s| s.notice.clone());

    view! {
        <header class="app-header">
            <span class="brand">"Ballast"</span>
            <Nav page />
            <DataSourceBadge source />
            <WalletButton />
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
                    {move || {
                        Suspend::new(async move {
                            let snapshot = snapshot.await;
                            // The page (or the snapshot's error) replaces the Plan page's first frame.
                            crate::first_frame::remove();
                            snapshot.map(render)
                        })
                    }}
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
