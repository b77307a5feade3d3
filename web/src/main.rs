//! The web app's entry point: mounts [`web::App`] into the page's body, or,
//! started in the page's web worker (which runs these same files), answers
//! the page's explorations instead.

fn main() {
    #[cfg(target_arch = "wasm32")]
    if web::browser::worker::in_a_worker() {
        pte_worker::worker::run();
        return;
    }
    yew::Renderer::<web::App>::new().render();
}
