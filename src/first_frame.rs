//! The Plan page's first frame: the default position's health factor, painted
//! by a small wasm of its own (`src/bin/first_frame.rs`, no Leptos) while the
//! page's module, three times its size, downloads. It draws only what the page
//! itself then shows, from the same engine and the same functions
//! ([`PositionPlan::from_snapshot`], [`Verdict::of`]), and only for an address
//! the page opens on a snapshot position: with a shared scenario in the address,
//! or anything it cannot read, it draws nothing and the page comes as before.
//! Until the figures are in, it shows the shell's header and a loading line.
//!
//! While it is in the document, the stylesheet hides what follows it (the page's
//! shell mounting); the shell removes it ([`remove`]) once its snapshot has
//! loaded, in the task that renders the page, so no frame shows both.

use ballast_core::display::HealthBand;
use wasm_bindgen::JsValue;
use web_sys::{Document, Element};

use crate::components::health_factor::Verdict;
use crate::pages::plan::model::{shared_link, PositionPlan};
use crate::pages::{Page, VIEW_PARAM};
use crate::snapshot_source::load_snapshot_handing_over;
use crate::url_state::{read_fragment, read_param, url_with_param, POSITION_PARAM, SCENARIO_PARAM};

/// The first frame's element id (style/main.css hides its following siblings).
pub const FIRST_FRAME_ID: &str = "first-frame";

/// Draws the first frame into `<body>` if the address opens a snapshot
/// position the engine accepts. Returns whether it drew one.
///
/// The shell's header and a loading line go up at once (the page's module
/// starts only after this returns, so a slow snapshot would otherwise leave the
/// page blank); the figures replace the loading line once the snapshot is in.
/// If anything fails, the frame is taken down again and the page's own module
/// says what happened.
pub async fn show() -> bool {
    if shared_link(&read_fragment(), read_param(SCENARIO_PARAM)).is_some() {
        return false;
    }
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return false };
    let Some(body) = document.body() else { return false };
    let Ok((frame, main)) = draw_shell(&document) else { return false };
    if body.append_child(&frame).is_err() {
        return false;
    }
    let drawn = match figures().await {
        Some((title, verdict)) => draw_figures(&document, &main, &title, &verdict).is_ok(),
        None => false,
    };
    if !drawn {
        frame.remove();
    }
    drawn
}

/// The heading and the health factor verdict of the position the address
/// names, at its saved prices; none if the snapshot, the position or the
/// engine says no (the page's own module then says why).
async fn figures() -> Option<(String, Verdict)> {
    let snapshot = load_snapshot_handing_over().await.ok()?;
    let plan = PositionPlan::from_snapshot(&snapshot, read_param(POSITION_PARAM).as_deref())?;
    let report = ballast_core::evaluate(&plan.scenario).ok()?;
    Some((plan.title(), Verdict::of(Some(&report), Some(&plan.saved_basis()))))
}

/// Removes the first frame, if there is one.
pub fn remove() {
    if let Some(frame) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(FIRST_FRAME_ID))
    {
        frame.remove();
    }
}

/// A new element with `class` and `text`, appended to `parent`.
fn add(document: &Document, parent: &Element, tag: &str, class: &str, text: Option<&str>) -> Result<Element, JsValue> {
    let e = document.create_element(tag)?;
    if !class.is_empty() {
        e.set_class_name(class);
    }
    e.set_text_content(text);
    parent.append_child(&e)?;
    Ok(e)
}

/// The frame with the shell's header and navigation, and its `<main>` saying
/// the snapshot is loading, as the shell does.
fn draw_shell(document: &Document) -> Result<(Element, Element), JsValue> {
    let frame = document.create_element("div")?;
    frame.set_id(FIRST_FRAME_ID);
    frame.set_attribute("data-testid", "first-frame")?;
    let header = add(document, &frame, "header", "app-header", None)?;
    add(document, &header, "span", "brand", Some("Ballast"))?;
    let nav = add(document, &header, "nav", "", None)?;
    nav.set_attribute("aria-label", "Pages")?;
    for &page in Page::ALL {
        let current = page == Page::Plan;
        let link = add(document, &nav, "a", if current { "nav-current" } else { "" }, Some(page.title()))?;
        let href = url_with_param(VIEW_PARAM, page.slug()).unwrap_or_else(|| format!("?{VIEW_PARAM}={}", page.slug()));
        link.set_attribute("href", &href)?;
        if current {
            link.set_attribute("aria-current", "page")?;
        }
    }
    let main = add(document, &frame, "main", "", None)?;
    main.set_attribute("aria-busy", "true")?;
    add(document, &main, "p", "loading", Some("Loading the demo snapshot…"))?.set_attribute("role", "status")?;
    Ok((frame, main))
}

/// The position's heading and its health factor section, in the page's own
/// markup and classes, in place of `main`'s loading line.
fn draw_figures(document: &Document, main: &Element, title: &str, verdict: &Verdict) -> Result<(), JsValue> {
    let article = document.create_element("article")?;
    article.set_class_name("position");
    add(document, &article, "h2", "", Some(title))?;
    let report = add(document, &article, "div", "report", None)?;
    let section = add(document, &report, "section", &verdict.class, None)?;
    section.set_attribute("aria-live", "polite")?;
    add(document, &section, "span", "health-factor-label", Some("Health factor"))?;
    let value = add(document, &section, "span", "health-factor-value", Some(&verdict.shown))?;
    value.set_attribute("data-testid", "health-factor")?;
    value.set_attribute("data-value", &verdict.value)?;
    add(document, &section, "span", "health-factor-band", Some(&verdict.label))?
        .set_attribute("data-testid", "health-band")?;
    if let Some(rests_on) = &verdict.rests_on {
        add(document, &section, "span", "health-factor-basis", Some(rests_on))?
            .set_attribute("data-testid", "health-basis")?;
    }
    add(document, &section, "span", "health-factor-scale", Some(HealthBand::THRESHOLDS))?;
    add(document, &article, "p", "loading", Some("Loading the what-if controls…"))?.set_attribute("role", "status")?;
    main.replace_children_with_node_1(&article);
    Ok(())
}
