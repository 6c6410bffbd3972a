//! The four calls of ECharts the charts make, bound directly: the option is
//! handed over as JSON text and parsed by the browser, so no typed option
//! structs or serialiser to JS objects are linked into the page's wasm.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// One chart drawn by ECharts into one element (`echarts.init`'s result).
    pub type EchartsInstance;

    #[wasm_bindgen(catch, js_namespace = echarts, js_name = init)]
    fn init(element: &web_sys::Element, theme: &str) -> Result<EchartsInstance, JsValue>;

    #[wasm_bindgen(catch, method, js_name = setOption)]
    fn set_option(this: &EchartsInstance, option: &JsValue, settings: &JsValue) -> Result<(), JsValue>;

    /// Sizes the chart to its element again.
    #[wasm_bindgen(method)]
    pub fn resize(this: &EchartsInstance);

    /// Frees the chart's canvas and listeners.
    #[wasm_bindgen(method)]
    pub fn dispose(this: &EchartsInstance);
}

impl EchartsInstance {
    /// Draws `option` into the element with DOM id `id`, in ECharts' dark theme.
    /// ECharts must have loaded (`load_echarts`).
    pub fn draw(id: &str, option: &serde_json::Value) -> Result<Self, String> {
        let element = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .ok_or_else(|| format!("The chart could not be drawn: the page has no element #{id}."))?;
        let instance = init(&element, "dark").map_err(|e| why("could not be drawn", &e))?;
        instance.update(option)?;
        Ok(instance)
    }

    /// Merges `option` into what is drawn: axes and the rest are matched by
    /// position and arrays given are replaced, while the series are replaced
    /// as a whole (`replaceMerge`), so a series the new option leaves out (an
    /// asset no longer held) is no longer drawn.
    pub fn update(&self, option: &serde_json::Value) -> Result<(), String> {
        let option = js_sys::JSON::parse(&option.to_string()).map_err(|e| why("could not be read", &e))?;
        let settings = js_sys::JSON::parse(SET_OPTION_SETTINGS).map_err(|e| why("could not be read", &e))?;
        self.set_option(&option, &settings).map_err(|e| why("could not be drawn", &e))
    }
}

/// ECharts' `setOption` settings for every redraw (see [`EchartsInstance::update`]).
const SET_OPTION_SETTINGS: &str = r#"{"replaceMerge":["series"]}"#;

fn why(what: &str, error: &JsValue) -> String {
    let detail = js_sys::Reflect::get(error, &JsValue::from_str("message")).ok().and_then(|m| m.as_string());
    format!("The chart {what}: {}", detail.unwrap_or_else(|| "the chart library refused it".to_owned()))
}
