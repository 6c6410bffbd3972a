//! The Plan page's first frame: the default position's health factor, painted
//! by a small wasm of its own (`src/bin/first_frame.rs`, no Leptos) while the
//! page's module, five times its size, downloads. It draws only what the page
//! itself then shows, from the same engine and the same functions
//! ([`PositionPlan::from_snapshot`], [`Verdict::of`]), and only for an address
//! the page opens on a snapshot position: with a shared scenario in the address,
//! or anything it cannot read, it draws nothing and the page comes as before.
//!
//! While it is in the document, the stylesheet hides what follows it (the page's
//! shell mounting); the shell removes it ([`remove`]) once its snapshot has
//! loaded, in the task that renders the page, so no frame shows both or neither.

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
pub async fn show() -> bool {
    if shared_link(&read_fragment(), read_param(SCENARIO_PARAM)).is_some() {
        return false;
    }
    let Ok(snapshot) = load_snapshot_handing_over().await else { return false };
    let Some(plan) = PositionPlan::from_snapshot(&snapshot, read_param(POSITION_PARAM).as_deref()) else {
        return false;
    };
    let Ok(report) = ballast_core::evaluate(&plan.scenario) else { return false };
    let verdict = Verdict::of(Some(&report), Some(&plan.saved_basis()));
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return false };
    let (Some(body), Ok(frame)) = (document.body(), draw(&document, &plan.title(), &verdict)) else { return false };
    body.append_child(&frame).is_ok()
}

/// Removes the first frame, if there is one.
pub fn remove() {
    if let Some(frame) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(FIRST_FRAME_ID)) {
        frame.remove();
    }
}

/// The frame: the shell's header with its navigation, the position's heading
/// and the health factor section, in the page's own markup and classes.
fn draw(document: &Document, title: &str, verdict: &Verdict) -> Result<Element, JsValue> {
    // A new element with `class` and `text`, appended to `parent`.
    let add = |parent: &Element, tag: &str, class: &str, text: Option<&str>| -> Result<Element, JsValue> {
        let e = document.create_element(tag)?;
        if !class.is_empty() {
            e.set_class_name(class);
        }
        e.set_text_content(text);
        parent.append_child(&e)?;
        Ok(e)
    };
    let frame = document.create_element("div")?;
    frame.set_id(FIRST_FRAME_ID);
    frame.set_attribute("data-testid", "first-frame")?;
    frame.set_attribute("aria-busy", "true")?;

    let header = add(&frame, "header", "app-header", None)?;
    add(&header, "span", "brand", Some("Ballast"))?;
    let nav = add(&header, "nav", "", None)?;
    nav.set_attribute("aria-label", "Pages")?;
    for &page in Page::ALL {
        let link = add(&nav, "a", if page == Page::Plan { "nav-current" } else { "" }, Some(page.title()))?;
        let href = url_with_param(VIEW_PARAM, page.slug()).unwrap_or_else(|| format!("?{VIEW_PARAM}={}", page.slug()));
        link.set_attribute("href", &href)?;
    }

    let main = add(&frame, "main", "", None)?;
    let article = add(&main, "article", "position", None)?;
    add(&article, "h2", "", Some(title))?;
    let report = add(&article, "div", "report", None)?;
    let section = add(&report, "section", &verdict.class, None)?;
    add(&section, "span", "health-factor-label", Some("Health factor"))?;
    let value = add(&section, "span", "health-factor-value", Some(&verdict.shown))?;
    value.set_attribute("data-testid", "health-factor")?;
    value.set_attribute("data-value", &verdict.value)?;
    add(&section, "span", "health-factor-band", Some(&verdict.label))?.set_attribute("data-testid", "health-band")?;
    if let Some(rests_on) = &verdict.rests_on {
        add(&section, "span", "health-factor-basis", Some(rests_on))?;
    }
    add(&section, "span", "health-factor-scale", Some(HealthBand::THRESHOLDS))?;
    add(&article, "p", "loading", Some("Loading the what-if controls…"))?;
    Ok(frame)
}
