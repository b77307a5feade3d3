//! The web app's entry point: mounts [`web::App`] into the page's body.

fn main() {
    yew::Renderer::<web::App>::new().render();
}
