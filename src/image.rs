//! Images drawn in the browser for saving by long-press (WeChat's web view blocks downloads): a
//! tip's receipt and a certificate, both a white card under the portal's blue title band.

use leptos::wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// The portal's colours on an image.
pub const BRAND: &str = "#1f3a68";
pub const LABEL: &str = "#4a5568";
pub const INK: &str = "#111827";

/// A card being drawn.
pub struct Card {
    canvas: HtmlCanvasElement,
    pub ctx: CanvasRenderingContext2d,
    pub width: f64,
}

impl Card {
    /// A white `width`×`height` card with a blue band `band` high and `title` on it in `font`,
    /// its baseline at `baseline`.
    pub fn titled(
        width: u32,
        height: u32,
        band: f64,
        title: &str,
        font: &str,
        baseline: f64,
    ) -> Option<Card> {
        let doc = web_sys::window()?.document()?;
        let canvas: HtmlCanvasElement = doc.create_element("canvas").ok()?.dyn_into().ok()?;
        canvas.set_width(width);
        canvas.set_height(height);
        let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        let card = Card {
            canvas,
            ctx,
            width: width as f64,
        };
        card.ctx.set_fill_style_str("#ffffff");
        card.ctx.fill_rect(0.0, 0.0, card.width, height as f64);
        card.ctx.set_fill_style_str(BRAND);
        card.ctx.fill_rect(0.0, 0.0, card.width, band);
        card.text(title, 32.0, baseline, font, "#ffffff");
        Some(card)
    }

    /// `text` at (`x`, `y`) in `font` and `color`.
    pub fn text(&self, text: &str, x: f64, y: f64, font: &str, color: &str) {
        self.ctx.set_fill_style_str(color);
        self.ctx.set_font(font);
        let _ = self.ctx.fill_text(text, x, y);
    }

    /// The card as a PNG `data:` address, for an `<img>`.
    pub fn png(self) -> Option<String> {
        self.canvas.to_data_url_with_type("image/png").ok()
    }
}
