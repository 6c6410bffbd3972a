//! The app shell: header with the data source, and the Plan page on the
//! embedded snapshot.

use leptos::prelude::*;

use crate::components::DataSourceBadge;
use crate::data_source::DataSource;
use crate::pages::glossary::GlossaryPage;
use crate::pages::plan::PlanPage;
use crate::pages::positions::PositionsPage;
use crate::pages::prices::PricesPage;
use crate::pages::risk::RiskPage;
use crate::pages::{Page, VIEW_PARAM};
use crate::snapshot_source::load_snapshot;
use crate::url_state::{push_param, read_param};
use crate::wallet::{Wallet, WalletButton};

/// The navigation: one link per page, switching without a reload and kept in
/// the address bar (`?view=`) so Back, reload and bookmarks land on the same page.
#[component]
fn Nav(page: RwSignal<Page>) -> impl IntoView {
    // Back and Forward change the address; follow it.
    let _ = window_event_listener(leptos::ev::popstate, move |_| {
        page.set(Page::from_slug(read_param(VIEW_PARAM).as_deref()));
    });
    view! {
        <nav aria-label="Pages">
            {Page::ALL
                .iter()
                .map(|&p| {
                    let current = move || page.get() == p;
                    view! {
                        <a
                            href=format!("?{VIEW_PARAM}={}", p.slug())
                            class:nav-current=current
                            aria-current=move || current().then_some("page")
                            data-testid=format!("nav-{}", p.slug())
                            on:click=move |ev| {
                                ev.prevent_default();
                                if page.get_untracked() != p {
                                    push_param(VIEW_PARAM, p.slug());
                                    page.set(p);
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

#[component]
pub fn App() -> impl IntoView {
    let snapshot = LocalResource::new(load_snapshot);
    let page = RwSignal::new(Page::from_slug(read_param(VIEW_PARAM).as_deref()));
    // Only the Prices and Positions pages read chains, and only with live data on.
    let live = RwSignal::new(crate::chain::settings::load().0.live_data);
    provide_context(LiveData(live));
    Wallet::provide();
    let source = Signal::derive(move || match snapshot.get() {
        _ if matches!(page.get(), Page::Prices | Page::Positions) && live.get() => DataSource::Live,
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
                        let shown = page.get();
                        Suspend::new(async move {
                            snapshot.await.map(|s| match shown {
                                Page::Plan => view! { <PlanPage snapshot=s /> }.into_any(),
                                Page::Prices => view! { <PricesPage snapshot=s /> }.into_any(),
                                Page::Glossary => view! { <GlossaryPage /> }.into_any(),
                                Page::Risk => view! { <RiskPage snapshot=s /> }.into_any(),
                                Page::Positions => view! { <PositionsPage snapshot=s /> }.into_any(),
                            })
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
