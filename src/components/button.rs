//! Buttons, and links that look like buttons. The look is a [`ButtonVariant`] and a [`ButtonSize`],
//! which become the BEM modifiers of `.button` in `style/main.css`.

use crate::router::A;
use leptos::prelude::*;

/// How a button looks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ButtonVariant {
    /// Filled: the one main action of a form or page.
    #[default]
    Primary,
    /// Outlined: any other action.
    Secondary,
    /// Looks like a link: a minor action inside a line of text.
    Link,
}

impl ButtonVariant {
    fn as_str(self) -> &'static str {
        match self {
            ButtonVariant::Primary => "primary",
            ButtonVariant::Secondary => "secondary",
            ButtonVariant::Link => "link",
        }
    }
}

/// How large a button is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ButtonSize {
    #[default]
    Medium,
    /// Narrower, for actions inside a row of a list.
    Small,
}

fn class(variant: ButtonVariant, size: ButtonSize, block: bool) -> String {
    let mut class = format!("button button--{}", variant.as_str());
    if size == ButtonSize::Small {
        class.push_str(" button--small");
    }
    if block {
        class.push_str(" button--block");
    }
    class
}

/// A button that acts on the page, or submits its form.
#[component]
pub fn Button(
    /// How it looks.
    #[prop(optional)]
    variant: ButtonVariant,
    /// How large it is.
    #[prop(optional)]
    size: ButtonSize,
    /// Fills the width of its container.
    #[prop(optional)]
    block: bool,
    /// Submits its form (the form's `on:submit` acts) instead of acting on its own.
    #[prop(optional)]
    submit: bool,
    /// Whether it is disabled, e.g. while its action runs.
    #[prop(optional, into)]
    disabled: Signal<bool>,
    /// What a click does.
    #[prop(optional, into)]
    on_click: Option<Callback<()>>,
    /// The label.
    children: Children,
) -> impl IntoView {
    view! {
        <button
            type=if submit { "submit" } else { "button" }
            class=class(variant, size, block)
            disabled=move || disabled.get()
            on:click=move |_| {
                if let Some(on_click) = on_click {
                    on_click.run(());
                }
            }
        >
            {children()}
        </button>
    }
}

/// A link to another page of the portal that looks like a button.
#[component]
pub fn ButtonLink(
    /// Where it leads.
    #[prop(into)]
    href: String,
    /// How it looks.
    #[prop(optional)]
    variant: ButtonVariant,
    /// Fills the width of its container.
    #[prop(optional)]
    block: bool,
    /// The label.
    children: Children,
) -> impl IntoView {
    view! {
        <A href=href class=class(variant, ButtonSize::Medium, block)>
            {children()}
        </A>
    }
}
